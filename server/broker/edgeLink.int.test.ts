/**
 * Edge ↔ broker links over real WebSockets on loopback, without media:
 * registration with the fleet secret, refusals of hostile edges, heartbeats,
 * prepare, and an edge re-registering by itself after the broker restarts.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { pino } from 'pino';
import { EDGE_LINK_PATH } from '../../protocol/index.ts';
import { EdgeLinkServer, type EdgeLinkEvents } from './edgeLinkServer.ts';
import { BrokerLink } from '../edge/brokerLink.ts';

const SECRET = 'link-test-secret-0123456789';
const SESSION = '3b241101-e2bb-4255-8caf-4136c566a962';
const logger = pino({ level: 'silent' });
const cleanups: Array<() => void | Promise<void>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

type Seen = { registered: string[]; heartbeats: number; ended: string[]; disconnected: string[] };

async function startBroker(port = 0): Promise<{ port: number; seen: Seen; links: EdgeLinkServer; stop: () => Promise<void> }> {
  const seen: Seen = { registered: [], heartbeats: 0, ended: [], disconnected: [] };
  const events: EdgeLinkEvents = {
    registered: (msg) => void seen.registered.push(`${msg.edgeId}:${msg.sessions.join(',')}`),
    heartbeat: () => void seen.heartbeats++,
    sessionEnded: (_e, sessionId, reason) => void seen.ended.push(`${sessionId}:${reason}`),
    disconnected: (edgeId) => void seen.disconnected.push(edgeId),
  };
  const links = new EdgeLinkServer({ secret: SECRET, heartbeatMs: 100, events, logger, registerTimeoutMs: 500 });
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => links.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const stop = async () => {
    links.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  cleanups.push(stop);
  return { port: (server.address() as AddressInfo).port, seen, links, stop };
}

function startEdge(port: number, secret = SECRET, sessions: string[] = []): BrokerLink {
  const link = new BrokerLink({
    brokerUrl: () => `http://127.0.0.1:${port}`,
    secret,
    edgeId: 'edge-1',
    region: 'test',
    location: { lat: 0, lon: 0 },
    publicUrl: () => 'http://127.0.0.1:1',
    tier: 'community',
    video: { width: 640, height: 360, fps: 30, codec: 'H264', encoder: 'libx264' },
    capacity: () => ({ maxSessions: 4, sessionsInUse: sessions.length, encoder: 'libx264', encoderKind: 'software', nvencSessionsFree: 0 }),
    sessions: () => sessions,
    streamedSeconds: () => ({}),
    deletePhoneData: () => {},
    playersConnected: () => [],
    phoneSessions: () => [],
    prepare: async (msg) => (msg.titleId === 'paddle-demo' ? { ok: true } : { ok: false, code: 'start-failed', message: 'no such title here' }),
    endSession: () => {},
    drain: () => {},
    ticketKey: () => {},
    logger,
  });
  link.start();
  cleanups.push(() => link.close());
  return link;
}

async function until(what: string, cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends raw messages as a hostile edge would; returns what the broker answered and how it closed. */
async function rawEdge(port: number, messages: string[]): Promise<{ replies: Array<{ type: string; code?: string }>; closeCode?: number }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${EDGE_LINK_PATH}`);
  const replies: Array<{ type: string; code?: string }> = [];
  let closeCode: number | undefined;
  ws.on('message', (d) => replies.push(JSON.parse(String(d))));
  await new Promise<void>((resolve) => {
    ws.on('open', () => messages.forEach((m) => ws.send(m)));
    ws.on('close', (code) => {
      closeCode = code;
      resolve();
    });
    setTimeout(() => resolve(), 2_000);
  });
  ws.terminate();
  return { replies, closeCode };
}

test('an edge registers, heartbeats and answers prepare', async () => {
  const broker = await startBroker();
  const edge = startEdge(broker.port);
  await edge.registered;
  assert.deepEqual(broker.seen.registered, ['edge-1:']);
  await until('heartbeats', () => broker.seen.heartbeats >= 2);
  assert.deepEqual(await broker.links.prepare('edge-1', { sessionId: SESSION, titleId: 'paddle-demo', playSeconds: 60 }, 1_000), { ok: true });
  const refused = await broker.links.prepare('edge-1', { sessionId: SESSION, titleId: 'other-game', playSeconds: 60 }, 1_000);
  assert.equal(refused.ok, false);
  assert.equal((await broker.links.prepare('no-such-edge', { sessionId: SESSION, titleId: 'paddle-demo', playSeconds: 60 }, 1_000)).ok, false);
  edge.sessionEnded(SESSION, 'time-limit', 42);
  await until('session-ended', () => broker.seen.ended.length === 1);
  assert.deepEqual(broker.seen.ended, [`${SESSION}:time-limit`]);
  edge.close();
  await until('disconnect', () => broker.seen.disconnected.includes('edge-1'));
});

test('hostile edges are refused with a reason and the broker carries on', async () => {
  const broker = await startBroker();
  const good = JSON.parse(
    JSON.stringify({
      type: 'register',
      secret: SECRET,
      edgeId: 'edge-x',
      region: 'r',
      location: { lat: 0, lon: 0 },
      publicUrl: 'http://127.0.0.1:1',
      tier: 'community',
      capacity: { maxSessions: 1, sessionsInUse: 0, encoder: 'libx264', encoderKind: 'software', nvencSessionsFree: 0 },
      sessions: [],
    }),
  );
  const wrongSecret = await rawEdge(broker.port, [JSON.stringify({ ...good, secret: 'guess' })]);
  assert.equal(wrongSecret.closeCode, 4401);
  assert.equal(wrongSecret.replies[0]?.code, 'unauthorized');
  const absurd = await rawEdge(broker.port, [JSON.stringify({ ...good, capacity: { ...good.capacity, maxSessions: 1e12 } })]);
  assert.equal(absurd.replies[0]?.code, 'bad-message');
  const heartbeatFirst = await rawEdge(broker.port, [JSON.stringify({ type: 'heartbeat', capacity: good.capacity, sessions: [] })]);
  assert.equal(heartbeatFirst.closeCode, 4401);
  const garbage = await rawEdge(
    broker.port,
    Array.from({ length: 12 }, () => '{nope'),
  );
  assert.equal(garbage.closeCode, 4401);
  const silent = await rawEdge(broker.port, []);
  assert.equal(silent.replies[0]?.code, 'register-timeout');
  assert.deepEqual(broker.seen.registered, []);
  // A real edge still gets in afterwards.
  const edge = startEdge(broker.port);
  await edge.registered;
  assert.deepEqual(broker.seen.registered, ['edge-1:']);
});

test('after a broker restart the edge re-registers by itself, reporting its sessions', async () => {
  const first = await startBroker();
  const edge = startEdge(first.port, SECRET, [SESSION]);
  await edge.registered;
  const port = first.port;
  await first.stop();
  await until('the edge to notice', () => !edge.isRegistered);
  const second = await startBroker(port);
  await until('re-registration', () => second.seen.registered.length === 1, 8_000);
  assert.deepEqual(second.seen.registered, [`edge-1:${SESSION}`]);
});

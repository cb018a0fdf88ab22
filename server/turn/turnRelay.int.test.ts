/**
 * A real coturn (Debian's turnserver, started by LocalTurnServer) against the
 * credentials the broker hands out (sessions/fleet/turnCredentials.ts): a
 * session's credentials allocate a relay, forged, foreign and expired ones
 * are refused, a session's credentials stop working when its lifetime ends,
 * and a werift peer that may only use the relay reaches a peer on loopback
 * through it and exchanges data.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { RTCPeerConnection, type RTCDataChannel } from 'werift';
import { turnCredential } from '../../sessions/index.ts';
import { LocalTurnServer, answersStun } from './localTurnServer.ts';
import { tryAllocate } from './turnAllocate.ts';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const SECRET = 'int-test-turn-secret-0123456789';
const SESSION = '2a4e6c8a-0b1d-4f3e-8a5c-7e9f1b3d5a70';
let turn: LocalTurnServer;
let port: number;

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = s.address().port;
  s.close();
  return p;
}

before(async () => {
  port = await freeUdpPort();
  turn = await LocalTurnServer.start({
    listenIp: '127.0.0.1',
    port,
    secret: SECRET,
    relayPorts: [port + 1, port + 40].map((p) => Math.min(p, 65535)) as [number, number],
    allowLoopbackPeers: true,
    logger,
  });
});
after(async () => {
  await turn?.stop();
});

test("a session's credentials allocate a relay; forged, foreign and expired ones are refused with 401", async () => {
  const now = Date.now();
  const good = turnCredential(SECRET, { sessionId: SESSION, lifetimeSeconds: 60, nowMs: now });
  const ok = await tryAllocate('127.0.0.1', port, good.username, good.credential);
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.equal(ok.relayed.address, '127.0.0.1');

  const tampered = `${good.credential.startsWith('A') ? 'B' : 'A'}${good.credential.slice(1)}`;
  const forged = await tryAllocate('127.0.0.1', port, good.username, tampered);
  assert.deepEqual(forged.ok ? 'allocated' : forged.code, 401, 'a tampered password');
  const foreign = turnCredential('another-fleet-secret-0123456789', { sessionId: SESSION, lifetimeSeconds: 60, nowMs: now });
  const refusedForeign = await tryAllocate('127.0.0.1', port, foreign.username, foreign.credential);
  assert.deepEqual(refusedForeign.ok ? 'allocated' : refusedForeign.code, 401, 'signed with another secret');
  // Moving the expiry forward breaks the signature: a player cannot extend its own credentials.
  const extended = await tryAllocate('127.0.0.1', port, `${Number(good.username.split(':')[0]) + 3600}:${SESSION}`, good.credential);
  assert.deepEqual(extended.ok ? 'allocated' : extended.code, 401, 'a later expiry with the old password');
  const expired = turnCredential(SECRET, { sessionId: SESSION, lifetimeSeconds: 60, nowMs: now - 120_000 });
  const refusedExpired = await tryAllocate('127.0.0.1', port, expired.username, expired.credential);
  assert.deepEqual(refusedExpired.ok ? 'allocated' : refusedExpired.code, 401, 'expired a minute ago');
});

test("a session's credentials stop working once its lifetime is over", async () => {
  const c = turnCredential(SECRET, { sessionId: SESSION, lifetimeSeconds: 2, nowMs: Date.now() });
  assert.ok((await tryAllocate('127.0.0.1', port, c.username, c.credential)).ok, 'during the session');
  await new Promise((r) => setTimeout(r, Math.max(0, c.expiresAtMs - Date.now()) + 1200));
  const afterEnd = await tryAllocate('127.0.0.1', port, c.username, c.credential);
  assert.deepEqual(afterEnd.ok ? 'allocated' : afterEnd.code, 401, 'after it ended');
});

test('a peer that may only use the relay reaches a loopback peer through coturn and exchanges data', async () => {
  const c = turnCredential(SECRET, { sessionId: SESSION, lifetimeSeconds: 60, nowMs: Date.now() });
  const edge = new RTCPeerConnection({ bundlePolicy: 'max-bundle', iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false, iceServers: [] });
  const player = new RTCPeerConnection({
    bundlePolicy: 'max-bundle',
    iceUseIpv6: false,
    iceTransportPolicy: 'relay',
    iceServers: [{ urls: turn.urls[0]!, username: c.username, credential: c.credential }],
  });
  try {
    edge.onIceCandidate.subscribe((cand) => cand && void player.addIceCandidate(cand));
    player.onIceCandidate.subscribe((cand) => cand && void edge.addIceCandidate(cand));
    const edgeChannel = edge.createDataChannel('input');
    const received = new Promise<string>((resolve) => {
      player.onDataChannel.subscribe((ch: RTCDataChannel) => ch.onMessage.subscribe((m) => resolve(m.toString())));
    });
    const opened = new Promise<void>((resolve) => edgeChannel.stateChanged.subscribe((s) => s === 'open' && resolve()));
    await edge.setLocalDescription(await edge.createOffer());
    await player.setRemoteDescription(edge.localDescription!);
    await player.setLocalDescription(await player.createAnswer());
    await edge.setRemoteDescription(player.localDescription!);
    await withTimeout(opened, 10_000, 'data channel through the relay');
    edgeChannel.send('through the relay');
    assert.equal(await withTimeout(received, 5_000, 'message through the relay'), 'through the relay');
    const playerCandidates = player.localDescription!.sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    assert.ok(
      playerCandidates.length > 0 && playerCandidates.every((l) => l.includes(' typ relay ')),
      `only relay candidates: ${playerCandidates.join(' | ')}`,
    );
  } finally {
    await Promise.all([edge.close(), player.close()]);
  }
});

test('a stopped relay no longer answers', async () => {
  const p = await freeUdpPort();
  const t = await LocalTurnServer.start({ listenIp: '127.0.0.1', port: p, secret: SECRET, allowLoopbackPeers: false, logger });
  assert.ok(await answersStun('127.0.0.1', p, 500));
  await t.stop();
  assert.equal(await answersStun('127.0.0.1', p, 500), false);
});

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result in ${ms} ms`)), ms))).finally(() => clearTimeout(timer)),
  ]);
}

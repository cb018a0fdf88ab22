/**
 * Slots and spectators nobody may hoard (issue 18.4, 18.5), on the real
 * stack with real ffmpeg: a public link's plays from one address are capped
 * while pending (429 with Retry-After); a play whose player never connects is
 * ended by the edge after its join window, which frees the slot, the
 * encoders and the address's place; spectators need a ticket the player's
 * grant buys, and are capped per session.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.ts';
import { createLogger } from './logging.ts';
import { createStack, type Stack } from './stack.ts';
import { resolveFfmpegPath } from '../encoder/index.ts';
import { WebSocket } from 'ws';
import type { PlacedSession, PlacementOffer } from '../protocol/index.ts';
import { must } from '../protocol/must.ts';

const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  MAX_SESSIONS: '4',
  VIDEO_WIDTH: '320',
  VIDEO_HEIGHT: '180',
  VIDEO_FPS: '15',
  ENCODER: 'libx264',
  JOIN_TIMEOUT_MS: '2000',
  PENDING_PLAYS_PER_ADDRESS: '3',
  HEARTBEAT_MS: '500',
  SPECTATORS_PER_SESSION: '2',
});
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
let stack: Stack | undefined;
after(async () => {
  await stack?.close();
});

function ffmpegChildren(): number {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), 'ffmpeg'])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
}

let base = '';
async function boot(): Promise<Stack> {
  if (stack) return stack;
  stack = await createStack(config, resolveFfmpegPath(process.env).path, logger);
  await new Promise<void>((r) => must(stack, 'stack').server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(stack.server.address() as AddressInfo).port}`;
  await stack.start();
  return stack;
}
const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function play(): Promise<Response> {
  const offer = await post('/api/play/demo', {});
  if (offer.status !== 200) return offer;
  const { placementId } = (await offer.json()) as PlacementOffer;
  return post(`/api/placements/${placementId}`, { rtts: {} });
}

/** The first message a signalling socket gets (welcome, or the refusal). */
function firstMessage(url: string): Promise<{ type: string; code?: string; ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error('no message')), 5_000);
    ws.on('message', (m) => {
      clearTimeout(timer);
      resolve({ ...(JSON.parse(String(m)) as { type: string; code?: string }), ws });
    });
    ws.on('error', reject);
  });
}

test('plays nobody watches are capped per address, and end after the join window, freeing slot and encoders', async () => {
  const stack = await boot();
  const idleFfmpeg = ffmpegChildren();

  for (let i = 0; i < 3; i++) assert.equal((await play()).status, 201, `play ${i + 1} is placed`);
  const withUnwatched = ffmpegChildren();
  assert.ok(withUnwatched > idleFfmpeg, `the unwatched plays started encoders (${idleFfmpeg} → ${withUnwatched})`);

  const refused = await post('/api/play/demo', {});
  assert.equal(refused.status, 429);
  assert.equal(((await refused.json()) as { code: string }).code, 'rate-limited');
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${refused.headers.get('retry-after')}`);

  // The edge ends each unwatched play after 2 s, tells the broker, and the address may play again.
  const waitedMs = await until('the unwatched plays to end', () => stack.edge?.host.sessionIds().length === 0, 15_000);
  console.log(`unwatched plays (join window 2 s) freed their slots ${waitedMs} ms after the 429`);
  assert.ok(waitedMs < 10_000, `slots freed after ${waitedMs} ms`);
  await until('their encoders to stop', () => ffmpegChildren() <= idleFfmpeg, 10_000);
  assert.equal((await play()).status, 201, 'after the unwatched plays ended, the address plays again');
});

test("spectators need a ticket bought with the player's grant, and a session takes only its cap of them", async () => {
  await boot();
  const res = await play();
  assert.equal(res.status, 201, await res.clone().text());
  const placed = (await res.json()) as PlacedSession;
  const sessionId = placed.sessionId;
  const signal = new URL(placed.signalUrl);
  const bare = `${signal.origin}${signal.pathname}?session=${sessionId}&role=viewer`;
  const noTicket = await firstMessage(bare);
  assert.deepEqual([noTicket.type, noTicket.code], ['error', 'unauthorized']);
  const asPlayer = await firstMessage(`${bare}&ticket=${encodeURIComponent(placed.ticket)}`);
  assert.deepEqual([asPlayer.type, asPlayer.code], ['error', 'unauthorized'], "the player's ticket does not let in a spectator");

  const refusedGrant = await post(`/api/sessions/${sessionId}/spectators`, { resumeToken: 'forged' });
  assert.equal(refusedGrant.status, 401);
  const granted = await post(`/api/sessions/${sessionId}/spectators`, { resumeToken: placed.resumeToken });
  assert.equal(granted.status, 201);
  const { grant } = (await granted.json()) as { grant: string };
  const watch = async () => {
    const r = await post(`/api/sessions/${sessionId}/watch`, { grant });
    assert.equal(r.status, 200);
    return firstMessage(((await r.json()) as { signalUrl: string }).signalUrl);
  };
  const first = await watch();
  const second = await watch();
  assert.deepEqual([first.type, second.type], ['welcome', 'welcome']);
  const third = await watch();
  assert.deepEqual([third.type, third.code], ['error', 'no-capacity'], 'the cap is 2 per session here');
  first.ws.close();
  await until('the first spectator to be gone', async () => must(stack, 'stack').edge?.host.session(sessionId)?.spectatorCount === 1, 5_000);
  const again = await watch();
  assert.equal(again.type, 'welcome', 'a place freed is a place to take');
  for (const s of [second, third, again, noTicket, asPlayer]) s.ws.close();
  assert.equal((await post(`/api/sessions/${sessionId}/watch`, { grant: grant.slice(0, -2) + 'AA' })).status, 401, 'a tampered grant');
});

/**
 * Plays nobody watches (issue 18.4), on the real stack with real ffmpeg: a
 * public link's plays from one address are capped while pending (429 with
 * Retry-After), and a play whose player never connects is ended by the
 * edge after its join window, which frees the slot, the encoders and the
 * address's place.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.ts';
import { createLogger } from './logging.ts';
import { createStack, type Stack } from './stack.ts';
import { resolveFfmpegPath } from '../encoder/index.ts';
import type { PlacementOffer } from '../protocol/index.ts';

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
});
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
let stack: Stack | undefined;
after(async () => {
  await stack?.close();
});

function ffmpegChildren(): number {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), 'ffmpeg']).toString().trim().split('\n').filter(Boolean).length;
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

test('plays nobody watches are capped per address, and end after the join window, freeing slot and encoders', async () => {
  stack = await createStack(config, resolveFfmpegPath(process.env).path, logger);
  await new Promise<void>((r) => stack!.server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(stack.server.address() as AddressInfo).port}`;
  await stack.start();
  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const play = async (): Promise<Response> => {
    const offer = await post('/api/play/demo', {});
    if (offer.status !== 200) return offer;
    const { placementId } = (await offer.json()) as PlacementOffer;
    return post(`/api/placements/${placementId}`, { rtts: {} });
  };
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
  const waitedMs = await until('the unwatched plays to end', () => stack!.fleet.edges()[0]?.sessionsInUse === 0, 15_000);
  console.log(`unwatched plays (join window 2 s) freed their slots ${waitedMs} ms after the 429`);
  assert.ok(waitedMs < 10_000, `slots freed after ${waitedMs} ms`);
  await until('their encoders to stop', () => ffmpegChildren() <= idleFfmpeg, 10_000);
  assert.equal((await play()).status, 201, 'after the unwatched plays ended, the address plays again');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { FfmpegProcess } from './ffmpegProcess.ts';
import { EncoderError } from './errors.ts';
import { buildEncoderArgs } from './args.ts';
import { isAlive, patternFrame, waitFor } from './testSupport.ts';
import { must } from '../protocol/must.ts';

const logger = pino({ level: 'silent' });
const W = 320;
const H = 240;
const args = (encoder: 'libx264' | 'h264_nvenc'): string[] =>
  buildEncoderArgs({ encoder, width: W, height: H, fps: 30, bitrateKbps: 500, gopFrames: 60, rtpPort: 9, payloadType: 96, ssrc: 1 });

test('bad arguments: ready rejects as "failed to start" with the stderr tail', async () => {
  const p = new FfmpegProcess({ ffmpegPath: 'ffmpeg', args: ['-hide_banner', '-no-such-option'], logger, readyTimeoutMs: 2000 });
  await assert.rejects(p.ready, (err: unknown) => {
    assert.ok(err instanceof EncoderError);
    assert.equal(err.phase, 'start');
    assert.match(err.message, /failed to start: exited with code/);
    assert.ok(
      err.stderrTail.some((l) => l.includes('no-such-option')),
      err.stderrTail.join('\n'),
    );
    return true;
  });
  assert.equal(p.state, 'closed');
});

test('missing binary: spawn error rejects ready', async () => {
  const p = new FfmpegProcess({ ffmpegPath: '/nonexistent/ffmpeg', args: [], logger, readyTimeoutMs: 2000 });
  await assert.rejects(p.spawned);
  await assert.rejects(p.ready, /failed to start: spawn \/nonexistent\/ffmpeg ENOENT/);
});

test('an encoder that cannot open fails at its first frame, not while idle', async () => {
  const p = new FfmpegProcess({ ffmpegPath: 'ffmpeg', args: args('h264_nvenc'), logger, readyTimeoutMs: 3000 });
  await p.spawned;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(p.state, 'starting', 'idle on stdin: NVENC is opened only when input arrives');
  assert.equal(p.writeFrame(patternFrame(W, H, 0)), true);
  await assert.rejects(p.ready, (err: unknown) => err instanceof EncoderError && err.phase === 'start' && /nvenc|libcuda/i.test(err.message));
});

test('no markReady() after the first frame: ready times out and the process is stopped', async () => {
  const p = new FfmpegProcess({ ffmpegPath: 'ffmpeg', args: args('libx264'), logger, readyTimeoutMs: 300 });
  await p.spawned;
  p.writeFrame(patternFrame(W, H, 0));
  await assert.rejects(p.ready, /no output 300 ms after the first frame/);
  await waitFor(() => p.state === 'closed', 3000, 'exit');
  assert.equal(isAlive(must(p.pid, 'p.pid')), false);
});

test('after markReady a kill is "died later"; writes are dropped while one is pending; close is idempotent', async () => {
  const p = new FfmpegProcess({ ffmpegPath: 'ffmpeg', args: args('libx264'), logger, readyTimeoutMs: 3000 });
  await p.spawned;
  const big = patternFrame(W, H, 1); // 115 kB: more than a pipe buffer, so the write stays pending
  assert.equal(p.writeFrame(big), true);
  assert.equal(p.writeFrame(big), false, 'previous frame not yet written: dropped, never queued');
  p.markReady();
  await p.ready;
  assert.equal(p.state, 'running');
  const died = new Promise<EncoderError>((resolve) => p.once('died', ({ error }) => resolve(error)));
  process.kill(must(p.pid, 'p.pid'), 'SIGKILL');
  const err = await died;
  assert.equal(err.phase, 'running');
  assert.match(err.message, /ffmpeg died: killed by SIGKILL/);
  await Promise.all([p.close(), p.close()]);
  assert.equal(p.state, 'closed');
});

test('close() stops an idle encoder without a died event', async () => {
  const p = new FfmpegProcess({ ffmpegPath: 'ffmpeg', args: args('libx264'), logger, readyTimeoutMs: 3000 });
  await p.spawned;
  let died = false;
  p.on('died', () => (died = true));
  const started = performance.now();
  await p.close();
  assert.ok(performance.now() - started < 1500);
  assert.equal(died, false);
  assert.equal(isAlive(must(p.pid, 'p.pid')), false);
  await assert.rejects(p.ready, /closed before ready/);
});

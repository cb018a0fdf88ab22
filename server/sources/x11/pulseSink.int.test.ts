import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { PulseSink } from './pulseSink.ts';
import { pcmRms, processesMentioning, until, writeToneWav } from './pulseTestSupport.ts';
import { must } from '../../../protocol/must.ts';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const alive = (pid: number) => existsSync(`/proc/${pid}`);
const SILENCE_RMS = 300;

test('a tone played into the sink comes out of its monitor as 20 ms chunks in real time; close leaves nothing', async (t) => {
  const sink = new PulseSink({ logger });
  const chunks: Array<{ atMs: number; rms: number; bytes: number }> = [];
  // Started before the daemon is up: the source must wait for it by itself.
  sink.audio.start((pcm) => chunks.push({ atMs: performance.now(), rms: pcmRms(pcm), bytes: pcm.length }));
  const t0 = performance.now();
  await sink.start();
  const readyMs = performance.now() - t0;
  const first = await until('the first chunk', 3000, () => chunks[0]);
  t.diagnostic(`daemon ready ${readyMs.toFixed(0)} ms, first chunk ${(first.atMs - t0).toFixed(0)} ms after spawn`);
  assert.ok(first.rms < SILENCE_RMS, 'silence while nothing plays');
  // Without the sink clock restart (pulseArgs.ts) the first chunk comes about 2 s after the daemon's start.
  assert.ok(first.atMs - t0 < 1500, `first chunk ${(first.atMs - t0).toFixed(0)} ms after spawn`);

  const work = mkdtempSync(join(tmpdir(), 'edgeplay-tone-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  writeToneWav(join(work, 'tone.wav'), { hz: 440, ms: 1000, amplitude: 8000 });
  const playedAt = performance.now();
  const player = spawn('paplay', [join(work, 'tone.wav')], {
    env: { PATH: '/usr/bin:/bin', HOME: work, ...sink.programEnv() },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const playerExit = new Promise<number | null>((resolve) => player.once('exit', resolve));
  const loud = await until('a non-silent chunk', 3000, () => chunks.find((c) => c.atMs > playedAt && c.rms > 2000));
  t.diagnostic(`paplay spawned → first loud chunk: ${(loud.atMs - playedAt).toFixed(0)} ms (includes paplay's start)`);
  assert.ok(loud.rms > 4000 && loud.rms < 7000, `a 8000-amplitude sine has RMS ~5657, got ${loud.rms.toFixed(0)}`);
  assert.equal(await playerExit, 0, 'paplay played the whole file');

  assert.ok(
    chunks.every((c) => c.bytes === 3840),
    'every chunk is 20 ms',
  );
  const last = must(chunks.at(-1), 'chunks.at(-1)');
  const audioMs = (chunks.length - 1) * 20;
  const wallMs = last.atMs - first.atMs;
  t.diagnostic(`${chunks.length} chunks: ${audioMs} ms of sound in ${wallMs.toFixed(0)} ms`);
  assert.ok(Math.abs(audioMs - wallMs) < 150, `real time: ${audioMs} ms of sound in ${wallMs.toFixed(0)} ms`);
  const loudMs = chunks.filter((c) => c.rms > 2000).length * 20;
  assert.ok(loudMs >= 900 && loudMs <= 1100, `the 1 s tone is heard for about 1 s, got ${loudMs} ms`);

  const pids = sink.pids();
  const dir = dirname(must(sink.socketPath, 'sink.socketPath'));
  assert.equal(pids.length, 2, 'daemon and recorder');
  await sink.close();
  await sink.close(); // idempotent
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still running`);
  assert.deepEqual(processesMentioning(dir), [], 'no process of this sink is left');
  assert.equal(existsSync(dir), false, 'its directory is removed');
});

test('a daemon that dies is reported once; the audio goes silent and close still cleans up', async () => {
  const sink = new PulseSink({ logger });
  let chunks = 0;
  sink.audio.start(() => chunks++);
  await sink.start();
  await until('the first chunk', 3000, () => (chunks > 0 ? true : undefined));
  const reasons: string[] = [];
  const died = new Promise<void>((resolve) => sink.onDied((why) => (reasons.push(why), resolve())));
  const [daemonPid] = sink.pids();
  process.kill(must(daemonPid, 'daemonPid'), 'SIGKILL');
  await died;
  assert.match(must(reasons[0], 'reasons[0]'), /pulseaudio exited \(SIGKILL\)|parec/);
  const dir = dirname(must(sink.socketPath, 'sink.socketPath'));
  await sink.close();
  assert.equal(reasons.length, 1);
  assert.deepEqual(processesMentioning(dir), []);
  assert.equal(existsSync(dir), false);
});

test('closed while starting: start rejects and nothing is left', async () => {
  const sink = new PulseSink({ logger });
  const starting = sink.start();
  const dir = dirname(must(sink.socketPath, 'sink.socketPath'));
  const pids = sink.pids();
  await sink.close();
  await assert.rejects(starting, /closed while starting|exited/);
  for (const pid of pids) assert.equal(alive(pid), false);
  assert.equal(existsSync(dir), false);
});

test('a daemon that cannot start rejects start() with the reason and leaves no directory', async () => {
  const sink = new PulseSink({ logger, pulseaudioPath: '/nonexistent/pulseaudio' });
  const starting = sink.start();
  const dir = dirname(must(sink.socketPath, 'sink.socketPath'));
  await assert.rejects(starting, /pulseaudio could not start: spawn \/nonexistent\/pulseaudio ENOENT/);
  assert.equal(existsSync(dir), false);
  assert.deepEqual(sink.pids(), []);
});

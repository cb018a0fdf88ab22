import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ProgramSource } from './programSource.ts';
import { pcmRms, processesMentioning, until, writeToneWav } from './pulseTestSupport.ts';
import { must } from '../../../protocol/must.ts';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const alive = (pid: number) => existsSync(`/proc/${pid}`);
const ffmpegPath = process.env.FFMPEG_PATH ?? 'ffmpeg';

/** One variable of a running process's environment. */
function envOf(pid: number, name: string): string | undefined {
  try {
    const vars = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return vars.find((v) => v.startsWith(`${name}=`))?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

test('a program that crashes fails its source with a reason, and everything it started is gone', async () => {
  const src = new ProgramSource({
    program: { command: '/bin/sh', args: ['-c', 'sleep 60 & sleep 3; echo boom >&2; exit 3'] },
    width: 320,
    height: 240,
    fps: 10,
    ffmpegPath,
    logger,
    audio: false,
  });
  assert.equal(src.audio, undefined, 'audio: false gives no sound');
  let frames = 0;
  const failed = new Promise<string>((resolve) => src.onFailed(resolve));
  src.start(() => frames++);
  const server = await until('the program', 5000, () =>
    src
      .pids()
      .map((pid) => envOf(pid, 'PULSE_SERVER'))
      .find((v) => v !== undefined),
  );
  assert.match(server, /^unix:\/.+\/no-pulseaudio$/, 'without a sink libpulse gets a server that is not there, so it never autospawns one');
  const reason = await failed;
  assert.match(reason, /program exited \(code 3\): boom/);
  assert.ok(frames > 0, 'frames were captured before the crash');
  const pids = src.pids();
  assert.equal(pids.length, 3);
  await src.stop();
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still running`);
});

test("a program's sound reaches source.audio through its own PulseAudio, and shutdown leaves none of it", async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'edgeplay-tone-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const wav = join(work, 'tone.wav');
  writeToneWav(wav, { hz: 440, ms: 300, amplitude: 8000 });
  const src = new ProgramSource({
    // A "game" that plays a tone over and over under Xvfb; if it cannot play, it exits and fails the source.
    program: { command: '/bin/sh', args: ['-c', 'while paplay "$0"; do :; done', wav] },
    width: 320,
    height: 240,
    fps: 10,
    ffmpegPath,
    logger,
  });
  const audio = src.audio;
  assert.ok(audio, 'audio exists right after construction');
  const problems: string[] = [];
  src.onFailed((r) => problems.push(r));
  src.onAudioFailed((r) => problems.push(`audio: ${r}`));
  const rms: number[] = [];
  audio.start((pcm) => rms.push(pcmRms(pcm))); // before the source (and its PulseAudio) starts
  let frames = 0;
  const t0 = performance.now();
  src.start(() => frames++);
  await until('a loud chunk', 8000, () => (rms.some((r) => r > 2000) ? true : undefined));
  t.diagnostic(`first loud chunk ${(performance.now() - t0).toFixed(0)} ms after start()`);
  await until('a frame', 8000, () => (frames > 0 ? true : undefined));

  const pids = src.pids();
  assert.equal(pids.length, 5, 'Xvfb, program, capture, pulseaudio, parec');
  const server = pids.map((pid) => envOf(pid, 'PULSE_SERVER')).find((v) => v !== undefined);
  assert.match(server ?? '', /^unix:\/.+\/native$/, "the program was given the session's server");
  const pulseDir = must(server, 'server').slice('unix:'.length, -'/native'.length);
  assert.ok(existsSync(pulseDir));

  audio.stop();
  await src.stop();
  assert.deepEqual(problems, []);
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still running`);
  assert.deepEqual(processesMentioning(pulseDir), [], 'no pulseaudio or parec of this session is left');
  assert.equal(existsSync(pulseDir), false, 'its PulseAudio directory is removed');
});

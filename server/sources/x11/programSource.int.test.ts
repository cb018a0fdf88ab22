import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import pino from 'pino';
import { ProgramSource } from './programSource.ts';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const alive = (pid: number) => existsSync(`/proc/${pid}`);

test('a program that crashes fails its source with a reason, and everything it started is gone', async () => {
  const src = new ProgramSource({
    program: { command: '/bin/sh', args: ['-c', 'sleep 60 & sleep 3; echo boom >&2; exit 3'] },
    width: 320, height: 240, fps: 10, ffmpegPath: process.env.FFMPEG_PATH ?? 'ffmpeg', logger,
  });
  let frames = 0;
  const failed = new Promise<string>((resolve) => src.onFailed(resolve));
  src.start(() => frames++);
  const reason = await failed;
  assert.match(reason, /program exited \(code 3\): boom/);
  assert.ok(frames > 0, 'frames were captured before the crash');
  const pids = src.pids();
  assert.equal(pids.length, 3);
  await src.shutdown();
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still running`);
});

// Real ffmpeg from PATH (Debian 5.1 here: NVENC is compiled in but no GPU works).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { probeEncoders } from './probe.ts';
import { resolveFfmpegPath } from './ffmpegPath.ts';

test('real ffmpeg: libx264 is chosen and the NVENC failure is recorded', async () => {
  const { path } = resolveFfmpegPath({});
  const r = await probeEncoders({ ffmpegPath: path, logger: pino({ level: 'silent' }), timeoutMs: 15_000 });
  const byName = new Map(r.results.map((e) => [e.encoder, e]));
  assert.equal(r.chosen, 'libx264', JSON.stringify(r.results));
  assert.equal(r.codec, 'H264');
  const nvenc = byName.get('h264_nvenc');
  assert.equal(nvenc?.ok, false);
  // No GPU: "Cannot load libcuda.so.1"; a GPU without an encode engine: NV_ENC_ERR / OpenEncodeSessionEx.
  assert.match(nvenc?.reason ?? '', /h264_nvenc|libcuda|NV_ENC|OpenEncodeSession/);
  assert.equal(byName.get('libx264')?.ok, true);
  console.log(JSON.stringify({ warmMs: r.warmMs, results: r.results }));
});

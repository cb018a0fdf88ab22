// Real ffmpeg from PATH. The probe's contract, on any machine: it picks an encoder that really
// encodes, in preference order, and says why each one before it failed. On these machines (no
// NVENC engine) that is libx264 after the hardware encoders; on a GPU edge it is h264_nvenc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { probeEncoders } from './probe.ts';
import { resolveFfmpegPath } from './ffmpegPath.ts';
import { ENCODER_NAMES, codecOf } from './args.ts';

test('real ffmpeg: the first encoder that works is chosen, and every one before it says why it failed', async () => {
  const { path } = resolveFfmpegPath({});
  const r = await probeEncoders({ ffmpegPath: path, logger: pino({ level: 'silent' }), timeoutMs: 15_000 });
  const order = r.results.map((e) => e.encoder);
  assert.deepEqual(order, [...ENCODER_NAMES], 'probed in preference order');
  const chosenAt = order.indexOf(r.chosen);
  assert.equal(r.results[chosenAt]?.ok, true, JSON.stringify(r.results));
  assert.equal(r.codec, codecOf(r.chosen));
  for (const e of r.results.slice(0, chosenAt)) {
    assert.equal(e.ok, false);
    assert.ok((e.reason ?? '').length > 0, `${e.encoder} failed without a reason`);
  }
  for (const e of r.results.slice(chosenAt + 1)) assert.equal(e.ok, false, `${e.encoder} after the chosen one is not probed`);
  console.log(JSON.stringify({ chosen: r.chosen, warmMs: r.warmMs, results: r.results }));
});

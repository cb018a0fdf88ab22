import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, matchInputs } from './analysis.ts';
import type { SampledFrame } from './samples.ts';
import { must } from '../../protocol/must.ts';

const frame = (t: number, row0?: number, row1?: number): SampledFrame => {
  const f: SampledFrame = { t, w: 640, h: 360, read: true };
  if (row0 !== undefined) f.row0 = row0;
  if (row1 !== undefined) f.row1 = row1;
  return f;
};

test('an input counts once, on the first frame whose row 1 carries its time (±2 ms)', () => {
  const inputs = [
    { t: 1000, code: 'ArrowLeft', down: true },
    { t: 1120, code: 'ArrowLeft', down: false },
  ];
  const frames = [
    frame(1010, 990, 0),
    frame(1050, 1020, 1001), // client's ts was 1 ms after the sampler's listener
    frame(1083, 1060, 1001), // same value again: not a new sample
    frame(1170, 1150, 1120),
  ];
  assert.deepEqual(matchInputs(frames, inputs), [
    { t: 1050, ms: 49, input: 0 },
    { t: 1170, ms: 50, input: 1 },
  ]);
});

test('row 1 values that match no input of ours, or no longer match, are ignored', () => {
  const inputs = [{ t: 2000, code: 'KeyD', down: true }];
  assert.deepEqual(matchInputs([frame(2100, 2090, 1500), frame(2133, 2120, 2003)], inputs), []);
  // An input seen before cannot match a later change back to it.
  const again = [frame(2100, 2090, 2000), frame(2133, 2120, 1999), frame(2166, 2150, 2000)];
  assert.equal(matchInputs(again, inputs).length, 1);
});

test('the analysis of a fixed run: window, stamp rate, latencies, fps, freezes, network', () => {
  const frames: SampledFrame[] = [];
  for (let i = 0; i < 30; i++) frames.push({ ...frame(10_000 + i * 33, 10_000 + i * 33 - 40, i >= 10 ? 10_300 : 0), pf: i + 1 });
  frames[5] = { t: must(frames[5], 'frames[5]').t, pf: 6, w: 640, h: 360, read: true }; // one stamp that did not decode
  const r = analyse({
    frames,
    inputs: [{ t: 10_300, code: 'ArrowRight', down: true }],
    rtc: [
      { t: 9_500, pc: 0, bytesReceived: 0, framesDecoded: 0, packetsLost: 0, packetsReceived: 0, nackCount: 0 },
      { t: 11_500, pc: 0, bytesReceived: 250_000, framesDecoded: 60, packetsLost: 2, packetsReceived: 198, nackCount: 3, codec: 'H264' },
    ],
    windowStart: 10_000,
    windowEnd: 11_000,
    navigationAt: 9_000,
    firstFrameAt: 9_800,
    session: { encoder: 'libx264', edgeId: 'local-edge' },
  });
  assert.equal(r.firstPictureMs, 800);
  assert.deepEqual(r.stamp, { framesRead: 30, framesValid: 29, decodeRate: 0.967 });
  assert.equal(r.glassToGlassMs.n, 29);
  assert.equal(r.glassToGlassMs.p50, 40);
  assert.deepEqual([r.inputToPhotonMs.n, r.inputToPhotonMs.p50, r.inputToPhotonMs.inputsSeen], [1, 30, 1]);
  assert.equal(r.fps.presented, 30);
  assert.equal(r.freezes.over100ms.count, 0);
  assert.deepEqual([r.network.bitrateKbps, r.network.packetsLost, r.network.lossPercent, r.network.nackCount, r.fps.decoded], [1000, 2, 1, 3, 30]);
  assert.deepEqual([r.session.encoder, r.session.edgeId, r.session.codec, r.session.width], ['libx264', 'local-edge', 'H264', 640]);
  assert.deepEqual(r.warnings, []);
});

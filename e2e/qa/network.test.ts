import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bracket, increase, networkFigures } from './network.ts';
import { rtcSnapshot } from './rtcSnapshot.ts';
import type { RtcSnapshot } from './samples.ts';

test('a getStats report becomes a snapshot of the inbound video stream', () => {
  const report = [
    { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', currentRoundTripTime: 0.2431 },
    { id: 'C1', type: 'codec', mimeType: 'video/H264' },
    { id: 'IA', type: 'inbound-rtp', kind: 'audio', bytesReceived: 999_999 },
    {
      id: 'IV',
      type: 'inbound-rtp',
      kind: 'video',
      codecId: 'C1',
      bytesReceived: 5000,
      packetsLost: 3,
      nackCount: 7,
      pliCount: 1,
      jitterBufferDelay: 0.5,
      decoderImplementation: 'FFmpeg',
    },
  ];
  assert.deepEqual(rtcSnapshot(report, 123, 0), {
    t: 123,
    pc: 0,
    bytesReceived: 5000,
    packetsLost: 3,
    nackCount: 7,
    pliCount: 1,
    jitterBufferDelay: 0.5,
    codec: 'H264',
    decoderImplementation: 'FFmpeg',
    rttMs: 243.1,
  });
  assert.equal(rtcSnapshot([{ type: 'inbound-rtp', kind: 'audio' }], 1, 0), undefined);
});

const snap = (t: number, pc: number, bytesReceived: number, extra: Partial<RtcSnapshot> = {}): RtcSnapshot => ({ t, pc, bytesReceived, ...extra });

test('the window is bracketed by the snapshots just outside it', () => {
  const s = [snap(0, 0, 0), snap(1000, 0, 1), snap(2000, 0, 2), snap(3000, 0, 3), snap(4000, 0, 4)];
  assert.deepEqual(
    bracket(s, 1500, 2500).map((x) => x.t),
    [1000, 2000, 3000],
  );
});

test('counters sum their increases, and a new connection counts from zero', () => {
  const s = [snap(0, 0, 100), snap(1000, 0, 300), snap(1500, 1, 50), snap(2000, 1, 150)];
  assert.equal(increase(s, 'bytesReceived'), 200 + 50 + 100);
  assert.equal(increase(s, 'nackCount'), null);
});

test('window figures: bitrate, loss, jitter buffer and decode time per frame', () => {
  const s = [
    snap(0, 0, 0, { packetsReceived: 0, packetsLost: 0, jitterBufferDelay: 0, jitterBufferEmittedCount: 0, totalDecodeTime: 0, framesDecoded: 0, rttMs: 10 }),
    snap(2000, 0, 500_000, {
      packetsReceived: 97,
      packetsLost: 3,
      jitterBufferDelay: 1.2,
      jitterBufferEmittedCount: 60,
      totalDecodeTime: 0.12,
      framesDecoded: 60,
      rttMs: 20,
    }),
  ];
  const f = networkFigures(s, 0, 2000);
  assert.equal(f.bitrateKbps, 2000);
  assert.equal(f.lossPercent, 3);
  assert.equal(f.jitterBufferMs, 20);
  assert.equal(f.decodeMsPerFrame, 2);
  assert.equal(f.decodedFps, 30);
  assert.equal(f.rttMs, 15);
  assert.equal(networkFigures([], 0, 1).bitrateKbps, null);
});

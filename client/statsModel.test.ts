import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStats, summariseRtcStats } from './statsModel.ts';

const report = (over: { bytes: number; frames: number; jbDelay: number; jbCount: number }): unknown[] => [
  { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP2' },
  { id: 'CP1', type: 'candidate-pair', state: 'failed', currentRoundTripTime: 9 },
  { id: 'CP2', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.0123 },
  { id: 'C1', type: 'codec', mimeType: 'video/H264' },
  { id: 'A1', type: 'inbound-rtp', kind: 'audio', bytesReceived: 99999999 },
  {
    id: 'V1',
    type: 'inbound-rtp',
    kind: 'video',
    codecId: 'C1',
    frameWidth: 1280,
    frameHeight: 720,
    bytesReceived: over.bytes,
    packetsReceived: 1000,
    packetsLost: 3,
    framesDecoded: over.frames,
    framesPerSecond: 29,
    jitterBufferDelay: over.jbDelay,
    jitterBufferEmittedCount: over.jbCount,
    decoderImplementation: 'FFmpeg',
    freezeCount: 1,
    totalFreezesDuration: 0.25,
    nackCount: 2,
    pliCount: 1,
  },
  null,
  'junk',
];

test('first report: static figures, cumulative jitter buffer, no rates yet', () => {
  const { figures, counters } = summariseRtcStats(report({ bytes: 100_000, frames: 30, jbDelay: 0.6, jbCount: 30 }), undefined, 1000);
  assert.equal(figures.width, 1280);
  assert.equal(figures.height, 720);
  assert.equal(figures.codec, 'H264');
  assert.equal(figures.decoderImplementation, 'FFmpeg');
  assert.equal(figures.rttMs, 12.3);
  assert.equal(figures.packetsLost, 3);
  assert.equal(figures.jitterBufferMs, 20);
  assert.equal(figures.bitrateKbps, undefined);
  assert.equal(figures.decodedFps, 29, 'falls back to framesPerSecond');
  assert.equal(figures.totalFreezesDurationMs, 250);
  assert.deepEqual(counters, { atMs: 1000, bytesReceived: 100_000, framesDecoded: 30, jitterBufferDelay: 0.6, jitterBufferEmittedCount: 30 });
});

test('second report: rates over the interval and interval jitter buffer', () => {
  const first = summariseRtcStats(report({ bytes: 100_000, frames: 30, jbDelay: 0.6, jbCount: 30 }), undefined, 1000);
  const { figures } = summariseRtcStats(report({ bytes: 350_000, frames: 60, jbDelay: 0.9, jbCount: 60 }), first.counters, 2000);
  assert.equal(figures.bitrateKbps, 2000);
  assert.equal(figures.decodedFps, 30);
  assert.equal(figures.jitterBufferMs, 10);
});

test('no video yet: only the RTT, and the overlay still formats', () => {
  const { figures, counters } = summariseRtcStats(
    [{ id: 'P', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.001 }],
    undefined,
    0,
  );
  assert.deepEqual(figures, { rttMs: 1 });
  assert.equal(counters, undefined);
  const rows = formatStats({ atMs: 0, g2gSamples: 0, ...figures });
  assert.ok(rows.some(([k, v]) => k === 'RTT' && v === '1 ms'));
  assert.deepEqual(formatStats(undefined), [['stats', 'waiting…']]);
});

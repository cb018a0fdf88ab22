import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFreezes, fpsTimeline, frameGaps, histogram, percentile, presentedFps, summarize } from './stats.ts';

test('percentiles use the nearest rank on a fixed sample set', () => {
  const v = [15, 20, 35, 40, 50]; // the textbook example for nearest rank
  assert.equal(percentile(v, 5), 15);
  assert.equal(percentile(v, 30), 20);
  assert.equal(percentile(v, 40), 20);
  assert.equal(percentile(v, 50), 35);
  assert.equal(percentile(v, 100), 50);
  assert.equal(percentile([], 50), null);
});

test('a summary gives p50, p95, p99, max, mean and the count, rounded to 0.1 ms', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  assert.deepEqual(summarize(hundred), { n: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
  assert.deepEqual(summarize([33.333, 10]), { n: 2, p50: 10, p95: 33.3, p99: 33.3, max: 33.3, mean: 21.7 });
  assert.deepEqual(summarize([]), { n: 0, p50: null, p95: null, p99: null, max: null, mean: null });
});

test('a steady 30 fps stream has no freezes and presents 30 fps', () => {
  const frames = Array.from({ length: 90 }, (_, i) => ({ t: 1000 + i * 33.34, pf: i + 1 }));
  assert.deepEqual(detectFreezes(frames, 1000, 4000, 100), { count: 0, totalMs: 0, longestMs: 0 });
  assert.equal(presentedFps(frames, 1000, 4000), 30);
  assert.deepEqual(
    fpsTimeline(frames, 1000, 4000).map(([, n]) => n),
    [30, 30, 30],
  );
});

test('gaps over 100 ms and over 250 ms are counted and summed separately', () => {
  // Frames every 30 ms, then a 150 ms gap, more frames, a 400 ms gap, more frames.
  const t = [0, 30, 60, 210, 240, 270, 670, 700];
  const frames = t.map((x, i) => ({ t: x, pf: i + 1 }));
  assert.deepEqual(detectFreezes(frames, 0, 700, 100), { count: 2, totalMs: 550, longestMs: 400 });
  assert.deepEqual(detectFreezes(frames, 0, 700, 250), { count: 1, totalMs: 400, longestMs: 400 });
});

test('a stream that stops before the window ends is frozen until the end', () => {
  const frames = [0, 30, 60].map((t) => ({ t }));
  assert.deepEqual(detectFreezes(frames, 0, 1000, 250), { count: 1, totalMs: 940, longestMs: 940 });
  assert.deepEqual(detectFreezes([], 0, 500, 100), { count: 1, totalMs: 500, longestMs: 500 });
});

test('callbacks the page missed are not freezes when presentedFrames shows the frames were shown', () => {
  // 120 ms between callbacks, but the compositor presented 4 frames in that time.
  const frames = [
    { t: 0, pf: 10 },
    { t: 120, pf: 14 },
    { t: 150, pf: 15 },
  ];
  assert.deepEqual(frameGaps(frames, 0, 150), [0, 30, 30, 30, 30, 30, 0]);
  assert.equal(detectFreezes(frames, 0, 150, 100).count, 0);
  assert.equal(presentedFps(frames, 0, 150), 40); // 6 frames in 0.15 s
});

test('a reset of presentedFrames (a new video element) counts as one frame, never negative', () => {
  const frames = [
    { t: 0, pf: 500 },
    { t: 40, pf: 1 },
  ];
  assert.deepEqual(frameGaps(frames, 0, 40), [0, 40, 0]);
});

test('histogram bins cover the samples from the lowest bin to the highest', () => {
  assert.deepEqual(histogram([12, 14, 25, 41], 10), [
    [10, 2],
    [20, 1],
    [30, 0],
    [40, 1],
  ]);
  assert.deepEqual(histogram([], 10), []);
});

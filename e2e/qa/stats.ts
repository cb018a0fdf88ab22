/**
 * Statistics of a latency run, on plain numbers: percentile summaries,
 * freezes and frame rate from presentation times. Pure functions, tested on
 * fixed sample sets (stats.test.ts).
 */

/** JSON cannot hold NaN: figures without samples are null. */
import { must } from '../../protocol/must.ts';
export type Summary = { n: number; p50: number | null; p95: number | null; p99: number | null; max: number | null; mean: number | null };

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Nearest-rank percentile (the smallest value with at least p % of the samples at or below it), as e2e/support/player.ts. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return must(sorted[rank], 'sorted[rank]');
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { n: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    must(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))], 'sorted[Math.min(sorted.length - 1, Math.max(0...');
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    n: values.length,
    p50: round1(at(50)),
    p95: round1(at(95)),
    p99: round1(at(99)),
    max: round1(must(sorted[sorted.length - 1], 'sorted[sorted.length - 1]')),
    mean: round1(sum / values.length),
  };
}

/** A presented frame: its time, and the compositor's running count when known. */
export type FrameTime = { t: number; pf?: number };

/**
 * How many frames each callback stands for: requestVideoFrameCallback can
 * skip callbacks when the page is busy, but presentedFrames still counts
 * every frame shown. A reset (new <video>) or a missing count stands for one.
 */
export function framesRepresented(frames: readonly FrameTime[]): number[] {
  return frames.map((f, i) => {
    const prev = frames[i - 1]?.pf;
    if (i === 0 || prev === undefined || f.pf === undefined) return 1;
    const d = f.pf - prev;
    return d >= 1 ? d : 1;
  });
}

/**
 * The on-screen durations between frames within [start, end]: each gap
 * between callbacks is split evenly among the frames presented in it, and
 * the edges of the window count as gaps too (a stream that stops near the
 * end of the window is frozen until it ends).
 */
export function frameGaps(frames: readonly FrameTime[], start: number, end: number): number[] {
  const inside = frames.filter((f) => f.t >= start && f.t <= end);
  if (inside.length === 0) return end > start ? [end - start] : [];
  const reps = framesRepresented(inside);
  const gaps: number[] = [must(inside[0], 'inside[0]').t - start];
  for (let i = 1; i < inside.length; i++) {
    const n = must(reps[i], 'reps[i]');
    const gap = (must(inside[i], 'inside[i]').t - must(inside[i - 1], 'inside[i - 1]').t) / n;
    for (let k = 0; k < n; k++) gaps.push(gap);
  }
  gaps.push(end - must(inside[inside.length - 1], 'inside[inside.length - 1]').t);
  return gaps;
}

export type Freezes = { count: number; totalMs: number; longestMs: number };

/** Gaps longer than `thresholdMs`: how many, their summed length and the longest. */
export function detectFreezes(frames: readonly FrameTime[], start: number, end: number, thresholdMs: number): Freezes {
  const long = frameGaps(frames, start, end).filter((g) => g > thresholdMs);
  return { count: long.length, totalMs: Math.round(long.reduce((a, b) => a + b, 0)), longestMs: Math.round(long.length ? Math.max(...long) : 0) };
}

/** Frames presented per second over [start, end]. */
export function presentedFps(frames: readonly FrameTime[], start: number, end: number): number {
  const inside = frames.filter((f) => f.t >= start && f.t <= end);
  const seconds = (end - start) / 1000;
  if (seconds <= 0) return 0;
  const count = framesRepresented(inside).reduce((a, b) => a + b, 0);
  return round1(count / seconds);
}

/** Presented frames per whole second of the window: [second, fps] pairs (the last, partial second left out). */
export function fpsTimeline(frames: readonly FrameTime[], start: number, end: number): Array<[number, number]> {
  const inside = frames.filter((f) => f.t >= start && f.t <= end);
  const reps = framesRepresented(inside);
  const seconds = Math.floor((end - start) / 1000);
  const buckets = new Array<number>(Math.max(0, seconds)).fill(0);
  inside.forEach((f, i) => {
    const k = Math.floor((f.t - start) / 1000);
    if (k < seconds) buckets[k] = (buckets[k] ?? 0) + must(reps[i], 'reps[i]');
  });
  return buckets.map((n, k) => [k + 1, n]);
}

/** Counts per bin of `binWidth`: [bin start, count] for every bin from the lowest to the highest sample. */
export function histogram(values: readonly number[], binWidth: number): Array<[number, number]> {
  if (values.length === 0 || !(binWidth > 0)) return [];
  const lo = Math.floor(Math.min(...values) / binWidth);
  const hi = Math.floor(Math.max(...values) / binWidth);
  const counts = new Array<number>(hi - lo + 1).fill(0);
  for (const v of values) {
    const bin = Math.floor(v / binWidth) - lo;
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts.map((n, i) => [(lo + i) * binWidth, n]);
}

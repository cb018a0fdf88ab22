/**
 * The benchmark's figures from what the handset pages recorded. Pure.
 *
 * Tap-to-photon (spec: latency-stamp.md, row 1): the shell's row 1 is the
 * client `ts` of the last input the shell actually received. A tap sends a
 * touch start and, a few ms later, a touch end, each with its own ts, so a
 * frame may already carry the end's ts when it first shows the tap. The
 * photon of a tap is therefore the first presented frame whose row 1 is at
 * or after the tap's start ts; the delay is that frame's presentation time
 * minus the start ts. `exact` counts taps whose start ts itself was seen.
 */
import { analyse } from '../../qa/analysis.ts';
import type { LatencyResult } from '../../qa/result.ts';
import type { RtcSnapshot, SampledFrame } from '../../qa/samples.ts';
import { summarize, type Summary } from '../../qa/stats.ts';
import type { TouchMark } from './handset.ts';
import { must } from '../../../protocol/must.ts';

/** Within this many ms a touch listener's Date.now() and the app's ts may differ. */
const SAME_MS = 2;
/** A tap whose photon has not come this long after it counts as lost. */
const LOST_AFTER_MS = 3_000;

export type TapFigures = Summary & { taps: number; seen: number; exact: number };

export function tapToPhoton(frames: readonly SampledFrame[], touches: readonly TouchMark[]): TapFigures {
  const starts = touches
    .filter((t) => t.phase === 'start')
    .map((t) => t.t)
    .sort((a, b) => a - b);
  const shown = frames.filter((f) => f.row1 !== undefined && f.row1 > 0).sort((a, b) => a.t - b.t);
  const samples: number[] = [];
  let exact = 0;
  for (const ts of starts) {
    const photon = shown.find((f) => f.t >= ts && must(f.row1, 'f.row1') >= ts - SAME_MS);
    if (!photon || photon.t - ts > LOST_AFTER_MS) continue;
    samples.push(photon.t - ts);
    if (shown.some((f) => Math.abs(must(f.row1, 'f.row1') - ts) <= SAME_MS)) exact++;
  }
  return { ...summarize(samples), taps: starts.length, seen: samples.length, exact };
}

/** Glass-to-glass, fps, freezes and network over [start, end], by the QA toolkit's own analysis. */
export function streamWindow(frames: readonly SampledFrame[], rtc: readonly RtcSnapshot[], start: number, end: number): LatencyResult {
  return analyse({ frames, inputs: [], rtc, windowStart: start, windowEnd: end });
}

/** The figures of a window the table and the report keep (the rest of LatencyResult is long series). */
export function brief(r: LatencyResult) {
  return {
    glassToGlassMs: r.glassToGlassMs,
    fps: r.fps,
    freezes: r.freezes,
    stampDecodeRate: r.stamp.decodeRate,
    network: {
      bitrateKbps: r.network.bitrateKbps,
      packetsLost: r.network.packetsLost,
      nack: r.network.nackCount,
      pli: r.network.pliCount,
      framesDropped: r.network.framesDropped,
      jitterBufferMs: r.network.jitterBufferMs,
      decodeMs: r.network.decodeMsPerFrame,
      rttMs: r.network.rttMs,
    },
    session: r.session,
    warnings: r.warnings,
  };
}

export type Spread = { n: number; median: number | null; max: number | null; values: number[] };

export function spread(values: ReadonlyArray<number | undefined>): Spread {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return { n: 0, median: null, max: null, values: [] };
  const sorted = [...v].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? must(sorted[mid], 'sorted[mid]') : (must(sorted[mid - 1], 'sorted[mid - 1]') + must(sorted[mid], 'sorted[mid]')) / 2;
  return { n: v.length, median: Math.round(median), max: Math.round(must(sorted[sorted.length - 1], 'sorted[sorted.length - 1]')), values: v.map(Math.round) };
}

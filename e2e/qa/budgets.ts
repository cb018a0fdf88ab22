/**
 * Latency budgets for CI, all in one place: the @latency Playwright project
 * (e2e/latency/) and `npm run latency -- --budget NAME` check results against
 * them. Ceilings are generous on purpose: CI runs on 2 shared cores where
 * another heavy process on the same cores roughly doubles latency (measured
 * when this project started); they catch a broken pipeline or a big
 * regression, not a few milliseconds.
 */
import type { LatencyResult } from './result.ts';

export type Budget = {
  description: string;
  firstPictureMaxMs: number;
  /** Share of stamped frames whose stamp decoded (spec requires invalid rows be discarded, so this shows picture damage). */
  stampDecodeRateMin: number;
  g2gP50MaxMs: number;
  g2gP95MaxMs: number;
  i2pP50MaxMs: number;
  /** Presented fps at least this share of the stream's rate. */
  presentedFpsMinShare: number;
  /** Freezes over 250 ms at most. */
  freezesOver250msMax: number;
};

export const BUDGETS = {
  /** `npm test`: 640x360@30 on loopback, measured for a few seconds on a busy machine. */
  'lan-ci': {
    description: 'CI check on loopback, 640x360@30',
    firstPictureMaxMs: 8_000,
    stampDecodeRateMin: 0.9,
    g2gP50MaxMs: 250,
    g2gP95MaxMs: 600,
    i2pP50MaxMs: 400,
    presentedFpsMinShare: 0.5,
    freezesOver250msMax: 2,
  },
} as const satisfies Record<string, Budget>;

export type BudgetName = keyof typeof BUDGETS;

/** What the `bad` profile must visibly do to a stream (e2e/latency): its delay and its loss show. */
export const BAD_PROFILE_EXPECTATIONS = { g2gP50MinMs: 100, g2gP50MaxMs: 2_000 } as const;

export function getBudget(name: string): Budget {
  if (!Object.hasOwn(BUDGETS, name)) throw new Error(`unknown budget '${name}' (known: ${Object.keys(BUDGETS).join(', ')})`);
  return BUDGETS[name as BudgetName];
}

/** Each way the result breaks the budget, as a sentence; empty when within it. */
export function checkBudget(r: LatencyResult, b: Budget, streamFps: number): string[] {
  const over: string[] = [];
  const check = (ok: boolean, text: string) => ok || over.push(text);
  check(r.firstPictureMs !== null && r.firstPictureMs <= b.firstPictureMaxMs, `first picture ${r.firstPictureMs ?? 'never'} ms > ${b.firstPictureMaxMs} ms`);
  check((r.stamp.decodeRate ?? 0) >= b.stampDecodeRateMin, `stamp decode rate ${r.stamp.decodeRate} < ${b.stampDecodeRateMin}`);
  const g = r.glassToGlassMs;
  check(g.n > 0 && g.p50 !== null && g.p50 > 0 && g.p50 <= b.g2gP50MaxMs, `glass-to-glass p50 ${g.p50} ms not in (0, ${b.g2gP50MaxMs}]`);
  check(g.p95 !== null && g.p95 <= b.g2gP95MaxMs, `glass-to-glass p95 ${g.p95} ms > ${b.g2gP95MaxMs} ms`);
  const i = r.inputToPhotonMs;
  check(i.n > 0 && i.p50 !== null && i.p50 > 0 && i.p50 <= b.i2pP50MaxMs, `input-to-photon p50 ${i.p50} ms (n=${i.n}) not in (0, ${b.i2pP50MaxMs}]`);
  check(r.fps.presented >= streamFps * b.presentedFpsMinShare, `presented ${r.fps.presented} fps < ${b.presentedFpsMinShare} × ${streamFps}`);
  check(r.freezes.over250ms.count <= b.freezesOver250msMax, `${r.freezes.over250ms.count} freezes over 250 ms > ${b.freezesOver250msMax}`);
  return over;
}

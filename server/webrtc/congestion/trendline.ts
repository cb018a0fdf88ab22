/**
 * The delay-based half of a GCC-style estimator (after libwebrtc's
 * TrendlineEstimator and its overuse detector): packets are grouped into
 * bursts by send time; for each pair of bursts the one-way delay variation
 * (arrival spacing minus send spacing) is accumulated and smoothed, and the
 * slope of that accumulated delay over arrival time, over a sliding window,
 * tells whether the bottleneck queue is filling (overuse), draining
 * (underuse) or steady (normal). The threshold adapts, so a link with
 * steady jitter does not read as congestion.
 *
 * Pure: every input carries its own times.
 */
export type DelaySignal = 'normal' | 'overuse' | 'underuse';

/** Packets sent within this span of the burst's first are one group (libwebrtc: 5 ms). */
const BURST_MS = 5;
const WINDOW = 20;
/** A trend is read from this many points on (libwebrtc waits for the full window; at 30 groups a second that is 0.7 s of a stream that may already be overrunning its link). */
const MIN_POINTS = 6;
const SMOOTHING = 0.9;
const THRESHOLD_GAIN = 4;
const MAX_DELTAS = 60;
const K_UP = 0.0087;
const K_DOWN = 0.039;
const THRESHOLD_MIN_MS = 6;
const THRESHOLD_MAX_MS = 600;
/** Overuse must last this long before it is signalled. */
const OVERUSE_TIME_MS = 10;

type Group = { firstSentMs: number; lastSentMs: number; lastArrivalMs: number };

export class TrendlineDetector {
  private current: Group | undefined;
  private previous: Group | undefined;
  private firstArrivalMs: number | undefined;
  private accumulatedMs = 0;
  private smoothedMs = 0;
  private readonly window: { x: number; y: number }[] = [];
  private numDeltas = 0;
  private thresholdMs = 12.5;
  private lastThresholdUpdateMs: number | undefined;
  private overuseSinceMs: number | undefined;
  private overuseCount = 0;
  private previousTrend = 0;
  private signal: DelaySignal = 'normal';
  /** The last modified trend, for logs and tests. */
  modifiedTrend = 0;

  get state(): DelaySignal {
    return this.signal;
  }

  get threshold(): number {
    return this.thresholdMs;
  }

  /** One received packet, in send order as the feedback lists them. */
  onPacket(sentAtMs: number, arrivalMs: number): DelaySignal {
    const g = this.current;
    if (g && sentAtMs - g.firstSentMs <= BURST_MS) {
      g.lastSentMs = Math.max(g.lastSentMs, sentAtMs);
      g.lastArrivalMs = Math.max(g.lastArrivalMs, arrivalMs);
      return this.signal;
    }
    if (g && sentAtMs < g.firstSentMs) return this.signal; // reordered into an older burst: ignore
    if (g && this.previous) this.onGroupDelta(g.lastSentMs - this.previous.lastSentMs, g.lastArrivalMs - this.previous.lastArrivalMs, g.lastArrivalMs);
    if (g) this.previous = g;
    this.current = { firstSentMs: sentAtMs, lastSentMs: sentAtMs, lastArrivalMs: arrivalMs };
    return this.signal;
  }

  private onGroupDelta(sendDeltaMs: number, arrivalDeltaMs: number, arrivalMs: number): void {
    const delayDeltaMs = arrivalDeltaMs - sendDeltaMs;
    this.numDeltas = Math.min(this.numDeltas + 1, MAX_DELTAS * 10);
    this.firstArrivalMs ??= arrivalMs;
    this.accumulatedMs += delayDeltaMs;
    this.smoothedMs = SMOOTHING * this.smoothedMs + (1 - SMOOTHING) * this.accumulatedMs;
    this.window.push({ x: arrivalMs - this.firstArrivalMs, y: this.smoothedMs });
    if (this.window.length > WINDOW) this.window.shift();
    let trend = this.previousTrend;
    if (this.window.length >= MIN_POINTS) trend = slope(this.window) ?? trend;
    this.detect(trend, sendDeltaMs, arrivalMs);
  }

  private detect(trend: number, sendDeltaMs: number, nowMs: number): void {
    const modified = Math.min(this.numDeltas, MAX_DELTAS) * trend * THRESHOLD_GAIN;
    this.modifiedTrend = modified;
    if (modified > this.thresholdMs) {
      this.overuseSinceMs ??= nowMs - sendDeltaMs / 2;
      this.overuseCount++;
      const lasted = nowMs - this.overuseSinceMs;
      if (lasted > OVERUSE_TIME_MS && this.overuseCount > 1 && trend >= this.previousTrend) this.signal = 'overuse';
    } else {
      this.overuseSinceMs = undefined;
      this.overuseCount = 0;
      this.signal = modified < -this.thresholdMs ? 'underuse' : 'normal';
    }
    this.previousTrend = trend;
    this.adaptThreshold(modified, nowMs);
  }

  private adaptThreshold(modified: number, nowMs: number): void {
    const last = this.lastThresholdUpdateMs ?? nowMs;
    this.lastThresholdUpdateMs = nowMs;
    // A spike far above the threshold (a route change, a hiccup) must not drag it up.
    if (Math.abs(modified) > this.thresholdMs + 15) return;
    const k = Math.abs(modified) < this.thresholdMs ? K_DOWN : K_UP;
    const dt = Math.min(nowMs - last, 100);
    this.thresholdMs += k * (Math.abs(modified) - this.thresholdMs) * dt;
    this.thresholdMs = Math.min(Math.max(this.thresholdMs, THRESHOLD_MIN_MS), THRESHOLD_MAX_MS);
  }
}

/** Least-squares slope of y over x; undefined when x does not vary. */
export function slope(points: readonly { x: number; y: number }[]): number | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) * (p.x - mx);
  }
  return den === 0 ? undefined : num / den;
}

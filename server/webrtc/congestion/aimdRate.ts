/**
 * Additive-increase, multiplicative-decrease on the delay signal (after
 * libwebrtc's AimdRateControl): on overuse the target drops to 0.85 of what
 * the receiver actually got; while the link is steady it grows, by 8 % a
 * second when far from the rate that last caused congestion and by about a
 * packet per round trip near it, so it probes carefully where it once
 * overran. It never rises far above what is being sent (1.5x the acked rate
 * or the encoder's own setting, whichever is higher: an encoder held at a
 * lower rung has not proved the link can take more, but it may try the
 * next rung), and it is never lowered just because the encoder is sending
 * little: only congestion lowers it.
 *
 * Growth far from the last congestion is 15 % a second (libwebrtc uses 8 %
 * and probes with padding to jump up; we have no padding, and a player
 * whose link recovered should be back at full quality within about 10 s).
 */
import type { DelaySignal } from './trendline.ts';

const BETA = 0.85;
const MULTIPLICATIVE_PER_S = 0.15;
const PACKET_BITS = 1200 * 8;
/** Near the link the creep is at least this share of the target a second (a packet per round trip is 70 kbit/s: minutes at 6 Mbit/s). */
const ADDITIVE_MIN_SHARE = 0.04;
/** Increases stop at this multiple of what is sent (plus a small floor). */
const MAX_ABOVE_ACKED = 1.5;
const ABOVE_ACKED_FLOOR_KBPS = 10;

export type AimdState = 'increase' | 'hold' | 'decrease';

/** What the estimator knows about the path besides the delay signal. */
export type PathReading = {
  /** The rate the encoder is set to now. */
  encoderKbps?: number;
  /** Receive rate over the last few hundred ms (reacts sooner than the acked window). */
  recentKbps?: number;
  /** Queueing delay on the path now. */
  queueMs?: number;
  /** Send time (our clock, as `nowMs`) of the newest packet this feedback reported. */
  newestSentMs?: number;
};

/** A decrease never goes below this share of the throughput, however deep the queue. */
const MIN_DRAIN_FACTOR = 0.5;
/** No increase while this much is queued: let it drain first. */
const HOLD_QUEUE_MS = 60;
/** A queue deeper than this after a cut gets a drain cut. */
const DRAIN_QUEUE_MS = 150;
/** A queue this much deeper than right after a decrease means the new rate still overruns. */
const STILL_GROWING_MS = 20;
/** Within this share of the link that last overran, growth is additive. */
const NEAR_LINK = 0.9;

export class AimdRate {
  private targetKbps: number;
  private state: AimdState = 'increase';
  private lastUpdateMs: number | undefined;
  /** The acked rate at the last overuse, and its spread: "near" means within 3 spreads. */
  private linkKbps: number | undefined;
  private linkVar = 0.4;
  private lastDecreaseMs: number | undefined;
  /** The queue on the first packets sent after the last decrease. */
  private queueAfterDecreaseMs: number | undefined;

  constructor(
    startKbps: number,
    private readonly minKbps: number,
    private readonly maxKbps: number,
  ) {
    this.targetKbps = clamp(startKbps, minKbps, maxKbps);
  }

  get target(): number {
    return this.targetKbps;
  }

  get phase(): AimdState {
    return this.state;
  }

  /** Time since the last decrease (or undefined): an up-switch waits for calm. */
  sinceDecrease(nowMs: number): number | undefined {
    return this.lastDecreaseMs === undefined ? undefined : nowMs - this.lastDecreaseMs;
  }

  /**
   * One feedback interval: the delay signal, what the receiver got over the
   * last window, the round trip, and the rate the encoder is set to now.
   */
  update(signal: DelaySignal, ackedKbps: number | undefined, rttMs: number, nowMs: number, path: PathReading = {}): number {
    const { encoderKbps = 0, recentKbps, queueMs = 0, newestSentMs } = path;
    const dtMs = Math.min(nowMs - (this.lastUpdateMs ?? nowMs), 1000);
    this.lastUpdateMs = nowMs;
    if (signal === 'overuse') this.state = 'decrease';
    else if (signal === 'underuse') this.state = 'hold';
    else if (this.state !== 'increase') this.state = this.state === 'decrease' ? 'hold' : 'increase';

    if (this.lastDecreaseMs !== undefined && this.queueAfterDecreaseMs === undefined && (newestSentMs ?? 0) > this.lastDecreaseMs) {
      this.queueAfterDecreaseMs = queueMs;
      // The queue the overrun left, now measurable on packets sent after the cut: if it is deep,
      // cut once more so it drains within about a second (the first cut saw it only half-built).
      const throughput = Math.min(ackedKbps ?? Infinity, recentKbps ?? Infinity);
      if (queueMs > DRAIN_QUEUE_MS && Number.isFinite(throughput)) this.targetKbps = Math.min(this.targetKbps, drainFactor(queueMs) * throughput);
    }
    if (queueMs <= HOLD_QUEUE_MS) this.queueAfterDecreaseMs = undefined; // drained: the next overrun is a new one
    if (this.state === 'decrease') {
      // At most once per round trip (100-300 ms): one queue build-up is one decrease, but a queue
      // that inflates the round trip must not also slow the reaction to it.
      const gapMs = Math.min(Math.max(rttMs, 100), 300);
      // And not again before feedback covers packets sent after the last one: until then the
      // reports are still about the overrun that decrease answered.
      // Then only if the queue is still growing on packets sent at the new rate: the trend
      // lags the queue by its smoothing, and a draining queue needs no second cut.
      const answered = this.lastDecreaseMs !== undefined && (newestSentMs ?? nowMs) <= this.lastDecreaseMs;
      const draining = this.queueAfterDecreaseMs !== undefined && queueMs <= this.queueAfterDecreaseMs + STILL_GROWING_MS;
      if (ackedKbps !== undefined && !answered && !draining && (this.lastDecreaseMs === undefined || nowMs - this.lastDecreaseMs >= gapMs)) {
        // The receive rate of the last few hundred ms, when known: the 500 ms acked window lags a sudden narrowing.
        const throughput = Math.min(ackedKbps, recentKbps ?? ackedKbps);
        // A deep queue is drained within about a second: below the link by what it holds.
        const next = Math.min(this.targetKbps, drainFactor(queueMs) * throughput);
        this.noteLink(throughput);
        this.targetKbps = next;
        this.lastDecreaseMs = nowMs;
        this.queueAfterDecreaseMs = undefined;
      }
      this.state = 'hold';
    } else if (this.state === 'increase' && ackedKbps !== undefined && queueMs <= HOLD_QUEUE_MS) {
      // Below or near the rate that last overran the link: creep. Clearly above it: the link grew, move fast.
      if (this.linkKbps !== undefined && ackedKbps > this.linkKbps + 3 * Math.sqrt(this.linkVar * this.linkKbps)) this.linkKbps = undefined;
      const additivePerS = Math.max((PACKET_BITS / 1000) * (1000 / (rttMs + 100)), ADDITIVE_MIN_SHARE * this.targetKbps);
      // Well below the known link (after a drain), climb back to it fast; creep only near it.
      const creep = this.linkKbps !== undefined && this.targetKbps >= NEAR_LINK * this.linkKbps;
      let grown = creep ? this.targetKbps + additivePerS * (dtMs / 1000) : this.targetKbps * (1 + MULTIPLICATIVE_PER_S) ** (dtMs / 1000);
      if (!creep && this.linkKbps !== undefined) grown = Math.min(grown, NEAR_LINK * this.linkKbps);
      const ceiling = Math.max(MAX_ABOVE_ACKED * Math.max(ackedKbps, encoderKbps) + ABOVE_ACKED_FLOOR_KBPS, this.targetKbps);
      this.targetKbps = Math.min(grown, ceiling);
    }
    this.targetKbps = clamp(this.targetKbps, this.minKbps, this.maxKbps);
    return this.targetKbps;
  }

  /** Caps the target from outside (the loss bound). */
  capTo(kbps: number): void {
    this.targetKbps = clamp(Math.min(this.targetKbps, kbps), this.minKbps, this.maxKbps);
  }

  private noteLink(ackedKbps: number): void {
    if (this.linkKbps === undefined) {
      this.linkKbps = ackedKbps;
      return;
    }
    const err = (ackedKbps - this.linkKbps) / Math.max(this.linkKbps, 1);
    this.linkKbps = 0.95 * this.linkKbps + 0.05 * ackedKbps;
    this.linkVar = clamp(0.95 * this.linkVar + 0.05 * err * err * this.linkKbps, 0.4, 2.5);
  }
}

/** BETA, or less when a queue must drain: below the link by what the queue holds, over about a second. */
function drainFactor(queueMs: number): number {
  return Math.min(BETA, Math.max(MIN_DRAIN_FACTOR, 1 - queueMs / 1000));
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

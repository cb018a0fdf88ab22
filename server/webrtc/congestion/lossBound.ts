/**
 * The loss-based bound (after GCC's loss controller): over each feedback
 * interval, more than 10 % lost cuts the bound by half the loss fraction,
 * less than 2 % lets it grow 8 % a second and, after 2 s, lifts it, anything
 * between holds it. It only ever caps the delay-based target; loss the link
 * always has (Wi-Fi) below 2 % never costs bitrate.
 */
import { clamp } from './aimdRate.ts';

const HIGH_LOSS = 0.1;
const LOW_LOSS = 0.02;
const GROWTH_PER_S = 0.08;
/** One cut per this long at most (plus a round trip): the loss it reacts to needs time to show the cut. */
const CUT_INTERVAL_MS = 300;
/** Low loss this long lifts the bound altogether: the delay side governs a link that has stopped losing. */
const LIFT_AFTER_MS = 2000;

export class LossBound {
  private boundKbps: number;
  private lastCutMs: number | undefined;
  private lastUpdateMs: number | undefined;
  private lowLossSinceMs: number | undefined;
  private lossFraction = 0;

  constructor(
    startKbps: number,
    private readonly minKbps: number,
    private readonly maxKbps: number,
  ) {
    this.boundKbps = startKbps;
  }

  get bound(): number {
    return this.boundKbps;
  }

  get loss(): number {
    return this.lossFraction;
  }

  /** One feedback interval: how many packets it reported, how many were lost. */
  update(reported: number, lost: number, currentKbps: number, rttMs: number, nowMs: number): number {
    const dtMs = Math.min(nowMs - (this.lastUpdateMs ?? nowMs), 1000);
    this.lastUpdateMs = nowMs;
    if (reported <= 0) return this.boundKbps;
    const fraction = lost / reported;
    // Smoothed over a few intervals: one feedback report with 2 of 4 lost is not 50 % loss.
    this.lossFraction = 0.7 * this.lossFraction + 0.3 * fraction;
    if (this.lossFraction > HIGH_LOSS) {
      if (this.lastCutMs === undefined || nowMs - this.lastCutMs >= CUT_INTERVAL_MS + rttMs) {
        this.boundKbps = Math.min(this.boundKbps, currentKbps) * (1 - 0.5 * this.lossFraction);
        this.lastCutMs = nowMs;
      }
    }
    if (this.lossFraction < LOW_LOSS) {
      this.lowLossSinceMs ??= nowMs;
      this.boundKbps = nowMs - this.lowLossSinceMs >= LIFT_AFTER_MS ? this.maxKbps : this.boundKbps * (1 + GROWTH_PER_S) ** (dtMs / 1000);
    } else {
      this.lowLossSinceMs = undefined;
    }
    this.boundKbps = clamp(this.boundKbps, this.minKbps, this.maxKbps);
    return this.boundKbps;
  }
}

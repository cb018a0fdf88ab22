/**
 * Which bitrate the encoder runs at, given the bandwidth estimate. ffmpeg
 * cannot retune in place, so every change is an encoder switch (one IDR,
 * and 100-200 ms of ffmpeg start-up CPU on a standby): the ladder turns a
 * continuous estimate into a few rungs with hysteresis.
 *
 * - Rungs: the configured rate, then 70 %, 50 %, 35 %, 25 % and 17 % of it,
 *   never under the floor. Each is within 1.5x of the next, so the
 *   estimator (which may climb to 1.5x what is sent) can always reach the
 *   rung above the one it runs at.
 * - Down at once (at most one step a second) to the highest rung the target
 *   covers: a congested link must shed within about a second.
 * - Up only after the target has covered the next rung for 2 s, 3 s after
 *   the last change, and each up-switch that is followed by a down-switch
 *   within 6 s doubles that hold (up to 30 s), so a link at a rung's edge
 *   does not oscillate. A minute without such a failure resets it.
 * - Room for audio: the video rung must fit under the target minus the
 *   audio's rate, so Opus never starves.
 *
 * The size stays the same on every rung: a resolution change costs the
 * decoder a reconfiguration and the latency stamp must stay readable.
 */
const SHARES = [1, 0.7, 0.5, 0.35, 0.25, 0.17];
const DOWN_GAP_MS = 1000;
const UP_HOLD_MS = 2000;
const UP_GAP_MS = 3000;
const FAILED_UP_WINDOW_MS = 6000;
const MAX_UP_HOLD_MS = 30_000;
const CALM_RESET_MS = 60_000;

export type LadderDecision = { kbps: number; rung: number; direction: 'down' | 'up' };

export class BitrateLadder {
  readonly rungs: number[];
  private index = 0;
  private lastChangeMs = -Infinity;
  private lastUpMs = -Infinity;
  private coveredSinceMs: number | undefined;
  private upHoldMs = UP_HOLD_MS;
  private lastFailedUpMs = -Infinity;

  constructor(
    maxKbps: number,
    floorKbps: number,
    private readonly audioKbps = 0,
  ) {
    const rungs = SHARES.map((s) => Math.round(maxKbps * s)).filter((k) => k >= floorKbps);
    this.rungs = rungs.length > 0 ? rungs : [Math.round(maxKbps)];
  }

  get current(): { kbps: number; rung: number } {
    return { kbps: this.rungs[this.index] ?? 0, rung: this.index };
  }

  /** One estimate; returns the change to make, if any. */
  update(targetKbps: number, nowMs: number): LadderDecision | undefined {
    if (!Number.isFinite(targetKbps)) return undefined; // no reading is no reason to move
    const room = targetKbps - this.audioKbps;
    const fits = this.rungs.findIndex((k) => k <= room);
    const best = fits === -1 ? this.rungs.length - 1 : fits;
    if (nowMs - this.lastFailedUpMs > CALM_RESET_MS) this.upHoldMs = UP_HOLD_MS;

    if (best > this.index) {
      this.coveredSinceMs = undefined;
      if (nowMs - this.lastChangeMs < DOWN_GAP_MS) return undefined;
      if (nowMs - this.lastUpMs < FAILED_UP_WINDOW_MS) {
        // The last step up did not hold: wait longer before the next one.
        this.upHoldMs = Math.min(this.upHoldMs * 2, MAX_UP_HOLD_MS);
        this.lastFailedUpMs = nowMs;
      }
      return this.move(best, nowMs, 'down');
    }
    if (best < this.index) {
      this.coveredSinceMs ??= nowMs;
      if (nowMs - this.coveredSinceMs < this.upHoldMs || nowMs - this.lastChangeMs < UP_GAP_MS) return undefined;
      this.lastUpMs = nowMs;
      this.coveredSinceMs = undefined;
      // One rung at a time: each step up is a probe.
      return this.move(this.index - 1, nowMs, 'up');
    }
    this.coveredSinceMs = undefined;
    return undefined;
  }

  private move(index: number, nowMs: number, direction: 'down' | 'up'): LadderDecision {
    this.index = index;
    this.lastChangeMs = nowMs;
    return { kbps: this.rungs[index] ?? 0, rung: index, direction };
  }
}

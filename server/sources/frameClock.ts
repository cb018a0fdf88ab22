/**
 * The frame timer every built-in source runs on (the demo game, the motion
 * benchmark): one tick per frame interval.
 *
 * Timing: tick n is due at start + n * interval, so scheduling error does
 * not accumulate (a setTimeout that re-arms itself with a fixed interval
 * drifts late by every callback's lateness). When the process falls behind,
 * missed ticks are skipped instead of produced in a burst: a burst would
 * only fill the encoder's pipe with stale pictures and add latency.
 */

/** The two timer calls the clock uses; tests pass a fake, production uses setTimeout. */
export type FrameTimers = {
  set(fn: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
};

export const realTimers: FrameTimers = {
  set: (fn, delayMs) => setTimeout(fn, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class FrameClock {
  /** Ticks dropped because the process was late (see the note at the top). */
  ticksSkipped = 0;
  private readonly intervalMs: number;
  private onTick: ((nowMs: number) => void) | undefined;
  private timer: unknown;
  private startMs = 0;
  private tick = 0;

  constructor(
    fps: number,
    private readonly now: () => number,
    private readonly timers: FrameTimers,
  ) {
    if (!(fps > 0 && fps <= 240)) throw new RangeError(`fps must be in (0, 240], got ${fps}`);
    this.intervalMs = 1000 / fps;
  }

  get running(): boolean {
    return this.onTick !== undefined;
  }

  /** The first tick on the next turn of the event loop, then one per interval. */
  start(onTick: (nowMs: number) => void): void {
    if (this.onTick) throw new Error('frame clock already started');
    this.onTick = onTick;
    this.startMs = this.now();
    this.tick = 0;
    this.timer = this.timers.set(this.run, 0);
  }

  /** Idempotent; no tick runs after it returns. */
  stop(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.onTick = undefined;
  }

  private readonly run = (): void => {
    this.timer = undefined;
    const onTick = this.onTick;
    if (!onTick) return;
    onTick(this.now());
    if (this.onTick !== onTick) return; // stopped (or restarted) from inside the handler
    this.scheduleNext();
  };

  private scheduleNext(): void {
    const now = this.now();
    // The first tick due strictly after now; any in between were missed.
    const next = Math.max(this.tick + 1, Math.floor((now - this.startMs) / this.intervalMs) + 1);
    this.ticksSkipped += next - this.tick - 1;
    this.tick = next;
    let delay = this.startMs + next * this.intervalMs - now;
    if (delay > 2 * this.intervalMs) {
      // The wall clock jumped backwards: re-anchor instead of stalling.
      this.startMs = now;
      this.tick = 1;
      delay = this.intervalMs;
    }
    this.timer = this.timers.set(this.run, Math.max(0, delay));
  }
}

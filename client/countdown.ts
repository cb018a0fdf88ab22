/**
 * The demo's play clock as the page shows it. The edge is authoritative
 * (it ends the session on time and says so); the page only mirrors the
 * time left so the player sees the end coming. Pure: times are passed in.
 */

/** The countdown badge appears in the last minute. */
export const COUNTDOWN_VISIBLE_SECONDS = 60;

/**
 * `mm:ss`, rounded up: "00:00" only once the time is really up, and a
 * fresh 60 s reads "01:00". Never negative.
 */
export function formatCountdown(seconds: number): string {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds - 1e-9)) : 0;
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The badge text for `remaining` seconds, or undefined while it should be hidden. */
export function countdownBadge(remaining: number | undefined): string | undefined {
  if (remaining === undefined || !(Math.ceil(remaining) <= COUNTDOWN_VISIBLE_SECONDS)) return undefined;
  return formatCountdown(remaining);
}

/**
 * Time left, counted from the first picture on each edge. While there is
 * no picture (before the first, or while moving to another edge) the clock
 * stands still: the edge's own clock only runs while it streams, and after
 * a resume the broker hands over what was left.
 */
export class PlayClock {
  private endsAtMs: number | undefined;
  private heldSeconds: number | undefined;

  /** A new allowance from the broker; the clock waits for the picture to run. */
  set(seconds: number | undefined): void {
    this.endsAtMs = undefined;
    this.heldSeconds = seconds === undefined || !Number.isFinite(seconds) ? undefined : Math.max(0, seconds);
  }

  /** The picture is on screen: count down from here. */
  run(nowMs: number): void {
    if (this.heldSeconds === undefined || this.endsAtMs !== undefined) return;
    this.endsAtMs = nowMs + this.heldSeconds * 1000;
    this.heldSeconds = undefined;
  }

  /** The picture is gone: hold the time left. */
  pause(nowMs: number): void {
    if (this.endsAtMs === undefined) return;
    this.heldSeconds = Math.max(0, (this.endsAtMs - nowMs) / 1000);
    this.endsAtMs = undefined;
  }

  get running(): boolean {
    return this.endsAtMs !== undefined;
  }

  /** Seconds left, or undefined when the session has no limit. */
  remaining(nowMs: number): number | undefined {
    if (this.endsAtMs !== undefined) return Math.max(0, (this.endsAtMs - nowMs) / 1000);
    return this.heldSeconds;
  }
}

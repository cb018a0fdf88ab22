/** Clock formatting and the wait until the next minute. Pure. */
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** 24-hour "HH:MM" in the local time zone. */
export function formatClock(d: Date): string {
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Milliseconds until the next whole minute (at least 1), so the clock turns over on time. */
export function msToNextMinute(nowMs: number): number {
  return 60_000 - (nowMs % 60_000) || 60_000;
}

/** "m:ss" for a call's duration. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${pad2(s % 60)}`;
}

/**
 * The queueing delay on the path now: the latest one-way delay (arrival in
 * the receiver's clock minus send time in ours, so it carries an unknown
 * constant offset) minus the smallest seen over the last 10 s. The offset
 * cancels; clock drift (tens of ppm) is well under a millisecond per 10 s.
 * A route that gets longer reads as queue for at most 10 s: conservative.
 */
const BASE_WINDOW_MS = 10_000;
const BUCKET_MS = 1000;

export class QueueDelay {
  /** Minimum one-way delay per 1 s bucket of send time, oldest first. */
  private readonly buckets: { startMs: number; min: number }[] = [];
  private latest: number | undefined;

  add(sentAtMs: number, arrivalMs: number): void {
    const owd = arrivalMs - sentAtMs;
    this.latest = owd;
    const last = this.buckets[this.buckets.length - 1];
    if (last && sentAtMs - last.startMs < BUCKET_MS) last.min = Math.min(last.min, owd);
    else this.buckets.push({ startMs: sentAtMs, min: owd });
    while (this.buckets.length > 1 && sentAtMs - (this.buckets[0]?.startMs ?? sentAtMs) > BASE_WINDOW_MS) this.buckets.shift();
  }

  get ms(): number {
    if (this.latest === undefined) return 0;
    let base = Infinity;
    for (const b of this.buckets) base = Math.min(base, b.min);
    return Math.max(0, this.latest - base);
  }
}

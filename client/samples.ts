/**
 * Bounded sample buffers for latency figures. Pure: no DOM, no timers, so
 * the player page and the unit tests share one implementation.
 */

/** Appends `value` and trims `arr` in place to its newest `cap` entries. */
export function pushBounded(arr: number[], value: number, cap: number): void {
  arr.push(value);
  if (arr.length > cap) arr.splice(0, arr.length - cap);
}

/** Nearest-rank percentile (p in 0..100) of `values`; undefined when empty. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}

/** Fixed-capacity ring of (time, value) samples, for "p50 over the last N seconds". */
export class SampleWindow {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(atMs: number, value: number): void {
    this.times[this.head] = atMs;
    this.values[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Values whose time is >= sinceMs, oldest first. */
  valuesSince(sinceMs: number): number[] {
    const out: number[] = [];
    const start = (this.head - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const k = (start + i) % this.capacity;
      if ((this.times[k] ?? -Infinity) >= sinceMs) out.push(this.values[k] ?? 0);
    }
    return out;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}

/**
 * Remembers the `ts` of recently sent input events (newest `capacity`), so a
 * frame whose stamp row 1 carries one of them can be matched exactly once.
 */
export class SentInputLog {
  private readonly pending = new Map<number, true>();

  constructor(readonly capacity = 256) {}

  get size(): number {
    return this.pending.size;
  }

  remember(ts: number): void {
    if (this.pending.has(ts)) return;
    this.pending.set(ts, true);
    while (this.pending.size > this.capacity) {
      const oldest = this.pending.keys().next();
      if (oldest.done) break;
      this.pending.delete(oldest.value);
    }
  }

  /** True the first time `ts` is seen after being remembered; false afterwards or when unknown. */
  take(ts: number): boolean {
    return this.pending.delete(ts);
  }
}

/**
 * Runs a save some time after the last change, at most once per burst,
 * and at once on flush() (the page is being hidden or unloaded). Timers
 * are injected so tests step time by hand.
 */
export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Debouncer {
  private handle: unknown;
  private due = false;

  constructor(
    private readonly run: () => void,
    private readonly delayMs: number,
    private readonly timers: Timers = browserTimers,
  ) {}

  /** Something changed: run after delayMs of quiet. */
  schedule(): void {
    this.due = true;
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = this.timers.setTimeout(() => this.flush(), this.delayMs);
  }

  /** Runs now if anything is waiting; a no-op otherwise. */
  flush(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    if (!this.due) return;
    this.due = false;
    this.run();
  }

  get pending(): boolean {
    return this.due;
  }
}

/** Timers stepped by hand, for tests. */
export class ManualTimers implements Timers {
  nowMs = 0;
  private next = 1;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.set(id, { at: this.nowMs + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }
  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (let guard = 0; guard < 1000; guard++) {
      let first: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.queue) if (e[1].at <= until && (!first || e[1].at < first[1].at)) first = e;
      if (!first) break;
      this.queue.delete(first[0]);
      this.nowMs = first[1].at;
      first[1].fn();
    }
    this.nowMs = until;
  }
}

/**
 * Sends input jobs to the page one command at a time, each after the
 * previous one was answered.
 *
 * Why not fire and forget: CDP commands on one session are NOT applied in
 * order across domains. Runtime.evaluate runs as a task on the renderer's
 * main thread, while Input.dispatch*Event travels the input pipeline, which
 * Blink's scheduler runs ahead of other tasks. Posting setInputTs(T) and then
 * the event without waiting, measured on Chromium 156: a keyUp ran before its
 * setInputTs, and a touchstart ran after 14 later setInputTs calls, so the
 * latency stamp would claim inputs the page had not seen yet. Awaiting each
 * answer gives the order the stamp needs: setInputTs(T) has run when event T
 * is sent, and event T was acknowledged by the renderer before setInputTs(T+1).
 *
 * The caller never waits (applyInput stays synchronous). While a job is in
 * flight, a newer touch or mouse move replaces a waiting one (only the newest
 * position matters), and the queue is bounded.
 */
import type { CdpCall, InputJob } from './inputMapper.ts';

export type InputQueueStats = { sent: number; coalesced: number; dropped: number; errors: number };

export class InputQueue {
  private readonly queue: InputJob[] = [];
  private running = false;
  private closed = false;
  readonly stats: InputQueueStats = { sent: 0, coalesced: 0, dropped: 0, errors: 0 };

  constructor(
    private readonly send: (call: CdpCall) => Promise<unknown>,
    private readonly onError: (err: Error, call: CdpCall) => void,
    private readonly maxWaiting = 256,
  ) {}

  get waiting(): number {
    return this.queue.length;
  }

  push(job: InputJob): void {
    if (this.closed) return void this.stats.dropped++;
    const last = this.queue.at(-1);
    if (job.coalesce && last?.coalesce === job.coalesce) {
      this.queue[this.queue.length - 1] = job;
      this.stats.coalesced++;
    } else if (this.queue.length >= this.maxWaiting) {
      // The page stopped answering. Touch and mouse state heal with the next event (each carries the full state).
      this.stats.dropped++;
      return;
    } else {
      this.queue.push(job);
    }
    void this.drain();
  }

  /** Drops what is waiting (a new page target: the old jobs were meant for the old page). */
  clear(): void {
    this.stats.dropped += this.queue.length;
    this.queue.length = 0;
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.queue.shift(); job && !this.closed; job = this.queue.shift()) {
        for (const call of job.calls) {
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may run while a call is awaited
          if (this.closed) break;
          try {
            await this.send(call);
            this.stats.sent++;
          } catch (err) {
            // One failed command (the page navigating, a timeout) must not stall the rest.
            this.stats.errors++;
            this.onError(err as Error, call);
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}

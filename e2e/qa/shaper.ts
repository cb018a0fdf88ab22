/**
 * One direction of an emulated link, in user space: the same model as
 * `tc netem` with a rate (sch_netem.c, netem_enqueue): each packet is lost
 * with the given probability, else it leaves at
 *   max(now + delay ± jitter, previous departure) + size / rate
 * so packets stay in order and a full bottleneck adds queueing delay; past
 * `limitPackets` in flight the packet is tail-dropped. Used by the relay
 * (e2e/qa/relay.ts) on kernels built without sch_netem. Pure: the caller
 * passes the clock and the random source, and calls `departed()`.
 */
import type { Impairment } from './profiles.ts';

export type ShaperCounters = { passed: number; lost: number; tailDropped: number };

export class LinkShaper {
  private lastDeparture = -Infinity;
  private inFlight = 0;
  readonly counters: ShaperCounters = { passed: 0, lost: 0, tailDropped: 0 };

  constructor(
    private readonly imp: Impairment,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * When a packet of `bytes` arriving at `nowMs` leaves, or undefined when it
   * is dropped. `lossy` false (TCP bytes) skips random loss: TCP would resend
   * them anyway, and a byte stream cannot lose a chunk.
   */
  schedule(nowMs: number, bytes: number, lossy = true): number | undefined {
    if (lossy && this.imp.lossPercent > 0 && this.random() * 100 < this.imp.lossPercent) {
      this.counters.lost++;
      return undefined;
    }
    if (this.inFlight >= this.imp.limitPackets) {
      this.counters.tailDropped++;
      return undefined;
    }
    const jitter = this.imp.jitterMs > 0 ? (this.random() * 2 - 1) * this.imp.jitterMs : 0;
    let departure = Math.max(nowMs + Math.max(0, this.imp.delayMs + jitter), this.lastDeparture);
    if (this.imp.rateKbit !== undefined && this.imp.rateKbit > 0) departure += (bytes * 8) / this.imp.rateKbit; // kbit/s = bits per ms
    this.lastDeparture = departure;
    this.inFlight++;
    this.counters.passed++;
    return departure;
  }

  /** A scheduled packet has left (or its socket closed). */
  departed(): void {
    if (this.inFlight > 0) this.inFlight--;
  }

  get queued(): number {
    return this.inFlight;
  }
}

/**
 * A first-in first-out send queue driven by one timer: departures are
 * monotonic, so delivering the head whenever it is due keeps order, which
 * one setTimeout per packet would not guarantee for ties.
 */
export class DelayQueue {
  private readonly items: Array<{ at: number; send: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly shaper: LinkShaper,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Shapes and queues one packet; `send` runs when it is due (never, if dropped). */
  push(bytes: number, send: () => void, lossy = true): void {
    if (this.closed) return;
    const at = this.shaper.schedule(this.now(), bytes, lossy);
    if (at === undefined) return;
    this.items.push({ at, send });
    if (this.items.length === 1) this.arm();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (let i = 0; i < this.items.length; i++) this.shaper.departed();
    this.items.length = 0;
  }

  private arm(): void {
    const head = this.items[0];
    if (!head || this.closed) return;
    this.timer = setTimeout(this.flush, Math.max(0, head.at - this.now()));
  }

  private readonly flush = (): void => {
    this.timer = undefined;
    const now = this.now();
    // Timers fire up to ~1 ms late or early; send everything due within half a millisecond.
    while (this.items.length > 0 && this.items[0]!.at <= now + 0.5) {
      const item = this.items.shift()!;
      this.shaper.departed();
      item.send();
    }
    this.arm();
  };
}

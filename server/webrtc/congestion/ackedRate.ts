/**
 * The rate the receiver actually got: bytes of packets the feedback reports
 * as received, over a sliding window of their arrival times.
 */
const WINDOW_MS = 500;

export class AckedRate {
  private readonly arrivals: { atMs: number; bytes: number }[] = [];
  private head = 0;
  private bytes = 0;

  add(arrivalMs: number, size: number): void {
    this.arrivals.push({ atMs: arrivalMs, bytes: size });
    this.bytes += size;
    const latest = arrivalMs;
    while (this.head < this.arrivals.length) {
      const first = this.arrivals[this.head];
      if (!first || latest - first.atMs <= WINDOW_MS) break;
      this.bytes -= first.bytes;
      this.head++;
    }
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024) {
      this.arrivals.splice(0, this.head);
      this.head = 0;
    }
  }

  /** kbit/s over the window, or undefined before a window's worth of arrivals. */
  get kbps(): number | undefined {
    const first = this.arrivals[this.head];
    const last = this.arrivals[this.arrivals.length - 1];
    if (!first || !last) return undefined;
    const span = last.atMs - first.atMs;
    if (span < WINDOW_MS / 2) return undefined;
    return (this.bytes * 8) / span;
  }
}

/**
 * How much the link stretched what we sent: for the packets received over
 * the last 300 ms of send time, their arrival span over their send span. A
 * link carrying less than we send stretches every train by sendRate /
 * capacity (a 6 Mbit/s stream on a 1.5 Mbit/s link: 4x) from the first
 * packets that queue, while the trendline needs several frame groups to
 * arrive (at 1.5 Mbit/s a 6 Mbit/s frame takes 130 ms to arrive), so this
 * reads a sudden narrowing about half a second sooner. A stream sending
 * less than the link can carry is not stretched, whatever its rate.
 */
const WINDOW_MS = 300;
/** Below this much send time the span ratio is jitter, not queueing. */
const MIN_SPAN_MS = 150;
const MIN_PACKETS = 20;

export class TrainStretch {
  private readonly sentAt: number[] = [];
  private readonly arrivalAt: number[] = [];
  private readonly size: number[] = [];
  private head = 0;
  private bytes = 0;

  add(sentAtMs: number, arrivalMs: number, size: number): void {
    this.sentAt.push(sentAtMs);
    this.arrivalAt.push(arrivalMs);
    this.size.push(size);
    this.bytes += size;
    while (this.head < this.sentAt.length && sentAtMs - (this.sentAt[this.head] ?? sentAtMs) > WINDOW_MS) {
      this.bytes -= this.size[this.head] ?? 0;
      this.head++;
    }
    if (this.head > 1024) {
      this.sentAt.splice(0, this.head);
      this.arrivalAt.splice(0, this.head);
      this.size.splice(0, this.head);
      this.head = 0;
    }
  }

  /** kbit/s at which the window's packets arrived: the link's capacity while it is stretching them. */
  get receiveKbps(): number | undefined {
    const spans = this.spans();
    return spans && spans.arrival > 0 ? (this.bytes * 8) / spans.arrival : undefined;
  }

  /** Arrival span over send span, or undefined while the window is too short to say. */
  get ratio(): number | undefined {
    const spans = this.spans();
    return spans && spans.send >= MIN_SPAN_MS ? spans.arrival / spans.send : undefined;
  }

  private spans(): { send: number; arrival: number } | undefined {
    if (this.sentAt.length - this.head < MIN_PACKETS) return undefined;
    let s0 = Infinity;
    let s1 = -Infinity;
    let a0 = Infinity;
    let a1 = -Infinity;
    for (let i = this.head; i < this.sentAt.length; i++) {
      const s = this.sentAt[i] ?? 0;
      const a = this.arrivalAt[i] ?? 0;
      s0 = Math.min(s0, s);
      s1 = Math.max(s1, s);
      a0 = Math.min(a0, a);
      a1 = Math.max(a1, a);
    }
    return { send: s1 - s0, arrival: a1 - a0 };
  }
}

/**
 * What the sender sent, by transport-wide sequence number, so feedback that
 * names a sequence number can be matched with its size and send time.
 * A ring over the 16-bit sequence space: O(1) per packet, no allocation.
 */
const SEQ_SPACE = 1 << 16;
/** Feedback older than this is about packets the ring may have reused. */
const MAX_AGE_MS = 10_000;

export type SentPacket = { seq: number; size: number; sentAtMs: number };

export class SendHistory {
  private readonly size = new Uint32Array(SEQ_SPACE);
  private readonly sentAt = new Float64Array(SEQ_SPACE).fill(Number.NaN);

  record(p: SentPacket): void {
    const i = p.seq & 0xffff;
    this.size[i] = p.size;
    this.sentAt[i] = p.sentAtMs;
  }

  /**
   * The packet sent with this sequence number within the last 10 s, once:
   * feedback that repeats a sequence number (duplicated or forged) is not
   * counted twice.
   */
  take(seq: number, nowMs: number): SentPacket | undefined {
    const i = seq & 0xffff;
    const sentAtMs = this.sentAt[i] ?? Number.NaN;
    if (Number.isNaN(sentAtMs) || nowMs - sentAtMs > MAX_AGE_MS || sentAtMs > nowMs) return undefined;
    this.sentAt[i] = Number.NaN;
    return { seq: i, size: this.size[i] ?? 0, sentAtMs };
  }
}

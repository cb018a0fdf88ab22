/**
 * Everything a viewer sends over its data channels passes here first: one
 * validation (protocol/input.ts) and a token-bucket rate limit, so a broken or
 * hostile client costs at most a bounded amount of work and never reaches the
 * game with a malformed event. Rejections are counted, not logged per event.
 */
import { parseInputMessage, type InputEvent } from '../../protocol/index.ts';

export type InputGateCounters = { accepted: number; invalid: number; rateLimited: number; lastError?: string };

export class TokenBucket {
  private tokens: number;
  private lastMs: number;
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }
  take(nowMs: number): boolean {
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class InputGate {
  readonly counters: InputGateCounters = { accepted: 0, invalid: 0, rateLimited: 0 };
  private readonly bucket: TokenBucket;

  constructor(ratePerSecond: number, private readonly now: () => number) {
    // A burst of a quarter second absorbs a gamepad plus a fast mouse at once.
    this.bucket = new TokenBucket(ratePerSecond, Math.max(10, ratePerSecond / 4), now());
  }

  /** Returns the event to apply, or undefined when the message is dropped. */
  admit(raw: string | Uint8Array): InputEvent | undefined {
    if (!this.bucket.take(this.now())) {
      this.counters.rateLimited++;
      return undefined;
    }
    const parsed = parseInputMessage(raw);
    if (!parsed.ok) {
      this.counters.invalid++;
      this.counters.lastError = parsed.error;
      return undefined;
    }
    this.counters.accepted++;
    return parsed.value;
  }
}

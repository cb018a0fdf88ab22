/**
 * The "applied input ts" behind row 1 of the latency stamp.
 *
 * The launcher calls setInputTs(ts) just before it injects the input event
 * that carries the subscriber's timestamp. That value is only pending: it
 * becomes the applied ts when the page actually receives an input event,
 * so row 1 proves the page handled the input rather than that a script
 * call arrived. One injected input fans out into several DOM events
 * (pointerdown, touchstart, ...); the first one applies, the rest find
 * nothing pending. Pure.
 */
import { STAMP_MAX_VALUE } from '../../protocol/latencyStamp.ts';

export class InputTsTracker {
  private pending: number | undefined;
  private appliedTs = 0;

  /** Keeps `ts` pending; false (and nothing kept) unless it is a number the stamp can carry. */
  setPending(ts: unknown): boolean {
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0 || ts > STAMP_MAX_VALUE) return false;
    this.pending = Math.floor(ts);
    return true;
  }

  /** An input event reached the page: the pending ts, if any, becomes the applied one. */
  onInput(): boolean {
    if (this.pending === undefined) return false;
    this.appliedTs = this.pending;
    this.pending = undefined;
    return true;
  }

  get applied(): number {
    return this.appliedTs;
  }

  get pendingTs(): number | undefined {
    return this.pending;
  }
}

/**
 * When to try again after losing the edge, in the style of livekit's
 * ReconnectPolicy: the policy only answers "how long until the next try,
 * or give up", so the page's resume logic and its timing can be tested
 * apart. Pure: the clock is passed in.
 */
import { isEdgeGoneReason } from '../protocol/endReasons.ts';
import type { ApiFailure } from './brokerApi.ts';

export interface ReconnectPolicy {
  /**
   * Delay before retry number `attempt` (0 for the first), given the time
   * since the loss; null means give up.
   */
  nextRetryDelayMs(attempt: number, elapsedMs: number): number | null;
}

/** First retry at once (an edge that died is usually just gone), then back off. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [0, 300, 1000, 2000];
/** A player who has waited this long would rather see "stream lost" than another spinner. */
export const DEFAULT_MAX_RECONNECT_MS = 20_000;

export class DefaultReconnectPolicy implements ReconnectPolicy {
  constructor(
    private readonly delaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
    private readonly maxElapsedMs = DEFAULT_MAX_RECONNECT_MS,
  ) {
    if (delaysMs.length === 0) throw new RangeError('at least one retry delay is needed');
  }

  nextRetryDelayMs(attempt: number, elapsedMs: number): number | null {
    const last = this.delaysMs[this.delaysMs.length - 1] ?? 0;
    const delay = this.delaysMs[Math.max(0, Math.trunc(attempt))] ?? last; // keep the longest delay after the list
    // Don't start a retry that could only begin after the deadline.
    return elapsedMs + delay >= this.maxElapsedMs ? null : delay;
  }
}

/**
 * One run of retries after a loss: counts attempts and the time since the
 * loss, and asks the policy for each next delay.
 */
export class ReconnectEpisode {
  attempts = 0;
  readonly startedAtMs: number;

  constructor(
    private readonly policy: ReconnectPolicy,
    private readonly now: () => number,
  ) {
    this.startedAtMs = now();
  }

  get elapsedMs(): number {
    return this.now() - this.startedAtMs;
  }

  /** Delay before the next attempt (and counts it), or null to give up. */
  next(): number | null {
    const delay = this.policy.nextRetryDelayMs(this.attempts, this.elapsedMs);
    if (delay !== null) this.attempts++;
    return delay;
  }
}

/** Edge `error` codes that say "this edge can't serve you now", not "this session is over". */
const RESUMABLE_EDGE_ERRORS: ReadonlySet<string> = new Set(['no-capacity', 'internal']);
export const isResumableEdgeError = (code: string): boolean => RESUMABLE_EDGE_ERRORS.has(code);

/**
 * `ended` reasons that are about the edge going away rather than the
 * session being over: the broker may still place the session elsewhere.
 */
export const isResumableEndReason = isEdgeGoneReason;

/** Broker answers that end the session or link for good: retrying cannot help. */
const FATAL_API_CODES: ReadonlySet<string> = new Set([
  'session-ended',
  'unknown-session',
  'malformed-session-id',
  'unauthorized',
  'bad-request',
  'unknown-link',
  'link-revoked',
  'link-expired',
  'link-used-up',
]);

/**
 * Whether a failed resume or placement call is worth another try. Network
 * errors, 5xx (503 no-capacity included), 429 and a lapsed placement are;
 * a refused token or an ended session are not.
 */
export function isRetryableApiFailure(f: ApiFailure): boolean {
  if (FATAL_API_CODES.has(f.code)) return false;
  return !(f.status === 400 || f.status === 401 || f.status === 403);
}

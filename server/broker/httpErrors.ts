/** The one mapping from error codes to HTTP statuses, used by every broker route. */
import type { ApiError, ErrorCode } from '../../protocol/index.ts';

/** Codes not listed here (internal, and the signalling and edge-link ones) are 500 if they ever reach HTTP. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'unknown-link': 404,
  'unknown-title': 404,
  'unknown-edge': 404,
  'unknown-session': 404,
  'unknown-placement': 404,
  'placement-expired': 410,
  'link-revoked': 410,
  'link-expired': 410,
  'link-used-up': 410,
  'session-ended': 410,
  'unknown-subscriber': 404,
  'unknown-instance': 404,
  'subscriber-exists': 409,
  'instance-limit': 409,
  'name-taken': 409,
  busy: 409,
  'token-expired': 401,
  'rate-limited': 429,
  'no-capacity': 503,
  'start-failed': 503,
};

export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = STATUS[code] ?? 500,
    /** Sent as Retry-After (seconds) with a 429 or 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
  toJSON(): ApiError {
    return { code: this.code, message: this.message };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string; retryAfterSeconds?: number };

export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new HttpError(r.code, r.message, STATUS[r.code] ?? 500, r.retryAfterSeconds);
  return r.value;
}

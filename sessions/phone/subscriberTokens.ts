/**
 * Access tokens for the phone app: HMAC-signed, expiring, bound to one
 * subscriber of one telco. Same format and signing helpers as the fleet's
 * tickets (sessions/fleet/tickets.ts), under their own label, so a ticket or
 * resume token never passes as a subscriber token or the reverse.
 *
 * A token also carries the subscriber's createdAtMs: when the verifier is
 * given a lookup, a token outlives neither its subscriber's removal nor a
 * re-provisioning under the same id.
 */
import { randomBytes } from 'node:crypto';
import { refuse, type Refusal } from '../fleet/errors.ts';
import { checkSignedTtl, issueSignedPayload, openSignedPayload } from '../fleet/tickets.ts';
import type { SubscriberRecord } from './subscribers.ts';

export type SubscriberTokenCode = 'token-malformed' | 'token-forged' | 'token-expired' | 'token-revoked' | 'token-wrong-subscriber';

export type SubscriberClaims = Readonly<{ subscriberId: string; telcoId: string; expiresAtMs: number }>;

const LABEL = 'edgeplay-subscriber-v1';
/** One day: the app asks the telco's backend for a fresh token when it nears expiry. */
export const DEFAULT_SUBSCRIBER_TOKEN_TTL_MS = 24 * 3_600_000;

/** A token for `subscriber`, valid for `ttlMs` from `now`. Throws on a short key or a bad TTL (caller bugs). */
export function issueSubscriberToken(key: string, subscriber: SubscriberRecord, o: { ttlMs?: number; now: number }): string {
  const ttlMs = o.ttlMs ?? DEFAULT_SUBSCRIBER_TOKEN_TTL_MS;
  checkSignedTtl(ttlMs);
  // `n` holds the subscriber's generation plus some randomness, so two tokens issued in one ms still differ.
  const n = `${subscriber.createdAtMs.toString(36)}~${randomBytes(6).toString('base64url')}`;
  return issueSignedPayload(key, LABEL, { v: 1, s: subscriber.subscriberId, e: subscriber.telcoId, x: o.now + ttlMs, n });
}

/**
 * Checks a subscriber token. With `subscriberId`, it must be that
 * subscriber's; with `lookup`, the subscriber must still exist as issued
 * (same telco, same provisioning), else 'token-revoked'.
 */
export function verifySubscriberToken(
  key: string,
  token: unknown,
  o: { now: number; subscriberId?: string; lookup?: (subscriberId: string) => SubscriberRecord | undefined },
): { ok: true; claims: SubscriberClaims } | Refusal<SubscriberTokenCode> {
  const p = openSignedPayload(key, LABEL, token);
  if (p === 'malformed') return refuse('token-malformed', 'The access token is not one of ours.');
  if (p === 'forged') return refuse('token-forged', 'The access token signature does not match.');
  if (o.now >= p.x) return refuse('token-expired', 'The access token has expired; ask for a new one.');
  if (o.subscriberId !== undefined && p.s !== o.subscriberId) return refuse('token-wrong-subscriber', 'The access token is for another subscriber.');
  if (o.lookup) {
    const s = o.lookup(p.s);
    const generation = p.n.split('~')[0];
    if (!s || s.telcoId !== p.e || s.createdAtMs.toString(36) !== generation) {
      return refuse('token-revoked', 'The subscriber of this access token no longer exists.');
    }
  }
  return { ok: true, claims: Object.freeze({ subscriberId: p.s, telcoId: p.e, expiresAtMs: p.x }) };
}

/**
 * Short-lived TURN credentials for one session, in coturn's "TURN REST API"
 * scheme (coturn's `use-auth-secret` / `static-auth-secret`; the scheme is
 * draft-uberti-behave-turn-rest-00, see docs/operations.md): the username is
 * `<expiry unix seconds>:<session id>` and the password is
 * base64(HMAC-SHA1(shared secret, username)). coturn recomputes the password
 * from the username and refuses a username whose expiry has passed, so the
 * broker hands out credentials without telling the TURN server anything, and
 * a session's credentials stop working once its lifetime is over.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../../protocol/fleet.ts';

export type TurnCredential = { username: string; credential: string; expiresAtMs: number };

/** The credential coturn accepts for `username` under `secret`. */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** Credentials for `sessionId` valid for `lifetimeSeconds` from `nowMs` (expiry rounded up to a whole second). */
export function turnCredential(secret: string, o: { sessionId: string; lifetimeSeconds: number; nowMs: number }): TurnCredential {
  const expiry = Math.ceil(o.nowMs / 1000 + o.lifetimeSeconds);
  const username = `${expiry}:${o.sessionId}`;
  return { username, credential: turnPassword(secret, username), expiresAtMs: expiry * 1000 };
}

/**
 * The ICE servers a session's peers use: none when TURN is not configured
 * (browsers then gather host and server-reflexive candidates as before),
 * else the TURN URLs with this session's credentials.
 */
export function sessionIceServers(
  turn: { urls: readonly string[]; secret: string },
  o: { sessionId: string; lifetimeSeconds: number; nowMs: number },
): IceServer[] {
  if (turn.urls.length === 0 || !turn.secret) return [];
  const { username, credential } = turnCredential(turn.secret, o);
  return [{ urls: [...turn.urls], username, credential }];
}

/**
 * How long a session's TURN credentials last: a demo's ticket window plus the
 * play time it has left (its longest possible run from now); a session with
 * no play limit (a phone) gets `noLimitSeconds` and fresh credentials at each
 * placement or reopen.
 */
export function turnLifetimeSeconds(o: { ticketTtlMs: number; playSecondsLeft: number | undefined; noLimitSeconds: number }): number {
  return o.playSecondsLeft === undefined ? o.noLimitSeconds : Math.ceil(o.ticketTtlMs / 1000) + o.playSecondsLeft;
}

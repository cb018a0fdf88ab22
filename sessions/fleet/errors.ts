/**
 * Refusal codes of the fleet logic. Expected outcomes (bad input, no
 * capacity, a used-up link, a forged ticket) come back as values, never as
 * exceptions, so one bad edge or client cannot crash the broker; the broker
 * maps a code to an HTTP status or a `refused` message at its boundary.
 */
export const FleetCode = {
  badRequest: 'bad-request',
  unknownEdge: 'unknown-edge',
  /** The edge is known but lost or disconnected: it must register again. */
  edgeNotUp: 'edge-not-up',
  edgeDraining: 'edge-draining',
  noCapacity: 'no-capacity',
  alreadyReserved: 'already-reserved',
  unknownTitle: 'unknown-title',
  linkRevoked: 'link-revoked',
  linkExpired: 'link-expired',
  linkUsedUp: 'link-used-up',
} as const;
export type FleetCode = (typeof FleetCode)[keyof typeof FleetCode];

/** A refused operation: a stable `code` to switch on and an `error` a person can read. */
export type Refusal<C extends string = FleetCode> = { ok: false; code: C; error: string };

export const refuse = <C extends string>(code: C, error: string): Refusal<C> => ({ ok: false, code, error });

/** Non-negative integer no larger than `max`: the shape of every count on the wire. */
export const isCount = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/** A short printable form of a bad value for error messages (never echoes more than 40 characters). */
export const show = (v: unknown): string => {
  let s: string;
  try {
    s = typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function' ? String(v) : String(JSON.stringify(v) ?? v);
  } catch {
    s = Object.prototype.toString.call(v); // cyclic objects
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/** Why `v` is not an absolute http(s) URL of at most 2048 characters, or undefined when it is. */
export function httpUrlError(name: string, v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length > 2048) return `${name} must be a URL string of at most 2048 characters`;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : `${name} must be http or https (got ${show(v)})`;
  } catch {
    return `${name} is not a URL (got ${show(v)})`;
  }
}

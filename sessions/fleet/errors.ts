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

/** A short printable form of a bad value for error messages: the wire's own (protocol/wire.ts). */
export { show } from '../../protocol/index.ts';

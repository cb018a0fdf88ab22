/**
 * Refusal codes of the cloud-phone logic, in the fleet's style: expected
 * outcomes come back as `{ ok: false, code, error }` values, never as
 * exceptions; the broker maps a code to an HTTP status at its boundary.
 * Refusal, refuse and show are the fleet's own (sessions/fleet/errors.ts).
 */
export const PhoneCode = {
  badRequest: 'bad-request',
  unknownSubscriber: 'unknown-subscriber',
  subscriberExists: 'subscriber-exists',
  /** Also the answer for another subscriber's instance, so instance ids are no oracle. */
  unknownInstance: 'unknown-instance',
  instanceLimit: 'instance-limit',
  nameTaken: 'name-taken',
  noCapacity: 'no-capacity',
} as const;
export type PhoneCode = (typeof PhoneCode)[keyof typeof PhoneCode];

/**
 * Error and end-reason codes shared by broker, edge and browser. Values are
 * stable strings: clients switch on them, people read them.
 */
export const ErrorCode = {
  // ---- any API or signalling refusal ----
  badRequest: 'bad-request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not-found',
  rateLimited: 'rate-limited',
  busy: 'busy',
  internal: 'internal',
  // ---- placement and sessions ----
  noCapacity: 'no-capacity',
  startFailed: 'start-failed',
  unknownEdge: 'unknown-edge',
  unknownTitle: 'unknown-title',
  unknownPlacement: 'unknown-placement',
  placementExpired: 'placement-expired',
  unknownSession: 'unknown-session',
  malformedSessionId: 'malformed-session-id',
  sessionEnded: 'session-ended',
  tokenExpired: 'token-expired',
  // ---- demo links ----
  unknownLink: 'unknown-link',
  linkRevoked: 'link-revoked',
  linkExpired: 'link-expired',
  linkUsedUp: 'link-used-up',
  // ---- cloud phone ----
  unknownSubscriber: 'unknown-subscriber',
  subscriberExists: 'subscriber-exists',
  unknownInstance: 'unknown-instance',
  instanceLimit: 'instance-limit',
  nameTaken: 'name-taken',
  // ---- signalling and the edge link ----
  badMessage: 'bad-message',
  /** Edge link: the edge sent something before `register`. */
  notRegistered: 'not-registered',
  /** Edge link: no `register` within the broker's register timeout. */
  registerTimeout: 'register-timeout',
  /** Edge link: a second `register` on a registered link. */
  alreadyRegistered: 'already-registered',
  /** Edge link: the registration passed the wire checks but the fleet refused it. */
  refused: 'refused',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Why a session ended; shown to the player and recorded. */
export const EndReason = {
  userLeft: 'user-left',
  timeLimit: 'time-limit',
  encoderFailed: 'encoder-failed',
  sourceFailed: 'source-failed',
  startFailed: 'start-failed',
  connectionLost: 'connection-lost',
  edgeLost: 'edge-lost',
  edgeShutdown: 'edge-shutdown',
  /** Cloud phone: the subscriber (or their telco) stopped the instance; its data is kept. */
  stopped: 'stopped',
  /** Cloud phone: nobody reconnected within the grace period; data kept. */
  graceExpired: 'grace-expired',
  /** Cloud phone: no input for the idle limit; data kept. */
  idle: 'idle',
  /** The player kept sending input far over the session's budget (server/edge/inputGate.ts). */
  inputAbuse: 'input-abuse',
  /** A game session prepared for a player who never connected (the edge's join window). */
  notJoined: 'not-joined',
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

/** WebSocket close codes (4000-4999 are for applications, RFC 6455 §7.4.2). */
export const WsCloseCode = {
  normal: 1000,
  badMessage: 4400,
  unauthorized: 4401,
  unknownSession: 4404,
  sessionEnded: 4410,
  rateLimited: 4429,
  internal: 4500,
} as const;

export type ApiError = { code: ErrorCode; message: string };

export const isEndReason = (v: unknown): v is EndReason => typeof v === 'string' && (Object.values(EndReason) as string[]).includes(v);

/**
 * Error and end-reason codes shared by broker, edge and browser. Values are
 * stable strings: clients switch on them, people read them.
 */
export const ErrorCode = {
  badRequest: 'bad-request',
  notFound: 'not-found',
  unknownLink: 'unknown-link',
  unknownSession: 'unknown-session',
  malformedSessionId: 'malformed-session-id',
  sessionEnded: 'session-ended',
  noCapacity: 'no-capacity',
  badMessage: 'bad-message',
  rateLimited: 'rate-limited',
  unauthorized: 'unauthorized',
  internal: 'internal',
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

export const isEndReason = (v: unknown): v is EndReason =>
  typeof v === 'string' && (Object.values(EndReason) as string[]).includes(v);

/**
 * Signalling between the browser and an edge, one JSON object per WebSocket
 * message. The edge makes the offer (it owns the tracks and data channels);
 * the browser answers. Both sides trickle ICE candidates.
 *
 *   browser                         edge
 *      |--- WS /edge/signal?session=ID -->|
 *      |<-- welcome -----------------------|
 *      |<-- offer, ice* -------------------|
 *      |--- answer, ice* ----------------->|
 *      |<-- ended {reason} ----------------| (time limit, encoder failure, ...)
 */
import {
  discriminatedUnion,
  enum as oneOf,
  gte,
  literal,
  lte,
  maxLength,
  nullish,
  number,
  pipe,
  startsWith,
  string,
  transform,
  type input,
  type output,
} from 'zod/mini';
import { EndReason, ErrorCode } from './errors.ts';
import { clipped, int, object, parseJsonMessage, text, type ParseResult } from './wire.ts';

export const MAX_SIGNAL_MESSAGE_BYTES = 64 * 1024;
/** Path of the edge's signalling WebSocket; the session id goes in `?session=`. */
export const SIGNAL_PATH = '/edge/signal';

export const NoticeCode = { inputLimited: 'input-limited' } as const;
export type NoticeCode = (typeof NoticeCode)[keyof typeof NoticeCode];

/** A missing sdpMid / sdpMLineIndex is read as null (what RTCIceCandidateInit means by it). */
const IceCandidateSchema = object({
  candidate: string().check(maxLength(2048)),
  sdpMid: pipe(
    nullish(string().check(maxLength(64))),
    transform((v: string | null | undefined) => v ?? null),
  ),
  sdpMLineIndex: pipe(
    nullish(int(0, 63)),
    transform((v: number | null | undefined) => v ?? null),
  ),
});
export type IceCandidate = input<typeof IceCandidateSchema>;

export const VideoInfoSchema = object(
  {
    width: int(0, 8192),
    height: int(0, 8192),
    fps: int(0, 240),
    codec: oneOf(['H264', 'VP8']),
    encoder: text(64),
  },
  'must be {width, height, fps, codec, encoder}',
);
export type VideoInfo = output<typeof VideoInfoSchema>;

const ice = object({ type: literal('ice'), candidate: IceCandidateSchema });

export const BitrateInfoSchema = object({
  /** The rate the encoder runs at, and its rung on the ladder (0 = the configured rate). */
  rungKbps: int(0, 1_000_000),
  rung: int(0, 16),
  /** The sender's bandwidth estimate, and what the player's browser acknowledged receiving. */
  estimateKbps: int(0, 1_000_000),
  ackedKbps: int(0, 1_000_000),
  lossPercent: number().check(gte(0), lte(100)),
  queueMs: int(0, 600_000),
  limitedBy: oneOf(['delay', 'loss']),
});
export type BitrateInfo = output<typeof BitrateInfoSchema>;

/** Edge -> browser. */
const EdgeToClientSchema = discriminatedUnion(
  'type',
  [
    object({
      type: literal('welcome'),
      sessionId: string().check(maxLength(64)),
      role: oneOf(['player', 'viewer']),
      video: VideoInfoSchema,
      edgeId: string().check(maxLength(64)),
    }),
    object({ type: literal('offer'), sdp: string() }),
    ice,
    object({ type: literal('ended'), reason: oneOf(EndReason), message: clipped(500) }),
    object({ type: literal('error'), code: oneOf(ErrorCode), message: clipped(500) }),
    /** Something the player should know that does not end the session (e.g. input over budget is being dropped). */
    object({ type: literal('notice'), code: oneOf(NoticeCode), message: clipped(500) }),
    /** Congestion control's state, for the stats overlay: once a second, and at each change of rate. */
    object({ type: literal('bitrate'), ...BitrateInfoSchema.shape }),
  ],
  { error: 'unknown message type' },
);
export type EdgeToClient = input<typeof EdgeToClientSchema>;

/** Browser -> edge. */
const ClientToEdgeSchema = discriminatedUnion(
  'type',
  [
    object({ type: literal('answer'), sdp: string({ error: 'answer needs an SDP' }).check(startsWith('v=0', { error: 'answer needs an SDP' })) }),
    ice,
    object({ type: literal('bye') }),
  ],
  { error: 'unknown message type' },
);
export type ClientToEdge = input<typeof ClientToEdgeSchema>;

/** Validates a message from the browser. Never throws. */
export const parseClientSignal = (raw: string): ParseResult<output<typeof ClientToEdgeSchema>> =>
  parseJsonMessage(ClientToEdgeSchema, raw, MAX_SIGNAL_MESSAGE_BYTES);

/** Validates a message from the edge (the browser and tests). Never throws. */
export const parseEdgeSignal = (raw: string): ParseResult<output<typeof EdgeToClientSchema>> =>
  parseJsonMessage(EdgeToClientSchema, raw, MAX_SIGNAL_MESSAGE_BYTES);

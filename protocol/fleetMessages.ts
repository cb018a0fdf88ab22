/**
 * The fleet's wire schemas, used by both ends: edge <-> broker link messages
 * and the bodies of the broker's placement, player, publisher and operator
 * API. Shape is decided here and only here; the broker's fleet logic
 * (sessions/fleet) decides policy on values that already have it.
 */
import {
  _default,
  array,
  boolean,
  discriminatedUnion,
  enum as oneOf,
  literal,
  maxLength,
  optional,
  pipe,
  record,
  refine,
  string,
  transform,
  unknown,
  type input,
  type output,
} from 'zod/mini';
import { ErrorCode } from './errors.ts';
import { PhonePrepareSchema } from './phone.ts';
import { VideoInfoSchema } from './signalling.ts';
import { GeoPointSchema, check, clipped, httpUrl, int, num, object, parseJsonMessage, sessionId, slug, strictObject, text, type ParseResult } from './wire.ts';
import { isSlug } from './ids.ts';

export const MAX_EDGE_LINK_MESSAGE_BYTES = 256 * 1024;
/** Largest count an edge may report (sessions, capacity): a single host with more is a bug or an attack. */
export const MAX_EDGE_COUNT = 10_000;

export const EDGE_TIERS = ['enterprise', 'community'] as const;
export type EdgeTier = (typeof EDGE_TIERS)[number];

const EdgeCapacitySchema = object({
  maxSessions: int(1, MAX_EDGE_COUNT),
  sessionsInUse: int(0, MAX_EDGE_COUNT),
  encoder: text(64),
  encoderKind: oneOf(['nvenc', 'software'], { error: "must be 'nvenc' or 'software'" }),
  nvencSessionsFree: int(0, MAX_EDGE_COUNT),
});
export type EdgeCapacity = output<typeof EdgeCapacitySchema>;

const sessionList = array(sessionId, { error: 'must be a list of session ids' }).check(
  maxLength(MAX_EDGE_COUNT, { error: `must list at most ${MAX_EDGE_COUNT} sessions` }),
);
const seconds = num(0, 1e7 - 1);

// ---- edge -> broker ----

const RegisterSchema = object({
  type: literal('register'),
  /** Fleet secret; refused when it does not match the broker's. */
  secret: text(512),
  edgeId: slug,
  region: slug,
  location: GeoPointSchema,
  publicUrl: httpUrl,
  tier: oneOf(EDGE_TIERS, { error: `must be one of ${EDGE_TIERS.join(', ')}` }),
  capacity: EdgeCapacitySchema,
  /** Sessions still running here (after a broker restart). */
  sessions: sessionList,
  /** Which of them are phone instances, so a restarted broker knows its phones still run. */
  phoneSessions: optional(array(object({ sessionId, phone: PhonePrepareSchema }))),
  /** The stream this edge produces. */
  video: optional(VideoInfoSchema),
}).check(
  refine((r) => (r.phoneSessions ?? []).every((p) => r.sessions.includes(p.sessionId)), {
    error: 'must list {sessionId, phone} of reported sessions',
    path: ['phoneSessions'],
  }),
);

const HeartbeatSchema = object({
  type: literal('heartbeat'),
  capacity: EdgeCapacitySchema,
  sessions: sessionList,
  /** Seconds each running session has streamed, so a resumed demo keeps its remaining time. */
  streamedSeconds: optional(
    record(sessionId, seconds, { error: 'must map session ids to seconds' }).check(
      refine((r) => Object.keys(r).length <= MAX_EDGE_COUNT, { error: 'lists too many sessions' }),
    ),
  ),
  /** Sessions whose player is connected now (a phone's app shows "in use"). */
  playersConnected: optional(sessionList),
});

const PreparedSchema = discriminatedUnion(
  'ok',
  [
    object({ type: literal('prepared'), requestId: text(64), ok: literal(true) }),
    object({ type: literal('prepared'), requestId: text(64), ok: literal(false), code: oneOf(['no-capacity', 'start-failed']), message: clipped(500) }),
  ],
  { error: 'prepared needs ok, or a code' },
);

const EdgeToBrokerSchema = discriminatedUnion(
  'type',
  [RegisterSchema, HeartbeatSchema, PreparedSchema, object({ type: literal('session-ended'), sessionId, reason: text(64), secondsStreamed: seconds })],
  { error: 'unknown message type' },
);
export type EdgeToBroker = input<typeof EdgeToBrokerSchema>;

/** An edge's message to the broker. Never throws. */
export const parseEdgeToBroker = (raw: string): ParseResult<output<typeof EdgeToBrokerSchema>> =>
  parseJsonMessage(EdgeToBrokerSchema, raw, MAX_EDGE_LINK_MESSAGE_BYTES);

// ---- broker -> edge ----

const BrokerToEdgeSchema = discriminatedUnion(
  'type',
  [
    object({ type: literal('registered'), heartbeatMs: int(0, 600_000), ticketKey: text(512) }),
    object({ type: literal('refused'), code: oneOf(ErrorCode), message: clipped(500) }),
    object({
      type: literal('prepare'),
      requestId: text(64),
      sessionId,
      titleId: slug,
      playSeconds: int(0, 86_400),
      /** Set when the session is a cloud-phone instance (titleId is then PHONE_TITLE_ID). */
      phone: optional(PhonePrepareSchema),
      /** The reservation lapses if the edge has not answered by then. */
      deadlineMs: int(0, 600_000),
    }),
    object({ type: literal('end-session'), sessionId, reason: text(64) }),
    /** A removed phone instance: stop it if it runs, then delete its data directory. */
    object({ type: literal('delete-phone-data'), phone: PhonePrepareSchema }),
    object({ type: literal('drain'), draining: boolean() }),
  ],
  { error: 'unknown message type' },
);
export type BrokerToEdge = input<typeof BrokerToEdgeSchema>;

/** The broker's message to an edge. Never throws. */
export const parseBrokerToEdge = (raw: string): ParseResult<output<typeof BrokerToEdgeSchema>> =>
  parseJsonMessage(BrokerToEdgeSchema, raw, MAX_EDGE_LINK_MESSAGE_BYTES);

// ---- broker HTTP request bodies (fleet.ts has the routes) ----

/** An RTT the page could not measure, or measured as garbage, is null: never an error that blocks play. */
const rtt = pipe(
  unknown(),
  transform((ms: unknown) => (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= 60_000 ? ms : null)),
);

/** POST /api/placements/:placementId. RTTs in ms per edge id; entries under ids that are not slugs are dropped. */
export const PlacementReportSchema = object(
  {
    rtts: _default(
      pipe(
        record(string(), rtt, { error: 'must be an object of edgeId: milliseconds' }).check(
          refine((r) => Object.keys(r).length <= 64, { error: 'has too many entries' }),
        ),
        transform((r: Record<string, number | null>) => Object.fromEntries(Object.entries(r).filter(([edgeId]) => isSlug(edgeId)))),
      ),
      {},
    ),
    location: optional(GeoPointSchema),
  },
  'body must be a JSON object',
);
export type PlacementReport = output<typeof PlacementReportSchema>;
export const parsePlacementReport = (body: unknown): ParseResult<PlacementReport> => check(PlacementReportSchema, body);

/** A PlacedSession's `iceServers` (protocol/fleet.ts IceServer): stun:, turn: or turns: URLs with the session's TURN credentials. */
const ICE_URL_ERROR = 'must be a stun:, turn: or turns: URL of at most 512 characters';
const iceUrl = string({ error: ICE_URL_ERROR }).check(
  maxLength(512, { error: ICE_URL_ERROR }),
  refine((u: string) => /^(stun|turns?):[^\s]+$/.test(u), { error: ICE_URL_ERROR }),
);
export const IceServersSchema = array(
  object({
    urls: array(iceUrl).check(refine((a) => a.length >= 1 && a.length <= 8, { error: 'must list 1..8 URLs' })),
    username: text(512),
    credential: text(512),
  }),
).check(refine((a) => a.length <= 8, { error: 'must list at most 8 servers' }));
export const parseIceServers = (v: unknown): ParseResult<output<typeof IceServersSchema>> => check(IceServersSchema, v);

/** POST /api/play/:linkId */
export const PlayRequestSchema = object({ location: optional(GeoPointSchema) }, 'body must be a JSON object');
/** POST /api/sessions/:id/resume and /spectators: the player's own resume token. */
export const ResumeRequestSchema = object({ resumeToken: string({ error: 'is required' }).check(maxLength(4096)) }, 'body must be a JSON object');
/** POST /api/sessions/:id/watch: the spectator grant from the watch link's fragment (checked by the fleet). */
export const WatchRequestSchema = object({ grant: unknown() }, 'body must be a JSON object');
/** POST /api/operator/edges/:edgeId/drain */
export const DrainRequestSchema = object({ draining: boolean({ error: 'must be true or false' }) }, 'body must be {"draining": true|false}');

export const MIN_PLAY_SECONDS = 10;
export const MAX_PLAY_SECONDS = 86_400;
export const MAX_PLAYS_LIMIT = 1_000_000;
/** ISO 8601 with a date and, optionally, a time and zone; Date.parse alone accepts too much ("1", "March 7"). */
const ISO_DATE_ERROR = 'must be an ISO date such as 2030-01-31T12:00:00Z';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * POST /api/publisher/links. Unknown keys are refused: a typo such as
 * `maxPlay` would otherwise silently make an unlimited link. Whether the
 * title exists and the date is still ahead is the fleet's to say.
 */
export const CreateDemoLinkSchema = strictObject({
  titleId: slug,
  /** Default 900 (15 minutes); null is a value, and not a valid one. */
  playSeconds: optional(int(MIN_PLAY_SECONDS, MAX_PLAY_SECONDS)),
  /** ISO date; the link is refused after it. */
  expiresAt: optional(string({ error: ISO_DATE_ERROR }).check(refine((s) => ISO_DATE.test(s) && Number.isFinite(Date.parse(s)), { error: ISO_DATE_ERROR }))),
  maxPlays: optional(int(1, MAX_PLAYS_LIMIT)),
  endScreenUrl: optional(httpUrl),
});
export type CreateDemoLinkRequest = output<typeof CreateDemoLinkSchema>;

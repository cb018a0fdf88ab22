/**
 * The fleet contract: how a player is placed on an edge, how edges talk to
 * the broker, and the publisher API for demo links. Shared by browser,
 * broker and edges.
 *
 * Placement, as the page sees it:
 *   POST /api/play/:linkId {location?}        -> 200 PlacementOffer (candidates to probe)
 *   GET  <candidate.probeUrl> x3, in parallel  (RTT, within ~1 s)
 *   POST /api/placements/:placementId {rtts}  -> 201 PlacedSession (edge, ticket, signalUrl)
 *   WS   <signalUrl>                           (the ticket is in the URL)
 * After losing an edge mid-session:
 *   POST /api/sessions/:sessionId/resume {resumeToken} -> 200 PlacementOffer (the lost edge excluded)
 *   then the same placements call; a demo keeps its remaining time.
 */
import type { PhonePrepare } from './phone.ts';
import type { VideoInfo } from './signalling.ts';

export type EdgeTier = 'enterprise' | 'community';
export const EDGE_TIERS: readonly EdgeTier[] = ['enterprise', 'community'];

export type GeoPoint = { lat: number; lon: number };

export type PlacementCandidate = { edgeId: string; region: string; probeUrl: string };

export type PlacementOffer = {
  placementId: string;
  candidates: PlacementCandidate[];
  /** How long the page may spend probing before it must report. */
  probeBudgetMs: number;
};

/** POST /api/placements/:placementId body. RTTs in ms per edge id; missing or null = not measured. */
export type PlacementReport = { rtts: Record<string, number | null>; location?: GeoPoint };

export type PlacementDecision = {
  edgeId: string;
  region: string;
  /** 'rtt' | 'distance' | 'load' | 'affinity': what decided it, and the human-readable why. */
  basis: 'rtt' | 'distance' | 'load' | 'affinity';
  reason: string;
  rttMs?: number;
  distanceKm?: number;
};

/** POST /api/sessions/:id/spectators: what the player shares so others may watch (issue 18.5). */
export type SpectatorGrant = { grant: string; watchUrl: string; expiresAt: string };
/** POST /api/sessions/:id/watch: where a spectator with a grant connects (a fresh single-use viewer ticket inside). */
export type WatchTarget = { sessionId: string; edgeId: string; signalUrl: string };

export type PlacedSession = {
  sessionId: string;
  titleId: string;
  /** Absolute WebSocket URL of the edge's signalling endpoint, ticket included. */
  signalUrl: string;
  ticket: string;
  edgeId: string;
  placement: PlacementDecision;
  /** Play time left, counted from the first picture. */
  playSecondsRemaining: number;
  /** Shown on the end screen when the demo's time is up. */
  endScreenUrl?: string;
  /** Lets this page resume the session on another edge if its edge is lost. */
  resumeToken: string;
  /** The edge's stream, when it told the broker (the edge's `welcome` always carries it). */
  video?: VideoInfo;
};

// ---- edge <-> broker, over the WebSocket the edge opens to the broker ----

export const EDGE_LINK_PATH = '/broker/edges';

export type EdgeCapacity = {
  maxSessions: number;
  sessionsInUse: number;
  encoder: string;
  /** 'nvenc' | 'software' */
  encoderKind: 'nvenc' | 'software';
  nvencSessionsFree: number;
};

export type EdgeToBroker =
  | {
      type: 'register';
      /** Fleet secret; refused when it does not match the broker's. */
      secret: string;
      edgeId: string;
      region: string;
      location: GeoPoint;
      publicUrl: string;
      tier: EdgeTier;
      capacity: EdgeCapacity;
      /** Sessions still running here (after a broker restart). */
      sessions: string[];
      /** Which of them are phone instances, so a restarted broker knows its phones still run. */
      phoneSessions?: Array<{ sessionId: string; phone: PhonePrepare }>;
      /** The stream this edge produces. */
      video?: VideoInfo;
    }
  | {
      type: 'heartbeat';
      capacity: EdgeCapacity;
      sessions: string[];
      /** Seconds each running session has streamed, so a resumed demo keeps its remaining time. */
      streamedSeconds?: Record<string, number>;
      /** Sessions whose player is connected now (a phone's app shows "in use"). */
      playersConnected?: string[];
    }
  | { type: 'prepared'; requestId: string; ok: true }
  | { type: 'prepared'; requestId: string; ok: false; code: 'no-capacity' | 'start-failed'; message: string }
  | { type: 'session-ended'; sessionId: string; reason: string; secondsStreamed: number };

export type BrokerToEdge =
  | { type: 'registered'; heartbeatMs: number; ticketKey: string }
  | { type: 'refused'; code: string; message: string }
  | {
      type: 'prepare';
      requestId: string;
      sessionId: string;
      titleId: string;
      playSeconds: number;
      /** Set when the session is a cloud-phone instance (titleId is then PHONE_TITLE_ID). */
      phone?: PhonePrepare;
      /** The reservation lapses if the edge has not answered by then. */
      deadlineMs: number;
    }
  | { type: 'end-session'; sessionId: string; reason: string }
  /** A removed phone instance: stop it if it runs, then delete its data directory. */
  | { type: 'delete-phone-data'; phone: PhonePrepare }
  | { type: 'drain'; draining: boolean };

// ---- publisher API: Authorization: Bearer <publisher API key> ----

/** POST /api/publisher/links */
export type CreateDemoLinkRequest = {
  titleId: string;
  /** Default 900 (15 minutes). */
  playSeconds?: number;
  /** ISO date; the link is refused after it. */
  expiresAt?: string;
  maxPlays?: number;
  endScreenUrl?: string;
};

export type DemoLinkView = {
  id: string;
  url: string;
  titleId: string;
  playSeconds: number;
  expiresAt?: string;
  maxPlays?: number;
  plays: number;
  endScreenUrl?: string;
  revoked: boolean;
  createdAt: string;
};

export type UsageRecord = {
  sessionId: string;
  linkId: string;
  titleId: string;
  edgeId: string;
  region: string;
  tier: EdgeTier;
  startedAt: string;
  endedAt?: string;
  endReason?: string;
  secondsStreamed: number;
};

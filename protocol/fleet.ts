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
import type { EdgeTier } from './fleetMessages.ts';
import type { VideoInfo } from './signalling.ts';

// Long-standing import paths of the browser code (their schemas live in wire.ts and fleetMessages.ts).
export type { GeoPoint } from './wire.ts';
export type { PlacementReport } from './fleetMessages.ts';

export type PlacementCandidate = { edgeId: string; region: string; probeUrl: string };

export type PlacementOffer = {
  placementId: string;
  candidates: PlacementCandidate[];
  /** How long the page may spend probing before it must report. */
  probeBudgetMs: number;
};

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
  /**
   * TURN relays with this session's short-lived credentials (sessions/fleet/turnCredentials.ts),
   * for the page's RTCPeerConnection. Absent when the fleet has no TURN server.
   */
  iceServers?: IceServer[];
};

/** One RTCIceServer as the page's RTCPeerConnection takes it. */
export type IceServer = { urls: string[]; username: string; credential: string };

// ---- edge <-> broker, over the WebSocket the edge opens to the broker ----

export const EDGE_LINK_PATH = '/broker/edges';

// The link messages' schemas and types are in fleetMessages.ts.

// ---- publisher API: Authorization: Bearer <publisher API key> ----

/** The request body (CreateDemoLinkRequest) is in fleetMessages.ts. */
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

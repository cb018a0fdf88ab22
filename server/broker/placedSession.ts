/**
 * What the page gets once its session is placed: the edge's signalling URL
 * with a fresh single-use ticket, the placement's reason, the play time left
 * and a token to resume elsewhere if the edge is lost.
 */
import { SIGNAL_PATH, type PlacedSession, type VideoInfo } from '../../protocol/index.ts';
import {
  issueResumeToken,
  issueTicket,
  playSecondsLeft,
  sessionIceServers,
  turnLifetimeSeconds,
  type EdgeView,
  type FleetSession,
} from '../../sessions/index.ts';

/** The fleet's TURN relay (server/config.ts `turn`): its URLs, coturn's shared secret, a phone's credential lifetime. */
export type TurnRelay = { urls: readonly string[]; secret: string; ttlSeconds: number };

export type PlacementBasis = Omit<PlacedSession['placement'], 'edgeId' | 'region'>;

export function placedSession(o: {
  session: FleetSession;
  edge: EdgeView;
  decision: PlacementBasis;
  ticketKey: string;
  ticketTtlMs: number;
  resumeSecret: string;
  resumeTtlMs: number;
  video: VideoInfo | undefined;
  /** Absent or without URLs: no `iceServers` (players connect directly, as without TURN). */
  turn?: TurnRelay;
  now: number;
}): PlacedSession {
  const { session: s, edge } = o;
  const lifetimeSeconds = turnLifetimeSeconds({
    ticketTtlMs: o.ticketTtlMs,
    playSecondsLeft: s.kind === 'demo' ? playSecondsLeft(s) : undefined,
    noLimitSeconds: o.turn?.ttlSeconds ?? 0,
  });
  const iceServers = o.turn ? sessionIceServers(o.turn, { sessionId: s.sessionId, lifetimeSeconds, nowMs: o.now }) : [];
  const ticket = issueTicket(o.ticketKey, { sessionId: s.sessionId, edgeId: edge.edgeId, ttlMs: o.ticketTtlMs, now: o.now });
  const signal = new URL(SIGNAL_PATH, edge.publicUrl);
  signal.protocol = signal.protocol === 'https:' ? 'wss:' : 'ws:';
  signal.searchParams.set('session', s.sessionId);
  signal.searchParams.set('ticket', ticket);
  return {
    sessionId: s.sessionId,
    titleId: s.titleId,
    signalUrl: signal.toString(),
    ticket,
    edgeId: edge.edgeId,
    placement: { edgeId: edge.edgeId, region: edge.region, ...o.decision },
    playSecondsRemaining: playSecondsLeft(s),
    ...(s.kind === 'demo' && s.endScreenUrl ? { endScreenUrl: s.endScreenUrl } : {}),
    resumeToken: issueResumeToken(o.resumeSecret, { sessionId: s.sessionId, ttlMs: o.resumeTtlMs, now: o.now }),
    ...(o.video ? { video: o.video } : {}),
    ...(iceServers.length > 0 ? { iceServers } : {}),
  };
}

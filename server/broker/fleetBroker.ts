/**
 * The broker's fleet, composed: the edge registry and slot reservations
 * (sessions/fleet), the session book (records and their lifecycle), the
 * placement service, demo links; the edge links' events are routed to them
 * here, and spectators and operators are served here.
 */
import type { Logger } from 'pino';
import {
  SIGNAL_PATH,
  type CreateDemoLinkRequest,
  type EdgeToBroker,
  type GeoPoint,
  type PhonePrepare,
  type PlacementReport,
  type VideoInfo,
  type WatchTarget,
} from '../../protocol/index.ts';
import {
  EdgeRegistry,
  ReservationBook,
  isLive,
  issueSpectatorGrant,
  issueTicket,
  verifyResumeToken,
  verifySpectatorGrant,
  type SessionStatus,
} from '../../sessions/index.ts';
import { DemoLinkService } from './demoLinkService.ts';
import type { EdgeLinkEvents } from './edgeLinkServer.ts';
import { summarize, type EdgeSummary, type FleetApi } from './fleetApi.ts';
import type { FleetBrokerOptions } from './fleetBrokerTypes.ts';
import type { Result } from './httpErrors.ts';
import { PlacementService, SESSION_ENDED } from './placementService.ts';
import { SessionBook, type PhoneSessionEvents } from './sessionBook.ts';

export type { EdgeLinks, FleetBrokerOptions } from './fleetBrokerTypes.ts';
export type { PhoneSessionEvents } from './sessionBook.ts';

/** A shared spectator link works for the length of a long session. */
const SPECTATOR_GRANT_TTL_MS = 6 * 3600_000;

export class FleetBroker implements FleetApi {
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly registry: EdgeRegistry;
  private readonly reservations: ReservationBook;
  private readonly ticketKeys = new Map<string, string>();
  private readonly videoByEdge = new Map<string, VideoInfo>();
  private readonly book: SessionBook;
  private readonly placement: PlacementService;
  readonly links: DemoLinkService;
  private timer?: NodeJS.Timeout;
  /** Set by the phone service (one broker, one phone service). */
  phoneEvents: PhoneSessionEvents | undefined;

  constructor(private readonly o: FleetBrokerOptions) {
    this.now = o.now ?? Date.now;
    this.log = o.logger;
    this.registry = new EdgeRegistry({ now: this.now, heartbeatMs: o.heartbeatMs, lostAfterMs: o.lostAfterMs });
    this.reservations = new ReservationBook({ registry: this.registry, now: this.now });
    this.links = new DemoLinkService({ catalog: o.catalog, builtinLink: o.builtinLink, now: this.now });
    this.book = new SessionBook({ usage: this.links, phoneEvents: () => this.phoneEvents, logger: o.logger, now: this.now });
    this.placement = new PlacementService({
      registry: this.registry,
      reservations: this.reservations,
      book: this.book,
      demoLinks: this.links,
      links: o.links,
      ticketKeys: this.ticketKeys,
      videoByEdge: this.videoByEdge,
      ticketTtlMs: o.ticketTtlMs,
      resumeSecret: o.resumeSecret,
      ...(o.placementTtlMs !== undefined ? { placementTtlMs: o.placementTtlMs } : {}),
      ...(o.pendingPlays ? { pendingPlays: o.pendingPlays } : {}),
      ...(o.turn ? { turn: o.turn } : {}),
      logger: o.logger,
      now: this.now,
    });
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), Math.min(this.o.heartbeatMs, 1000));
  }
  stop(): void {
    clearInterval(this.timer);
  }

  // ---- players (placement) ----

  checkLink = (linkId: string) => this.links.check(linkId);
  offer = (linkId: string, location: GeoPoint | undefined, clientAddress?: string) => this.placement.offer(linkId, location, clientAddress);
  place = (placementId: string, report: PlacementReport) => this.placement.place(placementId, report);
  resume = (sessionId: string, resumeToken: string) => this.placement.resume(sessionId, resumeToken);

  /** A game session that can be watched (a phone's screen is its subscriber's alone). */
  hasSession(sessionId: string): boolean {
    const s = this.book.get(sessionId);
    return isLive(s) && s.status !== 'placing' && s.kind === 'demo';
  }

  // ---- phones ----

  offerPhone = (phone: PhonePrepare, dataEdgeId: string | undefined, location: GeoPoint | undefined) => this.placement.offerPhone(phone, dataEdgeId, location);
  reopen = (sessionId: string, location: GeoPoint | undefined) => this.placement.reopen(sessionId, location);
  liveSessionOfInstance = (instanceId: string) => this.book.liveOfInstance(instanceId);
  deletePhoneData = (edgeId: string, phone: PhonePrepare) => this.o.links.deletePhoneData(edgeId, phone);

  /** Stops a session at its edge (a phone the subscriber stopped); its end arrives from the edge. */
  stopSession(sessionId: string, reason: string): boolean {
    const s = this.book.get(sessionId);
    if (!isLive(s) || !s.edgeId || this.registry.get(s.edgeId)?.status !== 'up') return false;
    this.o.links.endSession(s.edgeId, sessionId, reason);
    return true;
  }

  sessionStatus(sessionId: string): { status: SessionStatus; playerConnected: boolean } | undefined {
    const s = this.book.get(sessionId);
    return s && { status: s.status, playerConnected: s.playerConnected };
  }

  // ---- spectators ----

  /** The player (proven by its resume token) asks for a link others may watch with. */
  spectatorGrant(sessionId: string, resumeToken: string): Result<{ grant: string; expiresAtMs: number }> {
    const v = verifyResumeToken(this.o.resumeSecret, resumeToken, { sessionId, now: this.now() });
    if (!v.ok) return { ok: false, code: 'unauthorized', message: v.error };
    const s = this.book.get(sessionId);
    if (!isLive(s)) return SESSION_ENDED;
    // A phone's screen is its subscriber's alone.
    if (s.kind === 'phone') return { ok: false, code: 'forbidden', message: 'A cloud phone cannot be watched.' };
    const now = this.now();
    return {
      ok: true,
      value: { grant: issueSpectatorGrant(this.o.resumeSecret, { sessionId, ttlMs: SPECTATOR_GRANT_TTL_MS, now }), expiresAtMs: now + SPECTATOR_GRANT_TTL_MS },
    };
  }

  /** A spectator with a grant: the edge running the session and a single-use viewer ticket for it. */
  watch(sessionId: string, grant: unknown): Result<WatchTarget> {
    const v = verifySpectatorGrant(this.o.resumeSecret, grant, { sessionId, now: this.now() });
    if (!v.ok) return { ok: false, code: 'unauthorized', message: v.error };
    const s = this.book.get(sessionId);
    if (!isLive(s)) return SESSION_ENDED;
    const edge = s.edgeId ? this.registry.get(s.edgeId) : undefined;
    const ticketKey = edge && this.ticketKeys.get(edge.edgeId);
    if (!edge || !ticketKey || s.status !== 'running' || edge.status !== 'up')
      return { ok: false, code: 'busy', message: 'The session is moving to another server; try again in a moment.' };
    const ticket = issueTicket(ticketKey, { sessionId, edgeId: edge.edgeId, ttlMs: this.o.ticketTtlMs, now: this.now(), role: 'viewer' });
    const signal = new URL(SIGNAL_PATH, edge.publicUrl);
    signal.protocol = signal.protocol === 'https:' ? 'wss:' : 'ws:';
    signal.search = new URLSearchParams({ session: sessionId, role: 'viewer', ticket }).toString();
    return { ok: true, value: { sessionId, edgeId: edge.edgeId, signalUrl: signal.toString() } };
  }

  // ---- edge links ----

  readonly linkEvents: EdgeLinkEvents = {
    registered: (msg, ticketKey) => {
      this.registry.register({ ...msg, nvencPolicy: 'software-fallback' });
      this.ticketKeys.set(msg.edgeId, ticketKey);
      if (msg.video) this.videoByEdge.set(msg.edgeId, msg.video);
      // An edge re-registering (e.g. after a broker restart) reports what it still runs.
      const phones = new Map((msg.phoneSessions ?? []).map((p) => [p.sessionId, p.phone]));
      for (const id of msg.sessions) this.book.adopt(msg.edgeId, id, phones.get(id));
      return undefined;
    },
    heartbeat: (edgeId, msg: Extract<EdgeToBroker, { type: 'heartbeat' }>) => {
      const r = this.registry.heartbeat(edgeId, msg.capacity, msg.sessions);
      if (!r.ok) this.log.warn({ edgeId, code: r.code, err: r.error }, 'heartbeat refused');
      const connected = new Set(msg.playersConnected ?? []);
      this.book.heartbeat(edgeId, msg.sessions, connected, msg.streamedSeconds ?? {});
      for (const id of msg.sessions) if (connected.has(id)) this.placement.settled(id);
    },
    sessionEnded: (edgeId, sessionId, reason, secondsStreamed) => {
      this.placement.settled(sessionId);
      this.registry.sessionEnded(edgeId, sessionId);
      this.reservations.release(sessionId);
      this.book.endedByEdge(edgeId, sessionId, reason, secondsStreamed);
    },
    disconnected: (edgeId) => {
      this.registry.markDisconnected(edgeId);
      this.book.interruptOn(edgeId);
    },
  };

  private tick(): void {
    for (const lost of this.registry.tick()) {
      this.log.warn({ edgeId: lost.edgeId, sessions: lost.sessions.length }, 'edge lost: heartbeats missed');
      this.o.links.disconnect(lost.edgeId);
      this.book.interruptOn(lost.edgeId);
    }
    this.reservations.expire();
    this.placement.tick();
    this.book.tick();
  }

  // ---- operators ----

  edges(): EdgeSummary[] {
    return this.registry.list().map(summarize);
  }

  drain(edgeId: string, draining: boolean): Result<EdgeSummary> {
    const r = this.registry.drain(edgeId, draining);
    if (!r.ok) return { ok: false, code: 'unknown-edge', message: r.error };
    this.o.links.drain(edgeId, draining);
    this.log.info({ edgeId, draining }, 'edge drain set');
    return { ok: true, value: summarize(r.edge) };
  }

  // ---- publishers (delegated) ----
  createLink = (pub: string, req: CreateDemoLinkRequest, baseUrl: string) => this.links.create(pub, req, baseUrl);
  listLinks = (pub: string, baseUrl: string) => this.links.list(pub, baseUrl);
  getLink = (pub: string, id: string, baseUrl: string) => this.links.get(pub, id, baseUrl);
  revokeLink = (pub: string, id: string, baseUrl: string) => this.links.revoke(pub, id, baseUrl);
  usageByLink = (pub: string, id: string) => this.links.usageByLink(pub, id);
  usageByPublisher = (pub: string) => this.links.usageByPublisher(pub);
}

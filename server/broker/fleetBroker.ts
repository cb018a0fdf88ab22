/**
 * The broker's fleet logic, wired: edges (registry, heartbeats, loss),
 * placement (candidates, RTT reports, reservations, bounded retries), tickets,
 * resume after edge loss, and demo-link plays. The pure rules live in
 * sessions/fleet; this class keeps the state and talks to the edge links.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { v4 as uuidv4 } from 'uuid';
import {
  SIGNAL_PATH,
  type CreateDemoLinkRequest,
  type EdgeToBroker,
  type GeoPoint,
  type PlacedSession,
  type PlacementOffer,
  type PlacementReport,
  type WatchTarget,
  type PhonePrepare,
  type VideoInfo,
} from '../../protocol/index.ts';
import {
  EdgeRegistry,
  PendingPlacements,
  ReservationBook,
  chooseEdge,
  candidatesFor,
  verifyResumeToken,
  issueSpectatorGrant,
  issueTicket,
  verifySpectatorGrant,
  type EdgeView,
} from '../../sessions/index.ts';
import type { EdgeLinkEvents } from './edgeLinkServer.ts';
import { summarize, type EdgeSummary, type FleetApi } from './fleetApi.ts';
import { placedSession, type PlacementBasis } from './placedSession.ts';
import type { Result } from './httpErrors.ts';
import { interrupt, newDemoSession, newPhoneSession, playSecondsRemaining, type BrokerSession } from './brokerSessions.ts';
import type { FleetBrokerOptions, PhoneSessionEvents } from './fleetBrokerTypes.ts';

export type { EdgeLinks, FleetBrokerOptions, PhoneSessionEvents } from './fleetBrokerTypes.ts';
import { DemoLinkService } from './demoLinkService.ts';

const BUSY_STARTING = { ok: false, code: 'busy', message: 'This phone is starting; try again in a moment.' } as const;
const BUSY_RECONNECTING = { ok: false, code: 'busy', message: "This phone's server is reconnecting; try again in a moment." } as const;
/** How long an offer may wait for its RTT report (the page probes for about a second). */
const DEFAULT_PLACEMENT_TTL_MS = 10_000;
const PREPARE_DEADLINE_MS = 5_000;
const MAX_PLACEMENT_ATTEMPTS = 3;
const PROBE_BUDGET_MS = 1_000;
/** How long a session whose edge was lost waits for its page to come back. */
const RESUME_GRACE_MS = 60_000;
const RESUME_TOKEN_TTL_MS = 6 * 3600_000;
/** A shared spectator link works for the length of a long session. */
const SPECTATOR_GRANT_TTL_MS = 6 * 3600_000;
const ALL_TIERS = ['enterprise', 'community'] as const;

type OfferInput = { location?: GeoPoint; exclude: string[] } & (
  | { kind: 'new'; linkId: string }
  /** `preferOnly`: the preferred edge alone (a phone's record is trusted); else the others too, in case it just died. */
  | { kind: 'resume'; sessionId: string; preferEdgeId?: string; preferOnly?: boolean }
  /** A phone instance starting: `dataEdgeId` holds its data (affinity). */
  | { kind: 'phone'; phone: PhonePrepare; dataEdgeId?: string }
);
type PendingPlacement = OfferInput & { createdAtMs: number; candidates: string[] };

export class FleetBroker implements FleetApi {
  private readonly now: () => number;
  private readonly registry: EdgeRegistry;
  private readonly reservations: ReservationBook;
  private readonly ticketKeys = new Map<string, string>();
  private readonly videoByEdge = new Map<string, VideoInfo>();
  private readonly placements = new Map<string, PendingPlacement>();
  private readonly sessions = new Map<string, BrokerSession>();
  /** Public-link plays not yet watched, bounded per client address and overall. */
  private readonly pending: PendingPlacements;
  private readonly placementTtlMs: number;
  readonly links: DemoLinkService;
  private timer?: NodeJS.Timeout;
  private readonly log: Logger;
  /** Set by the phone service (one broker, one phone service). */
  phoneEvents: PhoneSessionEvents | undefined;

  constructor(private readonly o: FleetBrokerOptions) {
    this.now = o.now ?? Date.now;
    this.log = o.logger;
    this.registry = new EdgeRegistry({ now: this.now, heartbeatMs: o.heartbeatMs, lostAfterMs: o.lostAfterMs });
    this.reservations = new ReservationBook({ registry: this.registry, now: this.now });
    this.links = new DemoLinkService({ catalog: o.catalog, builtinLink: o.builtinLink, now: this.now });
    this.placementTtlMs = o.placementTtlMs ?? DEFAULT_PLACEMENT_TTL_MS;
    const limits = o.pendingPlays ?? { perAddress: 4, total: 256, joinWindowMs: 8_000 };
    this.pending = new PendingPlacements({ perAddress: limits.perAddress, total: limits.total, holdMs: this.placementTtlMs + PREPARE_DEADLINE_MS + limits.joinWindowMs }, this.now);
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), Math.min(this.o.heartbeatMs, 1000));
  }
  stop(): void {
    clearInterval(this.timer);
  }

  // ---- placement ----

  checkLink(linkId: string): Result<{ titleId: string }> {
    return this.links.check(linkId);
  }

  /** A play from a public link; `clientAddress` counts it against that address's pending plays. */
  offer(linkId: string, location: GeoPoint | undefined, clientAddress?: string): Result<PlacementOffer> {
    const check = this.links.check(linkId);
    if (!check.ok) return check;
    const offer = this.makeOffer({ kind: 'new', linkId, location, exclude: [] });
    if (!offer.ok || clientAddress === undefined) return offer;
    const held = this.pending.add(clientAddress, offer.value.placementId);
    if (held.ok) return offer;
    this.placements.delete(offer.value.placementId);
    this.log.warn({ clientAddress, scope: held.scope, pending: this.pending.size }, 'play refused: too many pending plays');
    const message = held.scope === 'address' ? 'Too many games are starting from your address at once. Please wait a moment.' : 'Too many games are starting at once. Please wait a moment.';
    return { ok: false, code: 'rate-limited', message, retryAfterSeconds: held.retryAfterSeconds };
  }

  private makeOffer(p: OfferInput): Result<PlacementOffer> {
    const edges = candidatesFor(this.registry.list(), { allowedTiers: ALL_TIERS, exclude: p.exclude, reservedOn: this.reservations.reservedOn, location: p.location });
    const preferred = p.kind === 'resume' && p.preferEdgeId ? this.registry.get(p.preferEdgeId) : undefined;
    const offered = preferred ? [preferred, ...(p.kind === 'resume' && p.preferOnly ? [] : edges.filter((e) => e.edgeId !== preferred.edgeId))] : edges;
    if (offered.length === 0) return { ok: false, code: 'no-capacity', message: 'All game servers are busy. Please try again in a minute.' };
    const placementId = randomBytes(12).toString('base64url');
    this.placements.set(placementId, { ...p, createdAtMs: this.now(), candidates: offered.map((e) => e.edgeId) });
    return {
      ok: true,
      value: {
        placementId,
        candidates: offered.map((e) => ({ edgeId: e.edgeId, region: e.region, probeUrl: new URL('/edge/probe', e.publicUrl).toString() })),
        probeBudgetMs: PROBE_BUDGET_MS,
      },
    };
  }

  /** Candidates for starting a phone instance; its data edge, when up, wins the placement (affinity). */
  offerPhone(phone: PhonePrepare, dataEdgeId: string | undefined, location: GeoPoint | undefined): Result<PlacementOffer> {
    return this.makeOffer({ kind: 'phone', phone, ...(dataEdgeId ? { dataEdgeId } : {}), location, exclude: [] });
  }

  /**
   * Reopening a running phone instance: its edge still runs it, so the page
   * gets that edge alone and then a fresh ticket (same screen). If the edge
   * was lost, the session goes elsewhere like a resumed game, and starts there
   * from whatever data that edge has (see docs/operations.md, data moves).
   */
  reopen(sessionId: string, location: GeoPoint | undefined): Result<PlacementOffer> {
    const s = this.sessions.get(sessionId);
    if (!s || s.status === 'ended') return { ok: false, code: 'session-ended', message: 'This session has ended.' };
    if (s.status === 'placing') return BUSY_STARTING;
    const edge = s.edgeId ? this.registry.get(s.edgeId) : undefined;
    // The broker's own record is trusted over heartbeats, which list a new session up to one beat late.
    if (edge && this.runsOn(s, edge.edgeId)) return this.makeOffer({ kind: 'resume', sessionId, preferEdgeId: edge.edgeId, preferOnly: true, location, exclude: [] });
    // Only a lost edge moves a phone (away from its data); a link that dropped may come back in seconds.
    if (edge && edge.status !== 'lost') return BUSY_RECONNECTING;
    interrupt(s, this.now());
    if (s.edgeId) this.o.links.endSession(s.edgeId, sessionId, 'edge-lost');
    return this.makeOffer({ kind: 'resume', sessionId, location, exclude: s.edgeId ? [s.edgeId] : [] });
  }

  /** Stops a session at its edge (a phone the subscriber stopped); its end arrives from the edge. */
  stopSession(sessionId: string, reason: string): boolean {
    const s = this.sessions.get(sessionId);
    if (!s || s.status === 'ended' || !s.edgeId || this.registry.get(s.edgeId)?.status !== 'up') return false;
    this.o.links.endSession(s.edgeId, sessionId, reason);
    return true;
  }

  deletePhoneData(edgeId: string, phone: PhonePrepare): boolean {
    return this.o.links.deletePhoneData(edgeId, phone);
  }

  sessionStatus(sessionId: string): { status: BrokerSession['status']; playerConnected: boolean } | undefined {
    const s = this.sessions.get(sessionId);
    return s && { status: s.status, playerConnected: s.playerConnected === true };
  }

  async place(placementId: string, report: PlacementReport): Promise<Result<PlacedSession>> {
    const placed = await this.placeOnce(placementId, report);
    if (placed.ok) this.pending.placed(placementId, placed.value.sessionId);
    else this.pending.release(placementId);
    return placed;
  }

  private async placeOnce(placementId: string, report: PlacementReport): Promise<Result<PlacedSession>> {
    const p = this.placements.get(placementId);
    if (!p) return { ok: false, code: 'unknown-placement', message: 'No such placement; start again from the link.' };
    this.placements.delete(placementId); // single use
    if (this.now() - p.createdAtMs > this.placementTtlMs) return { ok: false, code: 'placement-expired', message: 'The placement expired; start again from the link.' };

    let session: BrokerSession;
    if (p.kind === 'phone') {
      // Opened twice at once (two tabs, a retry): the first open's session is the one.
      const live = this.liveSessionOfInstance(p.phone.instanceId);
      if (live) {
        const edge = live.edgeId ? this.registry.get(live.edgeId) : undefined;
        if (!edge || !this.runsOn(live, edge.edgeId)) return BUSY_STARTING;
        return { ok: true, value: this.placed(live, edge, { basis: 'affinity', reason: `already running on ${edge.edgeId}` }) };
      }
      session = newPhoneSession(uuidv4(), p.phone);
      // Visible at once, so a second open while this one places is answered 'busy', not a second start.
      this.sessions.set(session.sessionId, session);
    } else if (p.kind === 'new') {
      const admitted = this.links.admitPlay(p.linkId);
      if (!admitted.ok) return admitted;
      session = newDemoSession(uuidv4(), admitted.value);
    } else {
      const s = this.sessions.get(p.sessionId);
      if (!s || s.status === 'ended') return { ok: false, code: 'session-ended', message: 'This session has ended.' };
      session = s;
      // Same edge, session still there: just a fresh ticket (the game state is intact).
      if (p.preferEdgeId && this.runsOn(s, p.preferEdgeId)) {
        const edge = this.registry.get(p.preferEdgeId)!;
        s.status = 'running';
        return { ok: true, value: this.placed(s, edge, { basis: 'affinity', reason: `resumed on ${edge.edgeId}, which still runs the session` }) };
      }
    }

    const previousEdgeId = session.edgeId;
    const tried: string[] = [];
    for (let attempt = 0; attempt < MAX_PLACEMENT_ATTEMPTS; attempt++) {
      const choice = chooseEdge(this.registry.list(), {
        allowedTiers: ALL_TIERS,
        rtts: report.rtts,
        ...(report.location ?? p.location ? { location: report.location ?? p.location } : {}),
        exclude: [...p.exclude, ...tried],
        reservedOn: this.reservations.reservedOn,
        ...(p.kind === 'phone' && p.dataEdgeId ? { preferEdgeId: p.dataEdgeId } : {}),
      });
      if (!choice) break;
      const reserved = this.reservations.reserve(choice.edgeId, session.sessionId);
      if (!reserved.ok) {
        tried.push(choice.edgeId);
        continue;
      }
      const remaining = playSecondsRemaining(session);
      const prepared = await this.o.links.prepare(
        choice.edgeId,
        { sessionId: session.sessionId, titleId: session.titleId, playSeconds: remaining, ...(session.phone ? { phone: session.phone } : {}) },
        PREPARE_DEADLINE_MS,
      );
      if (!prepared.ok) {
        // An edge that answers after the deadline would run a session nobody joins (a phone's would hold its profile).
        if (prepared.code === 'timeout') this.o.links.endSession(choice.edgeId, session.sessionId, 'start-failed');
        this.reservations.release(session.sessionId);
        this.log.warn({ sessionId: session.sessionId, edgeId: choice.edgeId, code: prepared.code, message: prepared.message }, 'edge refused a session; trying the next');
        tried.push(choice.edgeId);
        continue;
      }
      this.reservations.confirm(session.sessionId);
      const edge = this.registry.get(choice.edgeId);
      if (!edge) break;
      session.edgeId = edge.edgeId;
      session.status = 'running';
      session.interruptedAtMs = undefined;
      this.sessions.set(session.sessionId, session);
      // A resume opens a new record on the new edge (the store closes the old one as edge-lost).
      if (session.publisherId) this.links.usageStarted(session, edge, this.now());
      if (session.phone) {
        const dataEdgeId = p.kind === 'phone' ? p.dataEdgeId : previousEdgeId;
        const dataMove = dataEdgeId && dataEdgeId !== edge.edgeId ? { from: dataEdgeId, to: edge.edgeId, dataDir: session.phone.dataDir, sourceUp: this.registry.get(dataEdgeId)?.status === 'up' } : undefined;
        this.phoneEvents?.placed(session as BrokerSession & { phone: PhonePrepare }, edge.edgeId, dataMove);
      }

      const { basis, reason, rttMs, distanceKm } = choice;
      return { ok: true, value: this.placed(session, edge, { basis, reason, ...(rttMs !== undefined ? { rttMs } : {}), ...(distanceKm !== undefined ? { distanceKm } : {}) }) };
    }
    if (p.kind === 'new') this.links.refundPlay(session.linkId);
    if (p.kind === 'phone') this.sessions.delete(session.sessionId);
    return { ok: false, code: 'no-capacity', message: 'All game servers are busy. Please try again in a minute.' };
  }

  private placed(s: BrokerSession, edge: EdgeView, decision: PlacementBasis): PlacedSession {
    return placedSession({
      session: s,
      edge,
      decision,
      ticketKey: this.ticketKeys.get(edge.edgeId) ?? '',
      ticketTtlMs: this.o.ticketTtlMs,
      resumeSecret: this.o.resumeSecret,
      resumeTtlMs: RESUME_TOKEN_TTL_MS,
      // The edge's default stream; a phone's portrait size comes in the edge's welcome.
      video: s.phone ? undefined : this.videoByEdge.get(edge.edgeId),
      now: this.now(),
    });
  }

  /** The player (proven by its resume token) asks for a link others may watch with. */
  spectatorGrant(sessionId: string, resumeToken: string): Result<{ grant: string; expiresAtMs: number }> {
    const v = verifyResumeToken(this.o.resumeSecret, resumeToken, { sessionId, now: this.now() });
    if (!v.ok) return { ok: false, code: 'unauthorized', message: v.error };
    const s = this.sessions.get(sessionId);
    if (!s || s.status === 'ended') return { ok: false, code: 'session-ended', message: 'This session has ended.' };
    // A phone's screen is its subscriber's alone.
    if (s.phone) return { ok: false, code: 'forbidden', message: 'A cloud phone cannot be watched.' };
    const now = this.now();
    return { ok: true, value: { grant: issueSpectatorGrant(this.o.resumeSecret, { sessionId, ttlMs: SPECTATOR_GRANT_TTL_MS, now }), expiresAtMs: now + SPECTATOR_GRANT_TTL_MS } };
  }

  /** A spectator with a grant: the edge running the session and a single-use viewer ticket for it. */
  watch(sessionId: string, grant: unknown): Result<WatchTarget> {
    const v = verifySpectatorGrant(this.o.resumeSecret, grant, { sessionId, now: this.now() });
    if (!v.ok) return { ok: false, code: 'unauthorized', message: v.error };
    const s = this.sessions.get(sessionId);
    if (!s || s.status === 'ended') return { ok: false, code: 'session-ended', message: 'This session has ended.' };
    const edge = s.edgeId ? this.registry.get(s.edgeId) : undefined;
    const ticketKey = edge && this.ticketKeys.get(edge.edgeId);
    if (!edge || !ticketKey || s.status !== 'running' || edge.status !== 'up') return { ok: false, code: 'busy', message: 'The session is moving to another server; try again in a moment.' };
    const ticket = issueTicket(ticketKey, { sessionId, edgeId: edge.edgeId, ttlMs: this.o.ticketTtlMs, now: this.now(), role: 'viewer' });
    const signal = new URL(SIGNAL_PATH, edge.publicUrl);
    signal.protocol = signal.protocol === 'https:' ? 'wss:' : 'ws:';
    signal.search = new URLSearchParams({ session: sessionId, role: 'viewer', ticket }).toString();
    return { ok: true, value: { sessionId, edgeId: edge.edgeId, signalUrl: signal.toString() } };
  }

  resume(sessionId: string, resumeToken: string): Result<PlacementOffer> {
    const v = verifyResumeToken(this.o.resumeSecret, resumeToken, { sessionId, now: this.now() });
    if (!v.ok) return { ok: false, code: 'unauthorized', message: v.error };
    const s = this.sessions.get(sessionId);
    if (!s) return { ok: false, code: 'unknown-session', message: 'This session is not known here.' };
    if (s.status === 'ended') return { ok: false, code: 'session-ended', message: 'This session has ended.' };
    const edge = s.edgeId ? this.registry.get(s.edgeId) : undefined;
    if (edge && edge.status === 'up' && s.status === 'running' && this.registry.hostsSession(edge.edgeId, sessionId)) {
      // The broker may not have noticed yet that the edge died: the others are offered too, so the page measures them.
      return this.makeOffer({ kind: 'resume', sessionId, preferEdgeId: edge.edgeId, exclude: [] });
    }
    // The edge is gone (or dropped the session): bank its time, go elsewhere.
    interrupt(s, this.now());
    if (s.edgeId) this.o.links.endSession(s.edgeId, sessionId, 'edge-lost');
    return this.makeOffer({ kind: 'resume', sessionId, exclude: s.edgeId ? [s.edgeId] : [] });
  }

  /** A game session that can be watched (a phone's screen is its subscriber's alone). */
  hasSession(sessionId: string): boolean {
    const s = this.sessions.get(sessionId);
    return s !== undefined && s.status !== 'ended' && !s.phone;
  }

  /** The running (or starting) session of a phone instance, if any. */
  liveSessionOfInstance(instanceId: string): BrokerSession | undefined {
    for (const s of this.sessions.values()) if (s.phone?.instanceId === instanceId && s.status !== 'ended') return s;
    return undefined;
  }

  /** Whether `s` runs on `edgeId` now: a game's edge must list it in heartbeats; a phone's record is the broker's own (heartbeats lag a start by a beat). */
  private runsOn(s: BrokerSession, edgeId: string): boolean {
    if (s.edgeId !== edgeId || this.registry.get(edgeId)?.status !== 'up') return false;
    return s.phone ? s.status === 'running' : this.registry.hostsSession(edgeId, s.sessionId);
  }

  // ---- edge links ----

  readonly linkEvents: EdgeLinkEvents = {
    registered: (msg, ticketKey) => {
      this.registry.register({ ...msg, nvencPolicy: 'software-fallback' });
      this.ticketKeys.set(msg.edgeId, ticketKey);
      if (msg.video) this.videoByEdge.set(msg.edgeId, msg.video);
      const phones = new Map((msg.phoneSessions ?? []).map((p) => [p.sessionId, p.phone]));
      for (const id of msg.sessions) this.adoptSession(msg.edgeId, id, phones.get(id));
      return undefined;
    },
    heartbeat: (edgeId, msg: Extract<EdgeToBroker, { type: 'heartbeat' }>) => {
      const r = this.registry.heartbeat(edgeId, msg.capacity, msg.sessions);
      if (!r.ok) this.log.warn({ edgeId, code: r.code, err: r.error }, 'heartbeat refused');
      const connected = new Set(msg.playersConnected ?? []);
      for (const id of msg.sessions) {
        const s = this.sessions.get(id);
        if (s && s.edgeId === edgeId) s.playerConnected = connected.has(id);
        if (connected.has(id)) this.pending.settled(id);
      }
      for (const [id, seconds] of Object.entries(msg.streamedSeconds ?? {})) {
        const s = this.sessions.get(id);
        if (s && s.edgeId === edgeId && s.status === 'running') s.streamedHereSeconds = seconds;
      }
    },
    sessionEnded: (edgeId, sessionId, reason, secondsStreamed) => {
      this.pending.settled(sessionId);
      this.registry.sessionEnded(edgeId, sessionId);
      const s = this.sessions.get(sessionId);
      this.reservations.release(sessionId);
      if (!s || s.edgeId !== edgeId || s.status === 'ended') return;
      // An edge told to drop a session we moved elsewhere: not the session's end.
      if (s.status === 'interrupted') return;
      s.streamedHereSeconds = secondsStreamed;
      this.endSession(s, reason);
    },
    disconnected: (edgeId) => {
      this.registry.markDisconnected(edgeId);
      this.interruptSessionsOn(edgeId);
    },
  };

  /** An edge re-registering (e.g. after a broker restart) reports what it still runs. */
  private adoptSession(edgeId: string, sessionId: string, phone: PhonePrepare | undefined): void {
    const s = this.sessions.get(sessionId);
    if (s) {
      if (s.status === 'interrupted' && s.edgeId === edgeId) s.status = 'running';
      return;
    }
    // Unknown to this broker (it restarted): keep it visible until it ends; a phone is running again for its subscriber.
    if (phone) {
      const adopted = { ...newPhoneSession(sessionId, phone), edgeId, status: 'running' as const };
      this.sessions.set(sessionId, adopted);
      this.phoneEvents?.placed(adopted as BrokerSession & { phone: PhonePrepare }, edgeId, undefined);
      return;
    }
    this.sessions.set(sessionId, { sessionId, linkId: '', publisherId: '', titleId: '', playSeconds: 0, edgeId, streamedBeforeSeconds: 0, streamedHereSeconds: 0, status: 'running' });
  }

  private interruptSessionsOn(edgeId: string): void {
    for (const s of this.sessions.values()) if (s.edgeId === edgeId && s.status === 'running') interrupt(s, this.now());
  }

  private endSession(s: BrokerSession, reason: string): void {
    s.status = 'ended';
    // The record covers the current edge only; earlier edges' records were closed at the move.
    if (s.publisherId) this.links.usageEnded(s.sessionId, reason, s.streamedHereSeconds, this.now());
    if (s.phone) this.phoneEvents?.ended(s as BrokerSession & { phone: PhonePrepare }, reason);
    this.log.info({ sessionId: s.sessionId, reason, edgeId: s.edgeId }, 'session ended');
  }

  private tick(): void {
    const now = this.now();
    for (const lost of this.registry.tick()) {
      this.log.warn({ edgeId: lost.edgeId, sessions: lost.sessions.length }, 'edge lost: heartbeats missed');
      this.o.links.disconnect(lost.edgeId);
      this.interruptSessionsOn(lost.edgeId);
    }
    this.reservations.expire();
    for (const [id, p] of this.placements) if (now - p.createdAtMs > this.placementTtlMs) this.placements.delete(id);
    for (const s of this.sessions.values()) {
      if (s.status === 'interrupted' && now - (s.interruptedAtMs ?? now) > RESUME_GRACE_MS) this.endSession(s, 'edge-lost');
      if (s.status === 'ended') this.sessions.delete(s.sessionId);
    }
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

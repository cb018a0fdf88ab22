/**
 * Placement: offering a page candidate edges to probe, then putting the
 * session on the best one it measured (a new demo play, a phone instance
 * starting, or a session resumed after its edge was lost), with slot
 * reservations and bounded retries. The records it moves are the session
 * book's; the pure rules are sessions/fleet (placement, sessionMachine).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { v4 as uuidv4 } from 'uuid';
import type { GeoPoint, PhonePrepare, PlacedSession, PlacementOffer, PlacementReport, VideoInfo } from '../../protocol/index.ts';
import {
  PendingPlacements,
  candidatesFor,
  chooseEdge,
  isLive,
  newDemoSession,
  newPhoneSession,
  playSecondsLeft,
  verifyResumeToken,
  type EdgeRegistry,
  type EdgeView,
  type FleetSession,
  type ReservationBook,
} from '../../sessions/index.ts';
import type { DemoLinkService } from './demoLinkService.ts';
import type { EdgeLinks } from './fleetBrokerTypes.ts';
import type { Result } from './httpErrors.ts';
import { placedSession, type PlacementBasis, type TurnRelay } from './placedSession.ts';
import type { SessionBook } from './sessionBook.ts';

export const SESSION_ENDED = { ok: false, code: 'session-ended', message: 'This session has ended.' } as const;
const NO_CAPACITY = { ok: false, code: 'no-capacity', message: 'All game servers are busy. Please try again in a minute.' } as const;
const BUSY_STARTING = { ok: false, code: 'busy', message: 'This phone is starting; try again in a moment.' } as const;
const BUSY_RECONNECTING = { ok: false, code: 'busy', message: "This phone's server is reconnecting; try again in a moment." } as const;
/** How long an offer may wait for its RTT report (the page probes for about a second). */
const DEFAULT_PLACEMENT_TTL_MS = 10_000;
const PREPARE_DEADLINE_MS = 5_000;
const MAX_PLACEMENT_ATTEMPTS = 3;
const PROBE_BUDGET_MS = 1_000;
const RESUME_TOKEN_TTL_MS = 6 * 3600_000;
const ALL_TIERS = ['enterprise', 'community'] as const;

type OfferInput = { location?: GeoPoint; exclude: string[] } & (
  | { kind: 'new'; linkId: string }
  /** `preferOnly`: the preferred edge alone (a phone's record is trusted); else the others too, in case it just died. */
  | { kind: 'resume'; sessionId: string; preferEdgeId?: string; preferOnly?: boolean }
  /** A phone instance starting: `dataEdgeId` holds its data (affinity). */
  | { kind: 'phone'; phone: PhonePrepare; dataEdgeId?: string }
);
type PendingPlacement = OfferInput & { createdAtMs: number; candidates: string[] };

export type PlacementServiceOptions = {
  registry: EdgeRegistry;
  reservations: ReservationBook;
  book: SessionBook;
  demoLinks: DemoLinkService;
  links: EdgeLinks;
  /** Each edge's ticket key and default stream, from its registration. */
  ticketKeys: ReadonlyMap<string, string>;
  videoByEdge: ReadonlyMap<string, VideoInfo>;
  ticketTtlMs: number;
  resumeSecret: string;
  placementTtlMs?: number;
  /** The TURN relay whose credentials each placed player gets; none: no `iceServers` in placements. */
  turn?: TurnRelay;
  /** Public-link plays not yet watched: per client address, overall, and the edge's join window (default 4, 256, 8 s). */
  pendingPlays?: { perAddress: number; total: number; joinWindowMs: number };
  logger: Logger;
  now: () => number;
};

export class PlacementService {
  private readonly placements = new Map<string, PendingPlacement>();
  /** Public-link plays not yet watched, bounded per client address and overall. */
  private readonly pending: PendingPlacements;
  private readonly placementTtlMs: number;

  constructor(private readonly o: PlacementServiceOptions) {
    this.placementTtlMs = o.placementTtlMs ?? DEFAULT_PLACEMENT_TTL_MS;
    const limits = o.pendingPlays ?? { perAddress: 4, total: 256, joinWindowMs: 8_000 };
    this.pending = new PendingPlacements(
      { perAddress: limits.perAddress, total: limits.total, holdMs: this.placementTtlMs + PREPARE_DEADLINE_MS + limits.joinWindowMs },
      o.now,
    );
  }

  // ---- offers ----

  /** A play from a public link; `clientAddress` counts it against that address's pending plays. */
  async offer(linkId: string, location: GeoPoint | undefined, clientAddress?: string): Promise<Result<PlacementOffer>> {
    const check = await this.o.demoLinks.check(linkId);
    if (!check.ok) return check;
    const offer = this.makeOffer({ kind: 'new', linkId, location, exclude: [] });
    if (!offer.ok || clientAddress === undefined) return offer;
    const held = this.pending.add(clientAddress, offer.value.placementId);
    if (held.ok) return offer;
    this.placements.delete(offer.value.placementId);
    this.o.logger.warn({ clientAddress, scope: held.scope, pending: this.pending.size }, 'play refused: too many pending plays');
    const message =
      held.scope === 'address'
        ? 'Too many games are starting from your address at once. Please wait a moment.'
        : 'Too many games are starting at once. Please wait a moment.';
    return { ok: false, code: 'rate-limited', message, retryAfterSeconds: held.retryAfterSeconds };
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
    const s = this.o.book.get(sessionId);
    if (!isLive(s)) return SESSION_ENDED;
    if (s.status === 'placing') return BUSY_STARTING;
    const edge = s.edgeId ? this.o.registry.get(s.edgeId) : undefined;
    // The broker's own record is trusted over heartbeats, which list a new session up to one beat late.
    if (edge && this.runsOn(s, edge.edgeId))
      return this.makeOffer({ kind: 'resume', sessionId, preferEdgeId: edge.edgeId, preferOnly: true, location, exclude: [] });
    // Only a lost edge moves a phone (away from its data); a link that dropped may come back in seconds.
    if (edge && edge.status !== 'lost') return BUSY_RECONNECTING;
    return this.offerElsewhere(s, location);
  }

  /** The page (proven by its resume token) lost its edge, or thinks it did. */
  resume(sessionId: string, resumeToken: string): Result<PlacementOffer> {
    const v = verifyResumeToken(this.o.resumeSecret, resumeToken, { sessionId, now: this.o.now() });
    if (!v.ok) return { ok: false, code: 'unauthorized', message: v.error };
    const s = this.o.book.get(sessionId);
    if (!s) return { ok: false, code: 'unknown-session', message: 'This session is not known here.' };
    if (s.status === 'ended') return SESSION_ENDED;
    const edge = s.edgeId ? this.o.registry.get(s.edgeId) : undefined;
    if (edge && edge.status === 'up' && s.status === 'running' && this.o.registry.hostsSession(edge.edgeId, s.sessionId)) {
      // The broker may not have noticed yet that the edge died: the others are offered too, so the page measures them.
      return this.makeOffer({ kind: 'resume', sessionId: s.sessionId, preferEdgeId: edge.edgeId, exclude: [] });
    }
    return this.offerElsewhere(s, undefined);
  }

  /** The session's edge is gone (or dropped it): it waits to be resumed, the edge is told to drop it, the others are offered. */
  private offerElsewhere(s: FleetSession, location: GeoPoint | undefined): Result<PlacementOffer> {
    this.o.book.interrupt(s.sessionId);
    if (s.edgeId) this.o.links.endSession(s.edgeId, s.sessionId, 'edge-lost');
    return this.makeOffer({ kind: 'resume', sessionId: s.sessionId, location, exclude: s.edgeId ? [s.edgeId] : [] });
  }

  private makeOffer(p: OfferInput): Result<PlacementOffer> {
    const edges = candidatesFor(this.o.registry.list(), {
      allowedTiers: ALL_TIERS,
      exclude: p.exclude,
      reservedOn: this.o.reservations.reservedOn,
      location: p.location,
    });
    const preferred = p.kind === 'resume' && p.preferEdgeId ? this.o.registry.get(p.preferEdgeId) : undefined;
    const offered = preferred ? [preferred, ...(p.kind === 'resume' && p.preferOnly ? [] : edges.filter((e) => e.edgeId !== preferred.edgeId))] : edges;
    if (offered.length === 0) return NO_CAPACITY;
    const placementId = randomBytes(12).toString('base64url');
    this.placements.set(placementId, { ...p, createdAtMs: this.o.now(), candidates: offered.map((e) => e.edgeId) });
    return {
      ok: true,
      value: {
        placementId,
        candidates: offered.map((e) => ({ edgeId: e.edgeId, region: e.region, probeUrl: new URL('/edge/probe', e.publicUrl).toString() })),
        probeBudgetMs: PROBE_BUDGET_MS,
      },
    };
  }

  // ---- placing ----

  /** The page's RTT report for an offer: the session is put on an edge (single use per offer). */
  async place(placementId: string, report: PlacementReport): Promise<Result<PlacedSession>> {
    const placed = await this.placeOnce(placementId, report);
    if (placed.ok) this.pending.placed(placementId, placed.value.sessionId);
    else this.pending.release(placementId);
    return placed;
  }

  /** The session's player connected, or the session ended: its play is no longer pending. */
  settled(sessionId: string): void {
    this.pending.settled(sessionId);
  }

  private async placeOnce(placementId: string, report: PlacementReport): Promise<Result<PlacedSession>> {
    const p = this.placements.get(placementId);
    if (!p) return { ok: false, code: 'unknown-placement', message: 'No such placement; start again from the link.' };
    this.placements.delete(placementId); // single use
    if (this.o.now() - p.createdAtMs > this.placementTtlMs)
      return { ok: false, code: 'placement-expired', message: 'The placement expired; start again from the link.' };
    if (p.kind === 'new') return this.placeDemo(p, report);
    if (p.kind === 'phone') return this.placePhone(p, report);
    return this.placeResumed(p, report);
  }

  private async placeDemo(p: PendingPlacement & { kind: 'new' }, report: PlacementReport): Promise<Result<PlacedSession>> {
    const admitted = await this.o.demoLinks.admitPlay(p.linkId);
    if (!admitted.ok) return admitted;
    const session = newDemoSession(uuidv4(), admitted.value);
    this.o.book.open(session);
    const placed = await this.onAnEdge(session.sessionId, p, report);
    if (!placed.ok) {
      this.o.book.forget(session.sessionId);
      await this.o.demoLinks.refundPlay(p.linkId);
    }
    return placed;
  }

  private async placePhone(p: PendingPlacement & { kind: 'phone' }, report: PlacementReport): Promise<Result<PlacedSession>> {
    // Opened twice at once (two tabs, a retry): the first open's session is the one.
    const live = this.o.book.liveOfInstance(p.phone.instanceId);
    if (live) {
      const edge = live.edgeId ? this.o.registry.get(live.edgeId) : undefined;
      if (!edge || !this.runsOn(live, edge.edgeId)) return BUSY_STARTING;
      return { ok: true, value: this.placed(live, edge, { basis: 'affinity', reason: `already running on ${edge.edgeId}` }) };
    }
    const session = newPhoneSession(uuidv4(), p.phone);
    // Visible at once, so a second open while this one places is answered 'busy', not a second start.
    this.o.book.open(session);
    const placed = await this.onAnEdge(session.sessionId, p, report);
    if (!placed.ok) this.o.book.forget(session.sessionId);
    return placed;
  }

  private async placeResumed(p: PendingPlacement & { kind: 'resume' }, report: PlacementReport): Promise<Result<PlacedSession>> {
    const s = this.o.book.get(p.sessionId);
    if (!isLive(s)) return SESSION_ENDED;
    // Same edge, session still there: just a fresh ticket (the game state is intact).
    const edge = p.preferEdgeId && this.runsOn(s, p.preferEdgeId) ? this.o.registry.get(p.preferEdgeId) : undefined;
    if (edge) {
      const back = this.o.book.rejoined(s.sessionId, edge.edgeId);
      return back
        ? { ok: true, value: this.placed(back, edge, { basis: 'affinity', reason: `resumed on ${edge.edgeId}, which still runs the session` }) }
        : SESSION_ENDED;
    }
    return this.onAnEdge(s.sessionId, p, report);
  }

  /** Tries the best measured edges in turn until one prepares the session. */
  private async onAnEdge(sessionId: string, p: PendingPlacement, report: PlacementReport): Promise<Result<PlacedSession>> {
    const tried: string[] = [];
    const location = report.location ?? p.location;
    for (let attempt = 0; attempt < MAX_PLACEMENT_ATTEMPTS; attempt++) {
      const choice = chooseEdge(this.o.registry.list(), {
        allowedTiers: ALL_TIERS,
        rtts: report.rtts,
        ...(location ? { location } : {}),
        exclude: [...p.exclude, ...tried],
        reservedOn: this.o.reservations.reservedOn,
        ...(p.kind === 'phone' && p.dataEdgeId ? { preferEdgeId: p.dataEdgeId } : {}),
      });
      if (!choice) break;
      const before = this.o.book.get(sessionId);
      if (!before || !(await this.prepareOn(choice.edgeId, before))) {
        tried.push(choice.edgeId);
        continue;
      }
      const edge = this.o.registry.get(choice.edgeId);
      if (!edge) break;
      const running = this.o.book.placedOn(sessionId, edge, this.dataMove(before, p, edge.edgeId));
      if (!running) {
        // It ended while the edge prepared it (its grace ran out): nobody will join it there.
        this.o.links.endSession(edge.edgeId, sessionId, 'start-failed');
        return SESSION_ENDED;
      }
      const { basis, reason, rttMs, distanceKm } = choice;
      return {
        ok: true,
        value: this.placed(running, edge, { basis, reason, ...(rttMs !== undefined ? { rttMs } : {}), ...(distanceKm !== undefined ? { distanceKm } : {}) }),
      };
    }
    return NO_CAPACITY;
  }

  /** Reserves a slot on the edge and has it prepare the session; false when it would not (the next edge is tried). */
  private async prepareOn(edgeId: string, s: FleetSession): Promise<boolean> {
    if (!this.o.reservations.reserve(edgeId, s.sessionId).ok) return false;
    const prepared = await this.o.links.prepare(
      edgeId,
      { sessionId: s.sessionId, titleId: s.titleId, playSeconds: playSecondsLeft(s), ...(s.kind === 'phone' ? { phone: s.phone } : {}) },
      PREPARE_DEADLINE_MS,
    );
    if (prepared.ok) {
      this.o.reservations.confirm(s.sessionId);
      return true;
    }
    // An edge that answers after the deadline would run a session nobody joins (a phone's would hold its profile).
    if (prepared.code === 'timeout') this.o.links.endSession(edgeId, s.sessionId, 'start-failed');
    this.o.reservations.release(s.sessionId);
    this.o.logger.warn({ sessionId: s.sessionId, edgeId, code: prepared.code, message: prepared.message }, 'edge refused a session; trying the next');
    return false;
  }

  /** A phone placed away from the edge that holds its data (a new start's data edge, or the edge a resume left). */
  private dataMove(s: FleetSession, p: PendingPlacement, edgeId: string) {
    if (s.kind !== 'phone') return undefined;
    const from = p.kind === 'phone' ? p.dataEdgeId : s.edgeId;
    return from && from !== edgeId ? { from, to: edgeId, dataDir: s.phone.dataDir, sourceUp: this.o.registry.get(from)?.status === 'up' } : undefined;
  }

  private placed(s: FleetSession, edge: EdgeView, decision: PlacementBasis): PlacedSession {
    return placedSession({
      session: s,
      edge,
      decision,
      ticketKey: this.o.ticketKeys.get(edge.edgeId) ?? '',
      ticketTtlMs: this.o.ticketTtlMs,
      resumeSecret: this.o.resumeSecret,
      resumeTtlMs: RESUME_TOKEN_TTL_MS,
      // The edge's default stream; a phone's portrait size comes in the edge's welcome.
      video: s.kind === 'phone' ? undefined : this.o.videoByEdge.get(edge.edgeId),
      ...(this.o.turn ? { turn: this.o.turn } : {}),
      now: this.o.now(),
    });
  }

  /** Whether `s` runs on `edgeId` now: a game's edge must list it in heartbeats; a phone's record is the broker's own (heartbeats lag a start by a beat). */
  private runsOn(s: FleetSession, edgeId: string): boolean {
    if (s.edgeId !== edgeId || this.o.registry.get(edgeId)?.status !== 'up') return false;
    return s.kind === 'phone' ? s.status === 'running' : this.o.registry.hostsSession(edgeId, s.sessionId);
  }

  /** Drops offers whose report never came. */
  tick(): void {
    const now = this.o.now();
    for (const [id, p] of this.placements) if (now - p.createdAtMs > this.placementTtlMs) this.placements.delete(id);
  }
}

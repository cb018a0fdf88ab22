/**
 * Slot reservations between "placement chose this edge" and "the edge says
 * the session is prepared". A slot counts as taken from reserve() until the
 * edge's own report lists the session, so concurrent placements never
 * overbook: the check and the reservation happen in one synchronous call.
 * A reservation the edge never answers lapses after `ttlMs` and frees its slot.
 */
import { FleetCode, refuse, show, type Refusal } from './errors.ts';
import type { EdgeView } from './edgeRegistry.ts';

/** What the book needs from the registry (EdgeRegistry implements it). */
export interface CapacitySource {
  /** Must return a new object whenever the edge's report changes: the book caches counts per view. */
  get(edgeId: string): EdgeView | undefined;
  hostsSession(edgeId: string, sessionId: string): boolean;
}

export type Reservation = Readonly<{
  sessionId: string;
  edgeId: string;
  reservedAtMs: number;
  /** Pending: the edge must answer by then. Confirmed: the slot is held until then at most, or until the edge reports the session. */
  expiresAtMs: number;
  confirmed: boolean;
}>;

export type ReservationBookOptions = {
  registry: CapacitySource;
  now: () => number;
  /** How long the edge has to prepare the session. Default 5000. */
  ttlMs?: number;
  /** How long a confirmed slot is held while waiting for a heartbeat listing the session. Default 30000. */
  confirmedTtlMs?: number;
};

export type ReserveOutcome =
  { ok: true; reservation: Reservation } | Refusal<'bad-request' | 'unknown-edge' | 'edge-not-up' | 'edge-draining' | 'no-capacity' | 'already-reserved'>;

// Lapsed reservations waiting for expire(): a cap keeps memory flat if nobody drains them.
const MAX_LAPSED = 10_000;

/**
 * One edge's reservations and a cached count. Placement asks for the count of
 * every edge on every request, so it is recomputed only when the edge's view
 * (its report) changes, a reservation is added or dropped, or one lapses.
 */
type EdgeReservations = { all: Map<string, Reservation>; count: number; countedFor: EdgeView | undefined; validUntilMs: number };

/** Reservations of one broker process. */
export class ReservationBook {
  readonly ttlMs: number;
  private readonly confirmedTtlMs: number;
  private readonly registry: CapacitySource;
  private readonly now: () => number;
  private readonly bySession = new Map<string, Reservation>();
  private readonly byEdge = new Map<string, EdgeReservations>();
  private lapsed: Reservation[] = [];

  constructor(o: ReservationBookOptions) {
    this.registry = o.registry;
    this.now = o.now;
    this.ttlMs = o.ttlMs ?? 5_000;
    this.confirmedTtlMs = o.confirmedTtlMs ?? 30_000;
  }

  /**
   * Takes a slot on the edge for the session, if its report minus live
   * reservations leaves one. Idempotent per session and edge; a session whose
   * slot elsewhere was confirmed (resume after edge loss) moves.
   */
  reserve(edgeId: string, sessionId: string): ReserveOutcome {
    if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 128) {
      return refuse(FleetCode.badRequest, `sessionId must be a non-empty string (got ${show(sessionId)})`);
    }
    const now = this.now();
    const held = this.bySession.get(sessionId);
    if (held) this.count(held.edgeId, true); // drops it if it has lapsed
    const existing = this.bySession.get(sessionId);
    if (existing) {
      // Asking twice for the same slot is a retry, not a second slot.
      if (existing.edgeId === edgeId) return { ok: true, reservation: existing };
      // A confirmed slot elsewhere means the session ran there and is moving (its edge was lost
      // before a heartbeat listed it): the old slot goes. Two pending ones would be a placement bug.
      if (!existing.confirmed) {
        return refuse(FleetCode.alreadyReserved, `session ${sessionId} already holds a pending slot on ${existing.edgeId}; release it first`);
      }
      this.drop(existing, false);
    }
    const edge = this.registry.get(edgeId);
    if (!edge) return refuse(FleetCode.unknownEdge, `no edge registered as ${show(edgeId)}`);
    if (edge.status !== 'up') return refuse(FleetCode.edgeNotUp, `edge ${edgeId} is ${edge.status}`);
    if (edge.draining) return refuse(FleetCode.edgeDraining, `edge ${edgeId} is draining`);
    const reserved = this.reservedOn(edgeId);
    if (edge.freeSlots - reserved <= 0) {
      return refuse(FleetCode.noCapacity, `edge ${edgeId} has ${edge.freeSlots} free slot(s), ${reserved} reserved`);
    }
    const r: Reservation = Object.freeze({ sessionId, edgeId, reservedAtMs: now, expiresAtMs: now + this.ttlMs, confirmed: false });
    this.bySession.set(sessionId, r);
    let onEdge = this.byEdge.get(edgeId);
    if (!onEdge) this.byEdge.set(edgeId, (onEdge = { all: new Map(), count: 0, countedFor: undefined, validUntilMs: 0 }));
    onEdge.all.set(sessionId, r);
    onEdge.countedFor = undefined;
    return { ok: true, reservation: r };
  }

  /**
   * The edge answered 'prepared': hold the slot until its report lists the
   * session. Undefined when there is no live reservation (it lapsed or was
   * released): the caller should then end the session on that edge.
   */
  confirm(sessionId: string): Reservation | undefined {
    const r = this.bySession.get(sessionId);
    if (!r) return undefined;
    if (!r.confirmed && this.now() >= r.expiresAtMs) {
      this.drop(r, true);
      return undefined;
    }
    const c: Reservation = Object.freeze({ ...r, confirmed: true, expiresAtMs: this.now() + this.confirmedTtlMs });
    this.bySession.set(sessionId, c);
    const onEdge = this.byEdge.get(c.edgeId);
    if (onEdge) {
      onEdge.all.set(sessionId, c);
      onEdge.countedFor = undefined;
    }
    return c;
  }

  /** Frees the slot (the edge refused, the placement was abandoned, or the session ended). True if one was held. */
  release(sessionId: string): boolean {
    const r = this.bySession.get(sessionId);
    if (!r) return false;
    this.drop(r, false);
    return true;
  }

  /** Removes lapsed reservations and returns the pending ones among them (the edge never answered), once each. */
  expire(): Reservation[] {
    for (const edgeId of [...this.byEdge.keys()]) this.count(edgeId, true);
    const out = this.lapsed;
    this.lapsed = [];
    return out;
  }

  /** Slots held on the edge that its own report does not count yet. Pass as `reservedOn` to placement. */
  readonly reservedOn = (edgeId: string): number => this.count(edgeId, false);

  private count(edgeId: string, sweep: boolean): number {
    const onEdge = this.byEdge.get(edgeId);
    if (!onEdge) return 0;
    const now = this.now();
    const view = this.registry.get(edgeId);
    if (!sweep && view !== undefined && onEdge.countedFor === view && now < onEdge.validUntilMs) return onEdge.count;
    let n = 0;
    let validUntilMs = Infinity;
    for (const r of onEdge.all.values()) {
      if (now >= r.expiresAtMs) {
        this.drop(r, !r.confirmed);
        continue;
      }
      if (this.registry.hostsSession(edgeId, r.sessionId)) {
        // The edge counts it now; a pending one stays (not counted) so confirm() still finds it.
        if (r.confirmed) {
          this.drop(r, false);
          continue;
        }
      } else n++;
      validUntilMs = Math.min(validUntilMs, r.expiresAtMs);
    }
    // drop() may have cleared countedFor; the count just made is valid for this view until the next lapse.
    onEdge.count = n;
    onEdge.countedFor = view;
    onEdge.validUntilMs = validUntilMs;
    return n;
  }

  /** The live reservation of a session, if any. */
  get(sessionId: string): Reservation | undefined {
    const r = this.bySession.get(sessionId);
    return r && this.now() < r.expiresAtMs ? r : undefined;
  }

  /** Reservations held (lapsed ones not yet swept included). */
  get size(): number {
    return this.bySession.size;
  }

  private drop(r: Reservation, lapsed: boolean): void {
    this.bySession.delete(r.sessionId);
    const onEdge = this.byEdge.get(r.edgeId);
    if (onEdge) {
      onEdge.all.delete(r.sessionId);
      onEdge.countedFor = undefined;
      if (onEdge.all.size === 0) this.byEdge.delete(r.edgeId);
    }
    if (lapsed) {
      this.lapsed.push(r);
      if (this.lapsed.length > MAX_LAPSED) this.lapsed.shift();
    }
  }
}

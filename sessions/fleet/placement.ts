/**
 * Choosing an edge for a session: which edges the page should probe, and,
 * once it reported its round-trip times, which edge wins and why. Pure
 * functions over registry views, so the broker can log, test and retry them.
 *
 * Order: affinity (a preferred edge that is eligible), then measured RTT
 * (ties within `tieMs` go to the less loaded edge), then unmeasured edges by
 * great-circle distance from the client's location hint, then by load.
 */
import type { EdgeTier, GeoPoint, PlacementDecision } from '../../protocol/index.ts';
import type { EdgeView } from './edgeRegistry.ts';
import { haversineKm, isGeoPoint } from './geo.ts';

/** RTTs above this are not measurements but garbage (or a client that waited a minute). */
export const MAX_RTT_MS = 60_000;
/** RTTs this close count as equal: a few ms is ping jitter, load matters more. */
export const DEFAULT_RTT_TIE_MS = 2;
/** How many edges the page is asked to probe. */
export const DEFAULT_PROBE_CANDIDATES = 8;
/** How many next-best edges a decision carries for retries. */
export const DEFAULT_MAX_FALLBACKS = 8;

/** Which edges may take this session. */
export type EligibilityFilter = {
  allowedTiers: readonly EdgeTier[];
  /** Only SLA-eligible (enterprise, rarely dropping out) edges. */
  slaRequired?: boolean;
  /** Edge ids to skip: ones already tried, or the edge just lost. */
  exclude?: readonly string[];
  /** Slots reserved but not yet in the edge's own report (ReservationBook.reservedOn). */
  reservedOn?: (edgeId: string) => number;
};

export type PlacementRequest = EligibilityFilter & {
  /** As reported by the page: garbage values (NaN, negative, > MAX_RTT_MS, non-numbers) count as unmeasured. */
  rtts: Record<string, number | null>;
  location?: GeoPoint;
  /** Affinity: this edge wins whenever it is eligible (e.g. a reconnect to the same edge). */
  preferEdgeId?: string;
  tieMs?: number;
  /** How many fallbacks to return. Default 8: the broker retries a bounded number of times. */
  maxFallbacks?: number;
};

/** One eligible edge with what placement knew of it. */
export type RankedEdge = {
  edgeId: string;
  region: string;
  rttMs?: number;
  distanceKm?: number;
  /** sessionsInUse / maxSessions (reservations included), 0..1. */
  load: number;
  freeSlots: number;
};

/** The decision, plus the next eligible edges (up to maxFallbacks) in the order to try them if this one refuses. */
export type Placement = PlacementDecision & { fallbacks: RankedEdge[] };

/** A usable RTT in ms, or undefined for anything that is not one. */
export function sanitizeRttMs(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_RTT_MS ? v : undefined;
}

/** Free slots left after reservations in flight; 0 when the edge cannot take a session at all. */
export function availableSlots(edge: EdgeView, filter: EligibilityFilter): number {
  if (edge.status !== 'up' || edge.draining) return 0;
  if (!filter.allowedTiers.includes(edge.tier)) return 0;
  if (filter.slaRequired === true && !edge.slaEligible) return 0;
  if (filter.exclude?.includes(edge.edgeId) === true) return 0;
  return Math.max(0, edge.freeSlots - (filter.reservedOn?.(edge.edgeId) ?? 0));
}

// An eligible edge while ranking; only the few that are returned become RankedEdge objects.
type Scored = { edge: EdgeView; free: number; load: number; rttMs: number | undefined; distanceKm: number | undefined };

/** Scores into `into` (a scratch object, so the ~1,000 edges that rank nowhere allocate nothing) and returns it. */
function score(into: Scored, edge: EdgeView, free: number, rttMs: number | undefined, location: GeoPoint | undefined): Scored {
  const max = edge.capacity.maxSessions;
  into.edge = edge;
  into.free = free;
  into.load = max > 0 ? Math.min(1, (max - free) / max) : 1;
  into.rttMs = rttMs;
  into.distanceKm = location ? haversineKm(location, edge.location) : undefined;
  return into;
}

const scratch = (edge: EdgeView): Scored => ({ edge, free: 0, load: 0, rttMs: undefined, distanceKm: undefined });

/** Whether `s` would enter a sorted list kept to its best `k`. */
function fits<T>(list: T[], s: T, k: number, cmp: (a: T, b: T) => number): boolean {
  const last = list[list.length - 1];
  return k > 0 && (list.length < k || (last !== undefined && cmp(s, last) < 0));
}

function toRanked(s: Scored): RankedEdge {
  const r: RankedEdge = { edgeId: s.edge.edgeId, region: s.edge.region, load: s.load, freeSlots: s.free };
  if (s.rttMs !== undefined) r.rttMs = s.rttMs;
  if (s.distanceKm !== undefined) r.distanceKm = s.distanceKm;
  return r;
}

// Total orders; the RTT tie rule is applied separately because "within 2 ms" is not transitive.
const byLoadThenId = (a: Scored, b: Scored) => a.load - b.load || (a.edge.edgeId < b.edge.edgeId ? -1 : a.edge.edgeId > b.edge.edgeId ? 1 : 0);
const byDistance = (a: Scored, b: Scored) => (a.distanceKm ?? 0) - (b.distanceKm ?? 0) || byLoadThenId(a, b);
const byRtt = (a: Scored, b: Scored) => (a.rttMs ?? 0) - (b.rttMs ?? 0) || byLoadThenId(a, b);

/**
 * Inserts into a sorted list kept to its best `k`; returns what fell out (the
 * item itself if it did not make it). With 1,000 edges and k = 9 this is a
 * fraction of the cost of sorting them all.
 */
function pushTop<T>(list: T[], item: T, k: number, cmp: (a: T, b: T) => number): T | undefined {
  if (!fits(list, item, k, cmp)) return item;
  let i = list.length;
  list.push(item);
  for (; i > 0 && cmp(item, list[i - 1] as T) < 0; i--) list[i] = list[i - 1] as T;
  list[i] = item;
  return list.length > k ? list.pop() : undefined;
}

/** Measured edges in RTT order where each pick is the least loaded within `tieMs` of the lowest remaining RTT. */
function orderMeasured(measured: Scored[], tieMs: number): Scored[] {
  const rest = [...measured].sort(byRtt);
  const out: Scored[] = [];
  while (rest.length > 0) {
    const limit = (rest[0]?.rttMs ?? 0) + tieMs;
    let best = 0;
    for (let i = 1; i < rest.length && (rest[i]?.rttMs ?? Infinity) <= limit; i++) {
      if (byLoadThenId(rest[i] as Scored, rest[best] as Scored) < 0) best = i;
    }
    out.push(...rest.splice(best, 1));
  }
  return out;
}

function rttsOf(raw: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [id, v] of Object.entries(raw)) {
    const ms = sanitizeRttMs(v);
    if (ms !== undefined) out.set(id, ms);
  }
  return out;
}

const pct = (load: number) => `${Math.round(load * 100)}%`;
const km = (d: number | undefined) => `${Math.round(d ?? 0)} km`;
const ms = (v: number | undefined) => `${Math.round((v ?? 0) * 10) / 10} ms`;
const edges = (n: number) => `${n} edge${n === 1 ? '' : 's'}`;

function listing(ranked: Scored[], total: number, fmt: (s: Scored) => string): string {
  const shown = ranked.slice(0, 5).map((s) => `${s.edge.edgeId} ${fmt(s)}`);
  if (total > shown.length) shown.push(`${total - shown.length} more`);
  return shown.join(', ');
}

/** Picks the edge for a session, or undefined when no eligible edge has a free slot. */
export function chooseEdge(candidates: readonly EdgeView[], request: PlacementRequest): Placement | undefined {
  const location = isGeoPoint(request.location) ? request.location : undefined;
  const rtts = rttsOf(request.rtts);
  const tieMs = request.tieMs ?? DEFAULT_RTT_TIE_MS;
  const maxFallbacks = Math.max(0, request.maxFallbacks ?? DEFAULT_MAX_FALLBACKS);
  const cmpUnmeasured = location ? byDistance : byLoadThenId;
  const measured: Scored[] = [];
  const unmeasured: Scored[] = [];
  let preferred: Scored | undefined;
  let count = 0;
  let tmp: Scored | undefined;
  for (const e of candidates) {
    const free = availableSlots(e, request);
    if (free === 0) continue;
    count++;
    const rttMs = rtts.get(e.edgeId);
    if (e.edgeId === request.preferEdgeId) preferred = score(scratch(e), e, free, rttMs, location);
    else if (rttMs !== undefined) measured.push(score(scratch(e), e, free, rttMs, location));
    else {
      const s = score((tmp ??= scratch(e)), e, free, undefined, location);
      if (fits(unmeasured, s, maxFallbacks + 1, cmpUnmeasured)) pushTop(unmeasured, { ...s }, maxFallbacks + 1, cmpUnmeasured);
    }
  }
  const byRank = orderMeasured(measured, tieMs);
  const ordered = [...byRank, ...unmeasured];
  const top = preferred ?? ordered.shift();
  if (!top) return undefined;

  let basis: PlacementDecision['basis'];
  let reason: string;
  if (top === preferred) {
    basis = 'affinity';
    reason = `preferred edge ${top.edge.edgeId} is eligible (load ${pct(top.load)}) among ${edges(count)}`;
  } else if (top.rttMs !== undefined) {
    basis = 'rtt';
    const minMs = Math.min(...measured.map((s) => s.rttMs ?? Infinity));
    const tied = measured.some((s) => s !== top && (s.rttMs ?? Infinity) <= minMs + tieMs);
    const tie = tied ? `; RTT tie within ${tieMs} ms broken on load ${pct(top.load)}` : '';
    reason = `lowest RTT ${ms(top.rttMs)} of ${edges(count)} (${listing(byRank, byRank.length, (s) => ms(s.rttMs))})${tie}`;
  } else if (location) {
    basis = 'distance';
    reason = `no RTT measured; nearest at ${km(top.distanceKm)} of ${edges(count)} (${listing([top, ...ordered], count, (s) => km(s.distanceKm))})`;
  } else {
    basis = 'load';
    reason = `no RTT or location; least loaded at ${pct(top.load)} of ${edges(count)} (${listing([top, ...ordered], count, (s) => pct(s.load))})`;
  }
  const decision: Placement = { edgeId: top.edge.edgeId, region: top.edge.region, basis, reason, fallbacks: ordered.slice(0, maxFallbacks).map(toRanked) };
  if (top.rttMs !== undefined) decision.rttMs = top.rttMs;
  if (top.distanceKm !== undefined) decision.distanceKm = Math.round(top.distanceKm);
  return decision;
}

/**
 * The edges to offer the page for probing: eligible ones with a free slot,
 * at most `limit`. With a location: nearest first, at most two per region,
 * so a wrong location hint (VPN, roaming) still leaves real alternatives to
 * measure and the winner has a nearby sibling to fall back on. Without one:
 * the least loaded edge of as many regions as fit. Short lists are filled
 * up with the remaining edges in the same order.
 */
export function candidatesFor(
  candidates: readonly EdgeView[],
  filter: EligibilityFilter & { location?: GeoPoint },
  limit = DEFAULT_PROBE_CANDIDATES,
): EdgeView[] {
  const location = isGeoPoint(filter.location) ? filter.location : undefined;
  const perRegion = location ? 2 : 1;
  const cmp = location ? byDistance : byLoadThenId;
  const regions = new Map<string, Scored[]>();
  const overflow: Scored[] = [];
  let tmp: Scored | undefined;
  for (const e of candidates) {
    const free = availableSlots(e, filter);
    if (free === 0) continue;
    let best = regions.get(e.region);
    if (!best) regions.set(e.region, (best = []));
    const s = score((tmp ??= scratch(e)), e, free, undefined, location);
    if (!fits(best, s, perRegion, cmp) && !fits(overflow, s, limit, cmp)) continue;
    const out = pushTop(best, { ...s }, perRegion, cmp);
    if (out) pushTop(overflow, out, limit, cmp);
  }
  const first = [...regions.values()].flat().sort(cmp);
  return [...first.slice(0, limit), ...overflow].slice(0, Math.max(0, limit)).map((s) => s.edge);
}

/**
 * The broker's view of its edges: who is registered, how loaded, how healthy.
 * Pure state: the caller feeds messages and calls tick() on a timer; time
 * comes from the injected clock. Messages reach it already checked against
 * the link's schema (protocol/fleetMessages.ts); what it refuses, as values,
 * is by state: an unknown edge, one that must register again.
 */
import type { EdgeCapacity, EdgeTier, GeoPoint } from '../../protocol/index.ts';
import { FleetCode, refuse, show, type Refusal } from './errors.ts';
import { NvencPolicy, type EdgeRegistration, type EdgeStatus } from './edgeValidation.ts';

/** A snapshot of one edge; time-derived fields are as of its last change or the last tick(). */
export type EdgeView = Readonly<{
  edgeId: string;
  region: string;
  location: GeoPoint;
  publicUrl: string;
  tier: EdgeTier;
  capacity: Readonly<EdgeCapacity>;
  sessions: readonly string[];
  nvencPolicy: NvencPolicy;
  status: EdgeStatus;
  draining: boolean;
  /** Increments on every registration; pass it to markDisconnected so a late close of an old link is ignored. */
  connectionSeq: number;
  firstRegisteredAtMs: number;
  registeredAtMs: number;
  lastHeartbeatAtMs: number;
  uptimeMs: number;
  missedHeartbeats: number;
  /** Drop-outs (disconnects, losses) within the registry's window. */
  dropOuts: number;
  /** May host SLA-bound sessions: enterprise tier and few recent drop-outs. */
  slaEligible: boolean;
  /** Sessions it can still take by its own report (capacity and NVENC policy), before reservations. */
  freeSlots: number;
}>;

export type EdgeRegistryOptions = {
  now: () => number;
  /** The interval edges are told to heartbeat at. Default 5000. */
  heartbeatMs?: number;
  /** Silent longer than this, an edge is lost. Default 3 heartbeats. */
  lostAfterMs?: number;
  /** Window in which drop-outs count against SLA eligibility. Default 1 h. */
  dropOutWindowMs?: number;
  /** More drop-outs than this in the window and the edge loses SLA eligibility. Default 2. */
  maxDropOutsForSla?: number;
  /** Lost edges are forgotten after this long (keeps a flapping edge's history meanwhile). Default 24 h. */
  forgetLostAfterMs?: number;
};

/** An edge tick() just marked lost, with the sessions the caller must end with reason 'edge-lost'. */
export type LostEdge = { edgeId: string; sessions: string[] };

export type EdgeOutcome<C extends FleetCode> = { ok: true; edge: EdgeView } | Refusal<C>;

/** Sessions an edge can take by its own report: NVENC 'report-full' caps them at the free NVENC sessions. */
export function freeSlots(capacity: EdgeCapacity, policy: NvencPolicy): number {
  const free = Math.max(0, capacity.maxSessions - capacity.sessionsInUse);
  // min() rather than "0 when none free": with 2 NVENC sessions left, a third placement would be refused anyway.
  if (capacity.encoderKind === 'nvenc' && policy === 'report-full') return Math.min(free, capacity.nvencSessionsFree);
  return free;
}

type EdgeRecord = {
  edgeId: string;
  region: string;
  location: GeoPoint;
  publicUrl: string;
  tier: EdgeTier;
  capacity: EdgeCapacity;
  sessions: Set<string>;
  nvencPolicy: NvencPolicy;
  status: EdgeStatus;
  draining: boolean;
  connectionSeq: number;
  firstRegisteredAtMs: number;
  registeredAtMs: number;
  lastHeartbeatAtMs: number;
  dropOutsAtMs: number[];
  view?: EdgeView;
};

// Copies only the known fields: a registration may carry extra keys from the wire.
const copyCapacity = (c: EdgeCapacity): EdgeCapacity => ({
  maxSessions: c.maxSessions,
  sessionsInUse: c.sessionsInUse,
  encoder: c.encoder,
  encoderKind: c.encoderKind,
  nvencSessionsFree: c.nvencSessionsFree,
});

/** The broker's registry of edges. One instance per broker process. */
export class EdgeRegistry {
  readonly heartbeatMs: number;
  readonly lostAfterMs: number;
  private readonly edges = new Map<string, EdgeRecord>();
  private listCache: readonly EdgeView[] | undefined;
  private readonly now: () => number;
  private readonly dropOutWindowMs: number;
  private readonly maxDropOutsForSla: number;
  private readonly forgetLostAfterMs: number;

  constructor(o: EdgeRegistryOptions) {
    this.now = o.now;
    this.heartbeatMs = o.heartbeatMs ?? 5_000;
    this.lostAfterMs = o.lostAfterMs ?? 3 * this.heartbeatMs;
    this.dropOutWindowMs = o.dropOutWindowMs ?? 3_600_000;
    this.maxDropOutsForSla = o.maxDropOutsForSla ?? 2;
    this.forgetLostAfterMs = o.forgetLostAfterMs ?? 86_400_000;
  }

  /** Registers an edge, or re-registers it (after a reconnect or a broker restart), keeping its drain flag and history. */
  register(info: EdgeRegistration): { ok: true; edge: EdgeView } {
    const now = this.now();
    const old = this.edges.get(info.edgeId);
    const rec: EdgeRecord = {
      edgeId: info.edgeId,
      region: info.region,
      location: { lat: info.location.lat, lon: info.location.lon },
      publicUrl: info.publicUrl,
      tier: info.tier,
      capacity: copyCapacity(info.capacity),
      sessions: new Set(info.sessions),
      nvencPolicy: info.nvencPolicy ?? NvencPolicy.softwareFallback,
      status: 'up',
      draining: old?.draining ?? false,
      connectionSeq: (old?.connectionSeq ?? 0) + 1,
      firstRegisteredAtMs: old?.firstRegisteredAtMs ?? now,
      registeredAtMs: now,
      lastHeartbeatAtMs: now,
      dropOutsAtMs: old?.dropOutsAtMs ?? [],
    };
    // Registering again while we still thought it up: the old link died without a close we saw.
    if (old?.status === 'up') this.addDropOut(rec, now);
    this.edges.set(rec.edgeId, rec);
    return { ok: true, edge: this.touch(rec, now) };
  }

  /** Records a heartbeat's load report. A lost or disconnected edge must register again first. */
  heartbeat(edgeId: string, capacity: EdgeCapacity, sessions: readonly string[]): EdgeOutcome<'unknown-edge' | 'edge-not-up'> {
    const rec = this.edges.get(edgeId);
    if (!rec) return refuse(FleetCode.unknownEdge, `no edge registered as ${show(edgeId)}`);
    if (rec.status !== 'up') return refuse(FleetCode.edgeNotUp, `edge ${edgeId} is ${rec.status}; register again`);
    const now = this.now();
    rec.capacity = copyCapacity(capacity);
    rec.sessions = new Set(sessions);
    rec.lastHeartbeatAtMs = now;
    return { ok: true, edge: this.touch(rec, now) };
  }

  /** The edge's link closed. It takes no new sessions; its running ones stay until it returns or is lost. */
  markDisconnected(edgeId: string, connectionSeq?: number): EdgeOutcome<'unknown-edge'> {
    const rec = this.edges.get(edgeId);
    if (!rec) return refuse(FleetCode.unknownEdge, `no edge registered as ${show(edgeId)}`);
    // A close of an older link arriving after the edge registered again must not take the new one down.
    if (rec.status !== 'up' || (connectionSeq !== undefined && connectionSeq !== rec.connectionSeq)) {
      return { ok: true, edge: this.viewOf(rec) };
    }
    const now = this.now();
    rec.status = 'disconnected';
    this.addDropOut(rec, now);
    return { ok: true, edge: this.touch(rec, now) };
  }

  /** Operator switch: a draining edge gets no new sessions; running ones finish. Survives re-registration. */
  drain(edgeId: string, draining: boolean): EdgeOutcome<'unknown-edge'> {
    const rec = this.edges.get(edgeId);
    if (!rec) return refuse(FleetCode.unknownEdge, `no edge registered as ${show(edgeId)}`);
    rec.draining = draining;
    return { ok: true, edge: this.touch(rec, this.now()) };
  }

  /** Call every second or so: marks silent edges lost (returned once each), refreshes time-derived fields. */
  tick(): LostEdge[] {
    const now = this.now();
    const lost: LostEdge[] = [];
    for (const rec of this.edges.values()) {
      if (rec.status === 'lost') {
        if (now - rec.lastHeartbeatAtMs > this.forgetLostAfterMs) this.edges.delete(rec.edgeId);
        continue;
      }
      if (now - rec.lastHeartbeatAtMs > this.lostAfterMs) {
        // A disconnect already counted this incident as a drop-out.
        if (rec.status === 'up') this.addDropOut(rec, now);
        rec.status = 'lost';
        lost.push({ edgeId: rec.edgeId, sessions: [...rec.sessions] });
        rec.sessions = new Set();
      }
    }
    for (const rec of this.edges.values()) rec.view = undefined;
    this.listCache = undefined;
    return lost;
  }

  /** The edge's current view, or undefined for an unknown id. */
  get(edgeId: string): EdgeView | undefined {
    const rec = this.edges.get(edgeId);
    return rec ? this.viewOf(rec) : undefined;
  }

  /** All known edges, lost ones included (placement filters them). Cached until the next change. */
  list(): readonly EdgeView[] {
    this.listCache ??= [...this.edges.values()].map((r) => this.viewOf(r));
    return this.listCache;
  }

  /**
   * The edge said the session ended: its slot is free now, not at the next
   * heartbeat (which would refuse placements on a full-looking edge meanwhile).
   */
  sessionEnded(edgeId: string, sessionId: string): void {
    const rec = this.edges.get(edgeId);
    if (!rec || !rec.sessions.delete(sessionId)) return;
    rec.capacity = { ...rec.capacity, sessionsInUse: Math.max(0, rec.capacity.sessionsInUse - 1) };
    this.touch(rec, this.now());
  }

  /** Whether the edge's last report lists this session (used to retire confirmed reservations). */
  hostsSession(edgeId: string, sessionId: string): boolean {
    return this.edges.get(edgeId)?.sessions.has(sessionId) ?? false;
  }

  private addDropOut(rec: EdgeRecord, now: number): void {
    rec.dropOutsAtMs = rec.dropOutsAtMs.filter((t) => now - t <= this.dropOutWindowMs);
    rec.dropOutsAtMs.push(now);
    // Only "more than max" matters; a short tail keeps memory flat for an edge that flaps all day.
    if (rec.dropOutsAtMs.length > this.maxDropOutsForSla + 8) rec.dropOutsAtMs.shift();
  }

  private touch(rec: EdgeRecord, now: number): EdgeView {
    rec.view = this.makeView(rec, now);
    this.listCache = undefined;
    return rec.view;
  }

  private viewOf(rec: EdgeRecord): EdgeView {
    rec.view ??= this.makeView(rec, this.now());
    return rec.view;
  }

  private makeView(rec: EdgeRecord, now: number): EdgeView {
    const dropOuts = rec.dropOutsAtMs.filter((t) => now - t <= this.dropOutWindowMs).length;
    const silentMs = Math.max(0, now - rec.lastHeartbeatAtMs);
    return Object.freeze({
      edgeId: rec.edgeId,
      region: rec.region,
      location: rec.location,
      publicUrl: rec.publicUrl,
      tier: rec.tier,
      capacity: rec.capacity,
      sessions: [...rec.sessions],
      nvencPolicy: rec.nvencPolicy,
      status: rec.status,
      draining: rec.draining,
      connectionSeq: rec.connectionSeq,
      firstRegisteredAtMs: rec.firstRegisteredAtMs,
      registeredAtMs: rec.registeredAtMs,
      lastHeartbeatAtMs: rec.lastHeartbeatAtMs,
      uptimeMs: rec.status === 'up' ? Math.max(0, now - rec.registeredAtMs) : 0,
      missedHeartbeats: Math.floor(silentMs / this.heartbeatMs),
      dropOuts,
      slaEligible: rec.tier === 'enterprise' && dropOuts <= this.maxDropOutsForSla,
      freeSlots: rec.status === 'up' ? freeSlots(rec.capacity, rec.nvencPolicy) : 0,
    });
  }
}

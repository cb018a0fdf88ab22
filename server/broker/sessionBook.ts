/**
 * The broker's book of sessions: each record (sessions/fleet/sessionMachine)
 * kept by id in a SessionStore, moved only by the machine's transitions, and
 * what follows a transition: usage records, the phone service hearing of its
 * instances, a log line. In memory by default; several brokers would share a
 * store (see docs/operations.md).
 */
import type { Logger } from 'pino';
import type { EdgeTier, PhonePrepare } from '../../protocol/index.ts';
import {
  adoptedSession,
  edgeBack,
  edgeLost,
  endedByEdge,
  graceOver,
  isLive,
  placedOn,
  rejoined,
  reported,
  type FleetSession,
  type InstanceDataMove,
  type PhoneSession,
  type Step,
} from '../../sessions/index.ts';
import type { DemoLinkService } from './demoLinkService.ts';

/** Where the records live, by session id. */
export interface SessionStore {
  get(sessionId: string): FleetSession | undefined;
  put(s: FleetSession): void;
  delete(sessionId: string): void;
  values(): Iterable<FleetSession>;
}

export class InMemorySessionStore implements SessionStore {
  private readonly byId = new Map<string, FleetSession>();
  get = (sessionId: string) => this.byId.get(sessionId);
  put = (s: FleetSession) => void this.byId.set(s.sessionId, s);
  delete = (sessionId: string) => void this.byId.delete(sessionId);
  values = () => this.byId.values();
}

/** What the phone service hears about its instances' sessions. */
export type PhoneSessionEvents = {
  placed(s: PhoneSession, edgeId: string, dataMove: InstanceDataMove | undefined): void;
  ended(s: PhoneSession, reason: string): void;
};

export type SessionBookOptions = {
  /** Where a demo's usage is recorded. */
  usage: Pick<DemoLinkService, 'usageStarted' | 'usageEnded'>;
  /** Read at each event: the phone service registers after the book is made. */
  phoneEvents: () => PhoneSessionEvents | undefined;
  logger: Logger;
  now: () => number;
  store?: SessionStore;
};

export class SessionBook {
  private readonly store: SessionStore;

  constructor(private readonly o: SessionBookOptions) {
    this.store = o.store ?? new InMemorySessionStore();
  }

  get(sessionId: string): FleetSession | undefined {
    return this.store.get(sessionId);
  }

  /** A session whose placement starts: visible at once, so a second open of the same phone is answered 'busy'. */
  open(s: FleetSession): void {
    this.store.put(s);
  }

  /** A session that could not be placed anywhere. */
  forget(sessionId: string): void {
    this.store.delete(sessionId);
  }

  /** The live (placing, running or interrupted) session of a phone instance, if any. */
  liveOfInstance(instanceId: string): PhoneSession | undefined {
    for (const s of this.store.values()) if (s.kind === 'phone' && s.phone.instanceId === instanceId && isLive(s)) return s;
    return undefined;
  }

  /** An edge prepared the session. Undefined when it ended meanwhile (the caller drops it at that edge). */
  placedOn(sessionId: string, edge: { edgeId: string; region: string; tier: EdgeTier }, dataMove: InstanceDataMove | undefined): FleetSession | undefined {
    const s = this.apply(sessionId, (s) => placedOn(s, edge.edgeId));
    if (!s) return undefined;
    // A resume opens a new record on the new edge (the usage store closes the old one as edge-lost).
    if (s.kind === 'demo' && s.publisherId) this.recordUsage(s.sessionId, this.o.usage.usageStarted(s, edge, this.o.now()));
    if (s.kind === 'phone') this.o.phoneEvents()?.placed(s, edge.edgeId, dataMove);
    return s;
  }

  /** The page reconnects to the edge that still runs the session. */
  rejoined(sessionId: string, edgeId: string): FleetSession | undefined {
    return this.apply(sessionId, (s) => rejoined(s, edgeId));
  }

  /** The session's edge is lost to it (gone, or it dropped the session): it waits to be resumed elsewhere. */
  interrupt(sessionId: string): void {
    this.apply(sessionId, (s) => edgeLost(s, this.o.now()));
  }

  /** An edge's link closed or its heartbeats stopped: its running sessions wait to be resumed. */
  interruptOn(edgeId: string): void {
    for (const s of [...this.store.values()]) if (s.edgeId === edgeId && s.status === 'running') this.interrupt(s.sessionId);
  }

  /** An edge registering reports a session it runs: a known one runs again; one this broker never placed (it restarted) is adopted. */
  adopt(edgeId: string, sessionId: string, phone: PhonePrepare | undefined): void {
    if (this.update(sessionId, (s) => edgeBack(s, edgeId))) return;
    const adopted = adoptedSession(sessionId, edgeId, phone);
    this.store.put(adopted);
    if (adopted.kind === 'phone') this.o.phoneEvents()?.placed(adopted, edgeId, undefined);
  }

  /** A heartbeat: which of the edge's sessions have a player connected, and the seconds each has streamed there. */
  heartbeat(edgeId: string, sessions: readonly string[], playersConnected: ReadonlySet<string>, streamedSeconds: Readonly<Record<string, number>>): void {
    for (const id of sessions) this.update(id, (s) => reported(s, edgeId, { playerConnected: playersConnected.has(id) }));
    for (const [id, seconds] of Object.entries(streamedSeconds)) this.update(id, (s) => reported(s, edgeId, { streamedSeconds: seconds }));
  }

  /** The edge says the session ended there. */
  endedByEdge(edgeId: string, sessionId: string, reason: string, secondsStreamed: number): void {
    const s = this.store.get(sessionId);
    if (!isLive(s)) return; // ended already, or never known here
    const next = this.apply(sessionId, (s) => endedByEdge(s, edgeId, reason, secondsStreamed));
    if (next?.status === 'ended') this.ended(next);
  }

  /** Ends the sessions whose grace ran out and forgets the ended ones. */
  tick(): void {
    const now = this.o.now();
    for (const s of [...this.store.values()]) {
      const next = graceOver(s, now);
      if (next !== s) this.ended(next);
      if (next.status === 'ended') this.store.delete(s.sessionId);
    }
  }

  private ended(s: FleetSession): void {
    this.store.put(s);
    const reason = s.endReason ?? 'ended';
    // The usage record covers the current edge only; earlier edges' records were closed at the move.
    if (s.kind === 'demo' && s.publisherId) this.recordUsage(s.sessionId, this.o.usage.usageEnded(s.sessionId, reason, s.streamedHereSeconds, this.o.now()));
    if (s.kind === 'phone') this.o.phoneEvents()?.ended(s, reason);
    this.o.logger.info({ sessionId: s.sessionId, reason, edgeId: s.edgeId }, 'session ended');
  }

  /** Usage is written as it happens; a store that fails (Redis down) is logged, the session goes on. */
  private recordUsage(sessionId: string, written: Promise<void>): void {
    written.catch((err: unknown) => this.o.logger.error({ sessionId, err: (err as Error).message }, 'usage record not written'));
  }

  /** Replaces the stored record by `f` of it (a transition that cannot be refused); false when there is none. */
  private update(sessionId: string, f: (s: FleetSession) => FleetSession): boolean {
    const s = this.store.get(sessionId);
    if (s) this.store.put(f(s));
    return s !== undefined;
  }

  /** Applies a transition to the stored record; a refused one is logged and changes nothing. */
  private apply(sessionId: string, step: (s: FleetSession) => Step): FleetSession | undefined {
    const s = this.store.get(sessionId);
    if (!s) return undefined;
    const next = step(s);
    if (!next.ok) {
      this.o.logger.warn({ sessionId, err: next.error }, 'session event refused');
      return undefined;
    }
    this.store.put(next.session);
    return next.session;
  }
}

/**
 * Usage records, one per session and edge: a session resumed on another edge
 * after losing one gets a second record, so each record's edge, region and
 * seconds are true. Bounded: the store keeps the most recent `maxRecords`.
 */
import type { EdgeTier, UsageRecord } from '../../protocol/index.ts';

/** A usage record plus the publisher it is billed to (not on the wire record, needed to list by publisher). */
export type UsageEntry = UsageRecord & { publisherId: string };

export type UsageStart = {
  sessionId: string;
  publisherId: string;
  linkId: string;
  titleId: string;
  edgeId: string;
  region: string;
  tier: EdgeTier;
};

/**
 * Where usage lives: in memory (below, for tests), a journal on the broker's
 * data dir, or Redis shared by brokers (server/broker/stores). Written when
 * it happens: a record opens at start and closes at end.
 */
export interface UsageStore {
  /** Opens a record for the session on its edge; a session's previous open record is closed first as 'edge-lost'. */
  start(s: UsageStart, now: number): Promise<UsageEntry>;
  /** Closes the session's open record; undefined when it has none (already ended, never started, evicted). */
  end(sessionId: string, reason: string, secondsStreamed: number, now: number): Promise<UsageEntry | undefined>;
  listByPublisher(publisherId: string): Promise<UsageEntry[]>;
  listByLink(linkId: string): Promise<UsageEntry[]>;
  listBySession(sessionId: string): Promise<UsageEntry[]>;
}

/** A new open record. */
export const openUsage = (s: UsageStart, now: number): UsageEntry => ({
  sessionId: s.sessionId,
  publisherId: s.publisherId,
  linkId: s.linkId,
  titleId: s.titleId,
  edgeId: s.edgeId,
  region: s.region,
  tier: s.tier,
  startedAt: new Date(now).toISOString(),
  secondsStreamed: 0,
});

/** The record closed at `now`; unknown seconds (NaN): the wall time since start is the best upper bound we have. */
export function closeUsage(entry: UsageEntry, reason: string, secondsStreamed: number, now: number): UsageEntry {
  return {
    ...entry,
    endedAt: new Date(now).toISOString(),
    endReason: reason.slice(0, 64),
    secondsStreamed: cleanSeconds(Number.isFinite(secondsStreamed) ? secondsStreamed : (now - Date.parse(entry.startedAt)) / 1000),
  };
}

// A day is the most a demo plays; anything beyond is a clock or edge bug, not usage to bill.
const MAX_SECONDS = 86_400;
const cleanSeconds = (v: number): number => (Number.isFinite(v) ? Math.min(MAX_SECONDS, Math.max(0, Math.round(v))) : 0);

/** In memory: a ring of the last `maxRecords` records (default 100,000), oldest dropped first. */
export class InMemoryUsageStore implements UsageStore {
  private readonly ring: (UsageEntry | undefined)[];
  private next = 0;
  private readonly open = new Map<string, UsageEntry>();

  constructor(o: { maxRecords?: number } = {}) {
    this.ring = new Array<UsageEntry | undefined>(Math.max(1, o.maxRecords ?? 100_000));
  }

  start(s: UsageStart, now: number): Promise<UsageEntry> {
    // The page resumed elsewhere before the broker heard of the loss: the old edge's part ends here.
    if (this.open.has(s.sessionId)) this.closeOpen(s.sessionId, 'edge-lost', Number.NaN, now);
    const entry = openUsage(s, now);
    this.add(entry);
    this.recorded(entry);
    return Promise.resolve({ ...entry });
  }

  end(sessionId: string, reason: string, secondsStreamed: number, now: number): Promise<UsageEntry | undefined> {
    return Promise.resolve(this.closeOpen(sessionId, reason, secondsStreamed, now));
  }

  listByPublisher(publisherId: string): Promise<UsageEntry[]> {
    return Promise.resolve(this.select((e) => e.publisherId === publisherId));
  }

  listByLink(linkId: string): Promise<UsageEntry[]> {
    return Promise.resolve(this.select((e) => e.linkId === linkId));
  }

  listBySession(sessionId: string): Promise<UsageEntry[]> {
    return Promise.resolve(this.select((e) => e.sessionId === sessionId));
  }

  /** Puts a record in the ring, newest; an open one becomes its session's open record (also used to reload saved ones in order). */
  protected add(entry: UsageEntry): void {
    const evicted = this.ring[this.next];
    if (evicted && this.open.get(evicted.sessionId) === evicted) this.open.delete(evicted.sessionId);
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.ring.length;
    if (entry.endedAt === undefined) this.open.set(entry.sessionId, entry);
  }

  /** Called with each record opened or closed (the file store journals it). */
  protected recorded(_entry: UsageEntry): void {}

  private closeOpen(sessionId: string, reason: string, secondsStreamed: number, now: number): UsageEntry | undefined {
    const entry = this.open.get(sessionId);
    if (!entry) return undefined;
    this.open.delete(sessionId);
    Object.assign(entry, closeUsage(entry, reason, secondsStreamed, now));
    this.recorded(entry);
    return { ...entry };
  }

  // A scan of the ring: listing is a rare publisher request, recording is the hot path and stays O(1).
  private select(pred: (e: UsageEntry) => boolean): UsageEntry[] {
    const out: UsageEntry[] = [];
    const n = this.ring.length;
    for (let i = 0; i < n; i++) {
      const e = this.ring[(this.next + i) % n];
      if (e && pred(e)) out.push({ ...e });
    }
    return out;
  }
}

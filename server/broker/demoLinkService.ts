/**
 * Demo links and their usage, as the broker keeps them: the publisher API's
 * operations, plays admitted (and refunded when no edge could take the
 * session), and usage per session. A publisher sees only its own links.
 */
import type { CatalogTitle, CreateDemoLinkRequest, DemoLinkView, EdgeTier, UsageRecord } from '../../protocol/index.ts';
import {
  InMemoryDemoLinkStore,
  InMemoryUsageStore,
  admit,
  createDemoLink,
  demoLinkSpec,
  findTitle,
  refundPlay,
  revokeLink,
  toDemoLinkView,
  type DemoLinkRecord,
  type DemoLinkStore,
  type UsageEntry,
  type UsageStore,
} from '../../sessions/index.ts';
import type { Result } from './httpErrors.ts';

/** The publisher that owns links configured on the server itself (the built-in demo link). */
export const BUILTIN_PUBLISHER = 'builtin';

export class DemoLinkService {
  private readonly store: DemoLinkStore = new InMemoryDemoLinkStore();
  private readonly usage: UsageStore = new InMemoryUsageStore();

  constructor(private readonly o: { catalog: readonly CatalogTitle[]; builtinLink: { id: string; titleId: string; playSeconds: number }; now: () => number }) {
    const { id, titleId, playSeconds } = o.builtinLink;
    this.store.put(Object.freeze({ ...createDemoLink(BUILTIN_PUBLISHER, { titleId, playSeconds }, o.now()), id }));
  }

  /** Whether the link can be played now, without counting a play. */
  check(linkId: string): Result<{ titleId: string }> {
    const link = this.store.get(linkId);
    if (!link) return { ok: false, code: 'unknown-link', message: 'This demo link does not exist.' };
    const r = admit(link, this.o.now());
    return r.ok ? { ok: true, value: { titleId: link.titleId } } : { ok: false, code: r.code, message: r.error };
  }

  /** Counts one play; refused when revoked, expired or used up. */
  admitPlay(linkId: string): Result<DemoLinkRecord> {
    const link = this.store.get(linkId);
    if (!link) return { ok: false, code: 'unknown-link', message: 'This demo link does not exist.' };
    const r = admit(link, this.o.now());
    if (!r.ok) return { ok: false, code: r.code, message: r.error };
    this.store.put(r.link);
    return { ok: true, value: r.link };
  }

  /** A play that never started (no edge could take it) is given back. */
  refundPlay(linkId: string): void {
    const link = this.store.get(linkId);
    if (link) this.store.put(refundPlay(link));
  }

  create(publisherId: string, req: CreateDemoLinkRequest, baseUrl: string): Result<DemoLinkView> {
    const spec = demoLinkSpec(req, { now: this.o.now(), titleExists: (id) => findTitle(this.o.catalog, id) !== undefined });
    if (!spec.ok) return { ok: false, code: spec.code, message: spec.error };
    const link = createDemoLink(publisherId, spec.value, this.o.now());
    this.store.put(link);
    return { ok: true, value: toDemoLinkView(link, baseUrl) };
  }

  list(publisherId: string, baseUrl: string): DemoLinkView[] {
    return this.store.listByPublisher(publisherId).map((l) => toDemoLinkView(l, baseUrl));
  }

  private own(publisherId: string, linkId: string): Result<DemoLinkRecord> {
    const link = this.store.get(linkId);
    // Another publisher's link answers exactly like a missing one: ids are not an oracle.
    if (!link || link.publisherId !== publisherId) return { ok: false, code: 'unknown-link', message: 'No such link among yours.' };
    return { ok: true, value: link };
  }

  get(publisherId: string, linkId: string, baseUrl: string): Result<DemoLinkView> {
    const r = this.own(publisherId, linkId);
    return r.ok ? { ok: true, value: toDemoLinkView(r.value, baseUrl) } : r;
  }

  revoke(publisherId: string, linkId: string, baseUrl: string): Result<DemoLinkView> {
    const r = this.own(publisherId, linkId);
    if (!r.ok) return r;
    const revoked = revokeLink(r.value);
    this.store.put(revoked);
    return { ok: true, value: toDemoLinkView(revoked, baseUrl) };
  }

  /** Opens a usage record for the session on an edge (a resume opens a new one). */
  usageStarted(s: { sessionId: string; publisherId: string; linkId: string; titleId: string }, edge: { edgeId: string; region: string; tier: EdgeTier }, now: number): void {
    this.usage.start({ sessionId: s.sessionId, publisherId: s.publisherId, linkId: s.linkId, titleId: s.titleId, edgeId: edge.edgeId, region: edge.region, tier: edge.tier }, now);
  }

  usageEnded(sessionId: string, reason: string, secondsStreamed: number, now: number): void {
    this.usage.end(sessionId, reason, secondsStreamed, now);
  }

  usageByLink(publisherId: string, linkId: string): Result<UsageRecord[]> {
    const r = this.own(publisherId, linkId);
    return r.ok ? { ok: true, value: this.usage.listByLink(linkId).map(publicRecord) } : r;
  }

  usageByPublisher(publisherId: string): UsageRecord[] {
    return this.usage.listByPublisher(publisherId).map(publicRecord);
  }
}

const publicRecord = ({ publisherId: _p, ...r }: UsageEntry): UsageRecord => r;

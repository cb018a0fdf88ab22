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

export type DemoLinkServiceOptions = {
  catalog: readonly CatalogTitle[];
  builtinLink: { id: string; titleId: string; playSeconds: number };
  now: () => number;
  /** Where links and usage live (server/broker/stores); in memory when not given (tests). */
  store?: DemoLinkStore;
  usage?: UsageStore;
};

export class DemoLinkService {
  private readonly store: DemoLinkStore;
  private readonly usage: UsageStore;
  /** The built-in link stored (each start rewrites it from the configuration). */
  private readonly ready: Promise<void>;

  constructor(private readonly o: DemoLinkServiceOptions) {
    this.store = o.store ?? new InMemoryDemoLinkStore();
    this.usage = o.usage ?? new InMemoryUsageStore();
    const { id, titleId, playSeconds } = o.builtinLink;
    this.ready = this.store.put(Object.freeze({ ...createDemoLink(BUILTIN_PUBLISHER, { titleId, playSeconds }, o.now()), id }));
  }

  /** Whether the link can be played now, without counting a play. */
  async check(linkId: string): Promise<Result<{ titleId: string }>> {
    await this.ready;
    const link = await this.store.get(linkId);
    if (!link) return { ok: false, code: 'unknown-link', message: 'This demo link does not exist.' };
    const r = admit(link, this.o.now());
    return r.ok ? { ok: true, value: { titleId: link.titleId } } : { ok: false, code: r.code, message: r.error };
  }

  /** Counts one play (atomically in the store); refused when revoked, expired or used up. */
  async admitPlay(linkId: string): Promise<Result<DemoLinkRecord>> {
    await this.ready;
    const r = await this.store.admitPlay(linkId, this.o.now());
    if (!r.ok) return { ok: false, code: r.code, message: r.code === 'unknown-link' ? 'This demo link does not exist.' : r.error };
    return { ok: true, value: r.link };
  }

  /** A play that never started (no edge could take it) is given back. */
  async refundPlay(linkId: string): Promise<void> {
    await this.store.refundPlay(linkId);
  }

  async create(publisherId: string, req: CreateDemoLinkRequest, baseUrl: string): Promise<Result<DemoLinkView>> {
    const spec = demoLinkSpec(req, { now: this.o.now(), titleExists: (id) => findTitle(this.o.catalog, id) !== undefined });
    if (!spec.ok) return { ok: false, code: spec.code, message: spec.error };
    const link = createDemoLink(publisherId, spec.value, this.o.now());
    await this.store.put(link);
    return { ok: true, value: toDemoLinkView(link, baseUrl) };
  }

  async list(publisherId: string, baseUrl: string): Promise<DemoLinkView[]> {
    return (await this.store.listByPublisher(publisherId)).map((l) => toDemoLinkView(l, baseUrl));
  }

  private async own(publisherId: string, linkId: string): Promise<Result<DemoLinkRecord>> {
    await this.ready;
    const link = await this.store.get(linkId);
    // Another publisher's link answers exactly like a missing one: ids are not an oracle.
    if (!link || link.publisherId !== publisherId) return { ok: false, code: 'unknown-link', message: 'No such link among yours.' };
    return { ok: true, value: link };
  }

  async get(publisherId: string, linkId: string, baseUrl: string): Promise<Result<DemoLinkView>> {
    const r = await this.own(publisherId, linkId);
    return r.ok ? { ok: true, value: toDemoLinkView(r.value, baseUrl) } : r;
  }

  async revoke(publisherId: string, linkId: string, baseUrl: string): Promise<Result<DemoLinkView>> {
    const r = await this.own(publisherId, linkId);
    if (!r.ok) return r;
    const revoked = (await this.store.revoke(linkId)) ?? revokeLink(r.value);
    return { ok: true, value: toDemoLinkView(revoked, baseUrl) };
  }

  /** Opens a usage record for the session on an edge (a resume opens a new one). */
  async usageStarted(
    s: { sessionId: string; publisherId: string; linkId: string; titleId: string },
    edge: { edgeId: string; region: string; tier: EdgeTier },
    now: number,
  ): Promise<void> {
    await this.usage.start(
      { sessionId: s.sessionId, publisherId: s.publisherId, linkId: s.linkId, titleId: s.titleId, edgeId: edge.edgeId, region: edge.region, tier: edge.tier },
      now,
    );
  }

  async usageEnded(sessionId: string, reason: string, secondsStreamed: number, now: number): Promise<void> {
    await this.usage.end(sessionId, reason, secondsStreamed, now);
  }

  async usageByLink(publisherId: string, linkId: string): Promise<Result<UsageRecord[]>> {
    const r = await this.own(publisherId, linkId);
    return r.ok ? { ok: true, value: (await this.usage.listByLink(linkId)).map(publicRecord) } : r;
  }

  async usageByPublisher(publisherId: string): Promise<UsageRecord[]> {
    return (await this.usage.listByPublisher(publisherId)).map(publicRecord);
  }
}

const publicRecord = ({ publisherId: _p, ...r }: UsageEntry): UsageRecord => r;

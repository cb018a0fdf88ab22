/**
 * Demo links that publishers create: a title, a play duration, optional
 * expiry, play budget and end-screen URL. Request policy, admission of a play,
 * a store interface with an in-memory default, and publisher API keys.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode, isSlug } from '../../protocol/index.ts';
import type { CreateDemoLinkRequest, DemoLinkView } from '../../protocol/index.ts';
import { DEFAULT_PLAY_SECONDS } from '../catalog.ts';
import { FleetCode, refuse, show, type Refusal } from './errors.ts';

/** A publisher's demo link as the broker stores it. */
export type DemoLinkRecord = Readonly<{
  id: string;
  publisherId: string;
  titleId: string;
  playSeconds: number;
  expiresAtMs?: number;
  maxPlays?: number;
  endScreenUrl?: string;
  revoked: boolean;
  plays: number;
  createdAtMs: number;
}>;

/** A CreateDemoLinkRequest that passed the fleet's policy, with defaults applied. */
export type DemoLinkSpec = { titleId: string; playSeconds: number; expiresAtMs?: number; maxPlays?: number; endScreenUrl?: string };

export type AdmitCode = 'link-revoked' | 'link-expired' | 'link-used-up';

/**
 * The fleet's rules for a create request whose shape was checked on the wire
 * (protocol/fleetMessages.ts): the title must be in the catalog and the
 * expiry still ahead.
 */
export function demoLinkSpec(
  req: CreateDemoLinkRequest,
  o: { now: number; titleExists?: (titleId: string) => boolean },
): { ok: true; value: DemoLinkSpec } | Refusal<'bad-request' | 'unknown-title'> {
  if (o.titleExists && !o.titleExists(req.titleId)) return refuse(FleetCode.unknownTitle, `no title ${show(req.titleId)} in the catalog`);
  const spec: DemoLinkSpec = { titleId: req.titleId, playSeconds: req.playSeconds ?? DEFAULT_PLAY_SECONDS };
  if (req.expiresAt !== undefined) {
    const t = Date.parse(req.expiresAt);
    if (t <= o.now) return refuse(FleetCode.badRequest, `expiresAt ${req.expiresAt} is already past`);
    spec.expiresAtMs = t;
  }
  if (req.maxPlays !== undefined) spec.maxPlays = req.maxPlays;
  if (req.endScreenUrl !== undefined) spec.endScreenUrl = req.endScreenUrl;
  return { ok: true, value: spec };
}

/** An unguessable URL-safe id: 128 random bits as 22 base64url characters. */
export const newLinkId = (): string => randomBytes(16).toString('base64url');

/** A new link for a validated spec. */
export function createDemoLink(publisherId: string, spec: DemoLinkSpec, now: number): DemoLinkRecord {
  return Object.freeze({ ...spec, id: newLinkId(), publisherId, revoked: false, plays: 0, createdAtMs: now });
}

/**
 * Admits one play: refused if revoked, expired or used up (checked in that
 * order), else the link with the play counted, for the caller to store.
 * A resumed session (edge lost) is not a new play and must not come here.
 */
export function admit(link: DemoLinkRecord, now: number): { ok: true; link: DemoLinkRecord } | Refusal<AdmitCode> {
  if (link.revoked) return refuse(FleetCode.linkRevoked, 'This demo link was revoked by its publisher.');
  if (link.expiresAtMs !== undefined && now >= link.expiresAtMs) return refuse(FleetCode.linkExpired, 'This demo link has expired.');
  if (link.maxPlays !== undefined && link.plays >= link.maxPlays) {
    return refuse(FleetCode.linkUsedUp, `This demo link has been played its ${link.maxPlays} time(s).`);
  }
  return { ok: true, link: Object.freeze({ ...link, plays: link.plays + 1 }) };
}

/** Gives back a play that was admitted but never started (no edge had capacity): the player got nothing. */
export const refundPlay = (link: DemoLinkRecord): DemoLinkRecord => Object.freeze({ ...link, plays: Math.max(0, link.plays - 1) });

/** The link revoked: every later admission is refused; running sessions finish. */
export const revokeLink = (link: DemoLinkRecord): DemoLinkRecord => Object.freeze({ ...link, revoked: true });

/** The wire view of a link; `baseUrl` is the broker's public origin. */
export function toDemoLinkView(link: DemoLinkRecord, baseUrl: string): DemoLinkView {
  const v: DemoLinkView = {
    id: link.id,
    url: `${baseUrl.replace(/\/+$/, '')}/play/${link.id}`,
    titleId: link.titleId,
    playSeconds: link.playSeconds,
    plays: link.plays,
    revoked: link.revoked,
    createdAt: new Date(link.createdAtMs).toISOString(),
  };
  if (link.expiresAtMs !== undefined) v.expiresAt = new Date(link.expiresAtMs).toISOString();
  if (link.maxPlays !== undefined) v.maxPlays = link.maxPlays;
  if (link.endScreenUrl !== undefined) v.endScreenUrl = link.endScreenUrl;
  return v;
}

export type AdmitOutcome = { ok: true; link: DemoLinkRecord } | Refusal<AdmitCode | 'unknown-link'>;

/**
 * Where links live: in memory (below, for tests), a file on the broker's
 * data dir, or Redis shared by brokers (server/broker/stores). A play is
 * counted, refunded or a link revoked by the store itself, in one atomic
 * step, so several brokers never count past a link's maxPlays.
 */
export interface DemoLinkStore {
  get(id: string): Promise<DemoLinkRecord | undefined>;
  /** Stores the link whole (a new link, or the built-in one at start). */
  put(link: DemoLinkRecord): Promise<void>;
  listByPublisher(publisherId: string): Promise<DemoLinkRecord[]>;
  /** Looks up the link and admits one play (admit() rules), counting it. */
  admitPlay(id: string, now: number): Promise<AdmitOutcome>;
  /** Gives back a play admitted but never started; nothing if the link is gone. */
  refundPlay(id: string): Promise<void>;
  /** Marks the link revoked; the link after, or undefined if there is none. */
  revoke(id: string): Promise<DemoLinkRecord | undefined>;
}

export const unknownLink = (): Refusal<'unknown-link'> => refuse(ErrorCode.unknownLink, 'There is no such demo link.');

/**
 * Links in a Map. Every method's work is synchronous before it resolves, so
 * within one process an admission never interleaves with another; the file
 * store extends it.
 */
export class InMemoryDemoLinkStore implements DemoLinkStore {
  protected readonly links = new Map<string, DemoLinkRecord>();
  private readonly byPublisher = new Map<string, Set<string>>();

  get(id: string): Promise<DemoLinkRecord | undefined> {
    return Promise.resolve(this.links.get(id));
  }

  put(link: DemoLinkRecord): Promise<void> {
    this.set(link);
    return Promise.resolve();
  }

  /** The publisher's links, newest first. */
  listByPublisher(publisherId: string): Promise<DemoLinkRecord[]> {
    const ids = [...(this.byPublisher.get(publisherId) ?? [])];
    return Promise.resolve(ids.flatMap((id) => this.links.get(id) ?? []).sort((a, b) => b.createdAtMs - a.createdAtMs));
  }

  admitPlay(id: string, now: number): Promise<AdmitOutcome> {
    const link = isSlug(id) ? this.links.get(id) : undefined;
    if (!link) return Promise.resolve(unknownLink());
    const r = admit(link, now);
    if (r.ok) this.set(r.link);
    return Promise.resolve(r);
  }

  refundPlay(id: string): Promise<void> {
    const link = this.links.get(id);
    if (link) this.set(refundPlay(link));
    return Promise.resolve();
  }

  revoke(id: string): Promise<DemoLinkRecord | undefined> {
    const link = this.links.get(id);
    if (!link) return Promise.resolve(undefined);
    const revoked = revokeLink(link);
    this.set(revoked);
    return Promise.resolve(revoked);
  }

  /** The one place a record changes (the file store journals it). */
  protected set(link: DemoLinkRecord): void {
    const old = this.links.get(link.id);
    if (old && old.publisherId !== link.publisherId) this.byPublisher.get(old.publisherId)?.delete(link.id);
    this.links.set(link.id, link);
    let ids = this.byPublisher.get(link.publisherId);
    if (!ids) this.byPublisher.set(link.publisherId, (ids = new Set()));
    ids.add(link.id);
  }
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * API keys to publisher ids. Keys are kept only as SHA-256 hashes and
 * compared with timingSafeEqual against every entry, so neither the lookup
 * nor the comparison time depends on how much of a key was right.
 */
export class PublisherDirectory {
  private readonly entries: { keyHash: Buffer; publisherId: string }[];

  /** Throws on keys shorter than 16 characters or duplicate keys: a configuration error, not a request error. */
  constructor(keys: readonly { apiKey: string; publisherId: string }[]) {
    this.entries = keys.map(({ apiKey, publisherId }) => {
      if (apiKey.length < 16) throw new Error(`publisher ${publisherId}: API key shorter than 16 characters`);
      return { keyHash: sha256(apiKey), publisherId };
    });
    const hashes = new Set(this.entries.map((e) => e.keyHash.toString('hex')));
    if (hashes.size !== this.entries.length) throw new Error('two publishers share an API key');
  }

  /** The publisher whose key this is, or undefined. Accepts anything (a missing header, garbage). */
  authenticate(apiKey: unknown): string | undefined {
    if (typeof apiKey !== 'string' || apiKey.length === 0 || apiKey.length > 1024) return undefined;
    const h = sha256(apiKey);
    let found: string | undefined;
    for (const e of this.entries) if (timingSafeEqual(h, e.keyHash) && found === undefined) found = e.publisherId;
    return found;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

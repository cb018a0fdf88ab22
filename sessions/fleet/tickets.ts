/**
 * Signed, short-lived tickets that let a page into one session on one edge,
 * and resume tokens that let it come back to its session after losing the
 * edge. Format: base64url(JSON claims) '.' base64url(HMAC-SHA256). The broker
 * gives each edge its ticket key at registration, so an edge verifies
 * locally; a ticket for another edge then fails as forged (other key) or,
 * with a shared key, as wrong-edge. Tickets carry a random nonce that the
 * edge's ReplayGuard accepts once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { refuse, type Refusal } from './errors.ts';

export type TicketCode = 'ticket-malformed' | 'ticket-forged' | 'ticket-expired' | 'ticket-wrong-edge' | 'ticket-wrong-session' | 'ticket-replayed';
export type ResumeTokenCode = 'token-malformed' | 'token-forged' | 'token-expired' | 'token-wrong-session';
export type TicketRole = 'player' | 'viewer';

export type TicketClaims = Readonly<{ sessionId: string; edgeId: string; expiresAtMs: number; nonce: string }>;
export type ResumeClaims = Readonly<{ sessionId: string; expiresAtMs: number }>;

type Payload = { v: 1; s: string; e: string; x: number; n: string };

// Each kind signs under its own label, so a resume token can never pass as a ticket or the reverse.
const TICKET = 'edgeplay-ticket-v1';
/** A spectator's ticket: signed apart, so it can never let its holder in as the player. */
const VIEWER_TICKET = 'edgeplay-viewer-ticket-v1';
const RESUME = 'edgeplay-resume-v1';
const SPECTATE = 'edgeplay-spectate-v1';
const SHAPE = /^[A-Za-z0-9_-]{1,1500}\.[A-Za-z0-9_-]{43}$/;

/** A fresh random key (256 bits, base64url) for signing tickets or resume tokens. */
export const newTicketKey = (): string => randomBytes(32).toString('base64url');

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length < 16) throw new Error('ticket key must be a string of at least 16 characters');
}

const sign = (key: string, label: string, body: string): string => createHmac('sha256', key).update(`${label}.${body}`).digest('base64url');

function issue(key: string, label: string, p: Payload): string {
  checkKey(key);
  const body = Buffer.from(JSON.stringify(p), 'utf8').toString('base64url');
  return `${body}.${sign(key, label, body)}`;
}

function open(key: string, label: string, token: unknown): Payload | 'malformed' | 'forged' {
  checkKey(key);
  if (typeof token !== 'string' || !SHAPE.test(token)) return 'malformed';
  const dot = token.indexOf('.');
  const body = token.slice(0, dot);
  // Compare the canonical strings, not decoded bytes: base64url's last character has spare bits,
  // so two spellings decode alike and a "tampered" signature could otherwise pass.
  const expected = Buffer.from(sign(key, label, body));
  if (!timingSafeEqual(expected, Buffer.from(token.slice(dot + 1)))) return 'forged';
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Payload> | null;
    if (p?.v !== 1 || typeof p.s !== 'string' || typeof p.e !== 'string' || typeof p.n !== 'string') return 'malformed';
    if (typeof p.x !== 'number' || !Number.isFinite(p.x)) return 'malformed';
    return p as Payload;
  } catch {
    return 'malformed'; // only reachable with a leaked key: we never sign bad JSON
  }
}

/**
 * The signing helpers for other token kinds (sessions/phone's subscriber tokens): each kind
 * must pass its own label, so no token of one kind ever verifies as another.
 */
export { issue as issueSignedPayload, open as openSignedPayload, checkTtl as checkSignedTtl, type Payload as SignedPayload };

function checkTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new Error(`ttlMs must be positive (got ${ttlMs})`);
}

/** A ticket for `sessionId` on `edgeId` (as its player unless `role` says viewer), valid for `ttlMs` from `now`. Throws on a short key or a bad TTL (caller bugs). */
export function issueTicket(key: string, o: { sessionId: string; edgeId: string; ttlMs: number; now: number; role?: TicketRole }): string {
  checkTtl(o.ttlMs);
  return issue(key, o.role === 'viewer' ? VIEWER_TICKET : TICKET, {
    v: 1,
    s: o.sessionId,
    e: o.edgeId,
    x: o.now + o.ttlMs,
    n: randomBytes(12).toString('base64url'),
  });
}

/** Checks a ticket presented to edge `edgeId` (and, if given, for `sessionId`); a valid one is spent in `seen`. */
export function verifyTicket(
  key: string,
  ticket: unknown,
  o: { edgeId: string; sessionId?: string; now: number; seen: ReplayGuard; role?: TicketRole },
): { ok: true; claims: TicketClaims } | Refusal<TicketCode> {
  const p = open(key, o.role === 'viewer' ? VIEWER_TICKET : TICKET, ticket);
  if (p === 'malformed') return refuse('ticket-malformed', 'The ticket is not one of ours.');
  if (p === 'forged') return refuse('ticket-forged', 'The ticket signature does not match.');
  if (o.now >= p.x) return refuse('ticket-expired', 'The ticket has expired; ask the broker again.');
  if (p.e !== o.edgeId) return refuse('ticket-wrong-edge', 'The ticket was issued for another edge.');
  if (o.sessionId !== undefined && p.s !== o.sessionId) return refuse('ticket-wrong-session', 'The ticket was issued for another session.');
  // Checked last: a refused ticket must not burn its nonce.
  if (!o.seen.remember(p.n, p.x, o.now)) return refuse('ticket-replayed', 'The ticket was already used.');
  return { ok: true, claims: Object.freeze({ sessionId: p.s, edgeId: p.e, expiresAtMs: p.x, nonce: p.n }) };
}

/** A token that lets the page resume `sessionId` elsewhere; reusable until it expires (a session may lose edges twice). */
export function issueResumeToken(key: string, o: { sessionId: string; ttlMs: number; now: number }): string {
  checkTtl(o.ttlMs);
  return issue(key, RESUME, { v: 1, s: o.sessionId, e: '', x: o.now + o.ttlMs, n: randomBytes(6).toString('base64url') });
}

/**
 * A spectator grant: what the player of `sessionId` shares so others may
 * watch. Reusable until it expires; each use gets the spectator a fresh
 * single-use viewer ticket from the broker. Signed with the broker's own key.
 */
export function issueSpectatorGrant(key: string, o: { sessionId: string; ttlMs: number; now: number }): string {
  checkTtl(o.ttlMs);
  return issue(key, SPECTATE, { v: 1, s: o.sessionId, e: '', x: o.now + o.ttlMs, n: randomBytes(6).toString('base64url') });
}

export function verifySpectatorGrant(
  key: string,
  grant: unknown,
  o: { sessionId: string; now: number },
): { ok: true; expiresAtMs: number } | Refusal<ResumeTokenCode> {
  const p = open(key, SPECTATE, grant);
  if (p === 'malformed') return refuse('token-malformed', 'The spectator link is not one of ours.');
  if (p === 'forged') return refuse('token-forged', 'The spectator link signature does not match.');
  if (o.now >= p.x) return refuse('token-expired', 'The spectator link has expired.');
  if (p.s !== o.sessionId) return refuse('token-wrong-session', 'The spectator link is for another session.');
  return { ok: true, expiresAtMs: p.x };
}

/** Checks a resume token (and, if given, that it is for `sessionId`). */
export function verifyResumeToken(
  key: string,
  token: unknown,
  o: { sessionId?: string; now: number },
): { ok: true; claims: ResumeClaims } | Refusal<ResumeTokenCode> {
  const p = open(key, RESUME, token);
  if (p === 'malformed') return refuse('token-malformed', 'The resume token is not one of ours.');
  if (p === 'forged') return refuse('token-forged', 'The resume token signature does not match.');
  if (o.now >= p.x) return refuse('token-expired', 'The resume token has expired.');
  if (o.sessionId !== undefined && p.s !== o.sessionId) return refuse('token-wrong-session', 'The resume token is for another session.');
  return { ok: true, claims: Object.freeze({ sessionId: p.s, expiresAtMs: p.x }) };
}

/**
 * Nonces of spent tickets, each kept until its ticket expires (after that the
 * expiry check refuses it anyway). Memory stays bounded: expired nonces are
 * swept as the set grows, and past `maxEntries` the oldest go first.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly maxEntries: number;
  private sweepAtSize: number;

  constructor(o: { maxEntries?: number } = {}) {
    this.maxEntries = Math.max(1, o.maxEntries ?? 100_000);
    this.sweepAtSize = Math.min(1024, this.maxEntries);
  }

  /** Remembers the nonce until `expiresAtMs`; false when it was already spent. */
  remember(nonce: string, expiresAtMs: number, now: number): boolean {
    const until = this.seen.get(nonce);
    if (until !== undefined && now < until) return false;
    this.seen.delete(nonce); // re-inserted below, so Map order stays insertion order
    this.seen.set(nonce, expiresAtMs);
    if (this.seen.size >= this.sweepAtSize) this.sweep(now);
    if (this.seen.size > this.maxEntries) {
      // Only with a flood of valid live tickets (a leaked key): forgetting the oldest keeps memory flat.
      const oldest = this.seen.keys().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
    return true;
  }

  /** Forgets expired nonces; runs by itself as the set doubles, so the cost per ticket stays constant. */
  sweep(now: number): void {
    for (const [n, until] of this.seen) if (now >= until) this.seen.delete(n);
    this.sweepAtSize = Math.max(1024, this.seen.size * 2);
  }

  get size(): number {
    return this.seen.size;
  }
}

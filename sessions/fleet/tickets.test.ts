import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  issueResumeToken,
  issueSpectatorGrant,
  issueTicket,
  newTicketKey,
  ReplayGuard,
  verifyResumeToken,
  verifySpectatorGrant,
  verifyTicket,
} from './tickets.ts';
import { sid } from './fixtures.ts';

const KEY = newTicketKey();
const NOW = 1_700_000_000_000;
const ticket = (over: { edgeId?: string; sessionId?: string; ttlMs?: number; key?: string } = {}) =>
  issueTicket(over.key ?? KEY, { sessionId: over.sessionId ?? sid(1), edgeId: over.edgeId ?? 'edge-a', ttlMs: over.ttlMs ?? 30_000, now: NOW });

/** Flips one character of the string at `i` to another base64url character. */
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

test('ticket verification table', () => {
  const t = ticket();
  const [body = '', sig = ''] = t.split('.');
  const forgedBody = Buffer.from(JSON.stringify({ v: 1, s: sid(1), e: 'edge-b', x: NOW + 30_000, n: 'x' })).toString('base64url');
  const rows: [string, unknown, { edgeId?: string; sessionId?: string; atMs?: number; key?: string }, string][] = [
    ['valid', t, {}, 'ok'],
    ['valid without a session check', t, { sessionId: undefined }, 'ok'],
    ['one ms before expiry', t, { atMs: NOW + 29_999 }, 'ok'],
    ['expired', t, { atMs: NOW + 30_000 }, 'ticket-expired'],
    ['for another edge (shared key)', t, { edgeId: 'edge-b' }, 'ticket-wrong-edge'],
    ['for another edge (per-edge keys)', ticket({ key: newTicketKey() }), {}, 'ticket-forged'],
    ['for another session', t, { sessionId: sid(2) }, 'ticket-wrong-session'],
    ['tampered payload', `${forgedBody}.${sig}`, {}, 'ticket-forged'],
    ['payload with one character changed', `${flip(body, 5)}.${sig}`, {}, 'ticket-forged'],
    ['signature first character changed', `${body}.${flip(sig, 0)}`, {}, 'ticket-forged'],
    ['signature last character changed', `${body}.${flip(sig, sig.length - 1)}`, {}, 'ticket-forged'],
    ['signature truncated', `${body}.${sig.slice(1)}`, {}, 'ticket-malformed'],
    ['no signature', body, {}, 'ticket-malformed'],
    ['empty', '', {}, 'ticket-malformed'],
    ['garbage', 'hello.world', {}, 'ticket-malformed'],
    ['not base64url', `${body}.${'!'.repeat(43)}`, {}, 'ticket-malformed'],
    ['two dots', `${body}.${sig}.${sig}`, {}, 'ticket-malformed'],
    ['huge', `${'A'.repeat(100_000)}.${sig}`, {}, 'ticket-malformed'],
    ['not a string', 42, {}, 'ticket-malformed'],
    ['null', null, {}, 'ticket-malformed'],
    ['a resume token', issueResumeToken(KEY, { sessionId: sid(1), ttlMs: 60_000, now: NOW }), {}, 'ticket-forged'],
  ];
  for (const [name, value, o, want] of rows) {
    const r = verifyTicket(o.key ?? KEY, value, {
      edgeId: o.edgeId ?? 'edge-a',
      now: o.atMs ?? NOW,
      seen: new ReplayGuard(),
      ...('sessionId' in o ? (o.sessionId === undefined ? {} : { sessionId: o.sessionId }) : { sessionId: sid(1) }),
    });
    assert.equal(r.ok ? 'ok' : r.code, want, name);
    if (!r.ok) assert.ok(r.error.length > 0, name);
  }
});

test('valid tickets carry their claims', () => {
  const r = verifyTicket(KEY, ticket({ ttlMs: 5000 }), { edgeId: 'edge-a', now: NOW, seen: new ReplayGuard() });
  assert.ok(r.ok);
  assert.equal(r.claims.sessionId, sid(1));
  assert.equal(r.claims.edgeId, 'edge-a');
  assert.equal(r.claims.expiresAtMs, NOW + 5000);
  assert.notEqual(ticket(), ticket(), 'each ticket has its own nonce');
});

test('a ticket is accepted once; refused tickets do not burn their nonce', () => {
  const seen = new ReplayGuard();
  const t = ticket();
  const wrong = verifyTicket(KEY, t, { edgeId: 'edge-b', now: NOW, seen });
  assert.equal(!wrong.ok && wrong.code, 'ticket-wrong-edge');
  assert.equal(verifyTicket(KEY, t, { edgeId: 'edge-a', now: NOW, seen }).ok, true);
  const replay = verifyTicket(KEY, t, { edgeId: 'edge-a', now: NOW + 1, seen });
  assert.equal(!replay.ok && replay.code, 'ticket-replayed');
  assert.equal(verifyTicket(KEY, ticket(), { edgeId: 'edge-a', now: NOW, seen }).ok, true, 'another ticket for the same session is fine');
});

test('the replay guard forgets expired nonces and stays bounded', () => {
  const guard = new ReplayGuard({ maxEntries: 5000 });
  for (let i = 0; i < 3000; i++) assert.equal(guard.remember(`n${i}`, NOW + 1000, NOW), true);
  assert.equal(guard.remember('n1', NOW + 1000, NOW + 999), false);
  for (let i = 0; i < 3000; i++) guard.remember(`m${i}`, NOW + 10_000, NOW + 2000);
  assert.ok(guard.size <= 5000, `size ${guard.size}`);
  guard.sweep(NOW + 2000);
  assert.equal(guard.size, 3000, 'the expired n* nonces are gone');
  const tiny = new ReplayGuard({ maxEntries: 10 });
  for (let i = 0; i < 100; i++) tiny.remember(`k${i}`, NOW + 60_000, NOW);
  assert.equal(tiny.size, 10);
});

test('resume tokens: bound to the session, reusable until expiry, refused otherwise', () => {
  const tok = issueResumeToken(KEY, { sessionId: sid(1), ttlMs: 600_000, now: NOW });
  const rows: [string, unknown, { sessionId?: string; atMs?: number; key?: string }, string][] = [
    ['valid', tok, { sessionId: sid(1) }, 'ok'],
    ['valid again (no replay guard)', tok, { sessionId: sid(1), atMs: NOW + 1000 }, 'ok'],
    ['expired', tok, { atMs: NOW + 600_000 }, 'token-expired'],
    ['other session', tok, { sessionId: sid(2) }, 'token-wrong-session'],
    ['other key', tok, { key: newTicketKey() }, 'token-forged'],
    ['a ticket', ticket(), {}, 'token-forged'],
    ['garbage', '%%%', {}, 'token-malformed'],
  ];
  for (const [name, value, o, want] of rows) {
    const r = verifyResumeToken(o.key ?? KEY, value, { now: o.atMs ?? NOW, ...(o.sessionId === undefined ? {} : { sessionId: o.sessionId }) });
    assert.equal(r.ok ? 'ok' : r.code, want, name);
    if (r.ok) assert.equal(r.claims.sessionId, sid(1));
  }
});

test('misuse by the caller throws: short keys, bad TTLs', () => {
  assert.throws(() => issueTicket('short', { sessionId: sid(1), edgeId: 'a', ttlMs: 1000, now: NOW }), /at least 16/);
  assert.throws(() => issueTicket(KEY, { sessionId: sid(1), edgeId: 'a', ttlMs: 0, now: NOW }), /ttlMs/);
  assert.throws(() => issueResumeToken(KEY, { sessionId: sid(1), ttlMs: Number.NaN, now: NOW }), /ttlMs/);
  assert.match(newTicketKey(), /^[A-Za-z0-9_-]{43}$/);
});

test("a spectator's ticket lets in a viewer only, and a player's ticket only a player", () => {
  const seen = new ReplayGuard();
  const viewer = issueTicket(KEY, { sessionId: sid(1), edgeId: 'edge-a', ttlMs: 30_000, now: NOW, role: 'viewer' });
  const player = ticket();
  assert.equal(verifyTicket(KEY, viewer, { edgeId: 'edge-a', sessionId: sid(1), now: NOW, seen }).ok, false, 'a viewer ticket is not a player ticket');
  assert.equal(verifyTicket(KEY, player, { edgeId: 'edge-a', sessionId: sid(1), now: NOW, seen, role: 'viewer' }).ok, false);
  assert.equal(verifyTicket(KEY, viewer, { edgeId: 'edge-a', sessionId: sid(1), now: NOW, seen, role: 'viewer' }).ok, true);
  assert.equal(verifyTicket(KEY, player, { edgeId: 'edge-a', sessionId: sid(1), now: NOW, seen }).ok, true);
});

test('spectator grants: bound to the session, reusable until expiry, never a resume token', () => {
  const grant = issueSpectatorGrant(KEY, { sessionId: sid(1), ttlMs: 60_000, now: NOW });
  assert.deepEqual(verifySpectatorGrant(KEY, grant, { sessionId: sid(1), now: NOW }), { ok: true, expiresAtMs: NOW + 60_000 });
  assert.equal(verifySpectatorGrant(KEY, grant, { sessionId: sid(1), now: NOW + 1 }).ok, true, 'a second use');
  const refused = (g: unknown, sessionId = sid(1), now = NOW) => {
    const r = verifySpectatorGrant(KEY, g, { sessionId, now });
    return r.ok ? 'ok' : r.code;
  };
  assert.equal(refused(grant, sid(2)), 'token-wrong-session');
  assert.equal(refused(grant, sid(1), NOW + 60_000), 'token-expired');
  assert.equal(refused(flip(grant, grant.length - 3)), 'token-forged');
  assert.equal(refused(null), 'token-malformed');
  const resume = issueResumeToken(KEY, { sessionId: sid(1), ttlMs: 60_000, now: NOW });
  assert.equal(refused(resume), 'token-forged', 'a resume token is not a grant');
  assert.equal(verifyResumeToken(KEY, grant, { sessionId: sid(1), now: NOW }).ok, false, 'nor the reverse');
});

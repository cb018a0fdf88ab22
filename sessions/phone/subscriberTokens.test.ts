import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issueResumeToken, issueTicket, newTicketKey } from '../fleet/tickets.ts';
import { subscriber, T0 } from './fixtures.ts';
import { issueSubscriberToken, verifySubscriberToken } from './subscriberTokens.ts';
import type { SubscriberRecord } from './subscribers.ts';

const KEY = newTicketKey();
const ALICE = subscriber('alice');
const BOB = subscriber('bob');
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

test('subscriber token verification table', () => {
  const t = issueSubscriberToken(KEY, ALICE, { ttlMs: 60_000, now: T0 });
  const [body = '', sig = ''] = t.split('.');
  const forgedBody = Buffer.from(JSON.stringify({ v: 1, s: 'bob', e: 'telco-a', x: T0 + 60_000, n: 'x' })).toString('base64url');
  const rows: [string, unknown, { atMs?: number; subscriberId?: string; key?: string }, string][] = [
    ['valid', t, {}, 'ok'],
    ['one ms before expiry', t, { atMs: T0 + 59_999 }, 'ok'],
    ['expired', t, { atMs: T0 + 60_000 }, 'token-expired'],
    ['for another subscriber', t, { subscriberId: 'bob' }, 'token-wrong-subscriber'],
    ['other key', t, { key: newTicketKey() }, 'token-forged'],
    ['tampered payload (claims to be bob)', `${forgedBody}.${sig}`, {}, 'token-forged'],
    ['payload with one character changed', `${flip(body, 5)}.${sig}`, {}, 'token-forged'],
    ['signature changed', `${body}.${flip(sig, 0)}`, {}, 'token-forged'],
    ['signature truncated', `${body}.${sig.slice(1)}`, {}, 'token-malformed'],
    ['empty', '', {}, 'token-malformed'],
    ['not a string', 42, {}, 'token-malformed'],
    ['a session ticket', issueTicket(KEY, { sessionId: 'alice', edgeId: 'telco-a', ttlMs: 60_000, now: T0 }), {}, 'token-forged'],
    ['a resume token', issueResumeToken(KEY, { sessionId: 'alice', ttlMs: 60_000, now: T0 }), {}, 'token-forged'],
  ];
  for (const [name, value, o, want] of rows) {
    const r = verifySubscriberToken(o.key ?? KEY, value, { now: o.atMs ?? T0, subscriberId: o.subscriberId ?? 'alice' });
    assert.equal(r.ok ? 'ok' : r.code, want, name);
    if (!r.ok) assert.ok(r.error.length > 0, name);
  }
});

test('claims, and a token opens only its own subscriber', () => {
  const r = verifySubscriberToken(KEY, issueSubscriberToken(KEY, BOB, { now: T0 }), { now: T0 });
  assert.ok(r.ok);
  assert.deepEqual(r.claims, { subscriberId: 'bob', telcoId: 'telco-a', expiresAtMs: T0 + 24 * 3_600_000 });
  assert.notEqual(issueSubscriberToken(KEY, BOB, { now: T0 }), issueSubscriberToken(KEY, BOB, { now: T0 }));
  assert.throws(() => issueSubscriberToken(KEY, BOB, { now: T0, ttlMs: 0 }));
  assert.throws(() => issueSubscriberToken('short', BOB, { now: T0 }));
});

test("a removed or re-provisioned subscriber's tokens are revoked", () => {
  const t = issueSubscriberToken(KEY, ALICE, { now: T0 });
  const verify = (found: SubscriberRecord | undefined) => {
    const r = verifySubscriberToken(KEY, t, { now: T0 + 1, lookup: (id) => (id === 'alice' ? found : undefined) });
    return r.ok ? 'ok' : r.code;
  };
  assert.equal(verify(ALICE), 'ok');
  assert.equal(verify(undefined), 'token-revoked', 'removed');
  assert.equal(verify({ ...ALICE, createdAtMs: T0 + 5 }), 'token-revoked', 're-provisioned under the same id');
  assert.equal(verify({ ...ALICE, telcoId: 'telco-b' }), 'token-revoked', "now another telco's");
  assert.equal(verify({ ...ALICE, maxInstances: 9 }), 'ok', 'a new limit does not revoke');
});

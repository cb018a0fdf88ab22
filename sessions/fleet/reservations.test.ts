import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReservationBook } from './reservations.ts';
import { FakeClock, capacity, registration, registryWith, sid } from './fixtures.ts';

function setup(max = 1) {
  const clock = new FakeClock();
  const registry = registryWith(clock, [
    registration('one', { capacity: capacity({ maxSessions: max }) }),
    registration('big', { capacity: capacity({ maxSessions: 100 }) }),
  ]);
  const book = new ReservationBook({ registry, now: clock.now, ttlMs: 5000, confirmedTtlMs: 30_000 });
  return { clock, registry, book };
}

test('many concurrent reservations against a 1-slot edge: exactly one wins', async () => {
  const { book } = setup(1);
  const attempts = Array.from({ length: 200 }, (_, i) => Promise.resolve().then(() => book.reserve('one', sid(i))));
  const results = await Promise.all(attempts);
  assert.equal(results.filter((r) => r.ok).length, 1);
  const refused = results.filter((r) => !r.ok);
  assert.ok(refused.every((r) => r.code === 'no-capacity'));
  assert.equal(book.reservedOn('one'), 1);
});

test('reservations never overbook: capacity minus in-use minus reservations', () => {
  const { registry, book } = setup(3);
  registry.heartbeat('one', capacity({ maxSessions: 3, sessionsInUse: 1 }), [sid(100)]);
  const rows: [string, boolean][] = [
    [sid(1), true],
    [sid(2), true],
    [sid(3), false],
  ];
  for (const [session, ok] of rows) assert.equal(book.reserve('one', session).ok, ok, session);
});

test('a reservation that the edge never confirms lapses after its TTL and frees the slot', () => {
  const { clock, book } = setup(1);
  assert.ok(book.reserve('one', sid(1)).ok);
  clock.advance(4999);
  assert.equal(book.reserve('one', sid(2)).ok, false);
  clock.advance(1);
  const lapsed = book.expire();
  assert.deepEqual(
    lapsed.map((r) => r.sessionId),
    [sid(1)],
  );
  assert.deepEqual(book.expire(), [], 'reported once');
  assert.equal(book.confirm(sid(1)), undefined, 'a late prepared finds no slot');
  assert.ok(book.reserve('one', sid(2)).ok);
});

test('lapsed reservations are reported by expire() even when a reserve() swept them first', () => {
  const { clock, book } = setup(1);
  book.reserve('one', sid(1));
  clock.advance(6000);
  assert.ok(book.reserve('one', sid(2)).ok);
  assert.deepEqual(
    book.expire().map((r) => r.sessionId),
    [sid(1)],
  );
});

test('a confirmed slot stays taken until the edge reports the session, then the report counts it', () => {
  const { clock, registry, book } = setup(1);
  book.reserve('one', sid(1));
  clock.advance(1000);
  const c = book.confirm(sid(1));
  assert.equal(c?.confirmed, true);
  clock.advance(10_000); // past the pending TTL: confirmed slots do not lapse with it
  assert.equal(book.reserve('one', sid(2)).ok, false);
  registry.heartbeat('one', capacity({ maxSessions: 1, sessionsInUse: 1 }), [sid(1)]);
  assert.equal(book.reservedOn('one'), 0, 'the edge counts it now');
  assert.equal(book.get(sid(1)), undefined);
  const r = book.reserve('one', sid(2));
  assert.equal(!r.ok && r.code, 'no-capacity', 'still full, by the report this time');
  registry.heartbeat('one', capacity({ maxSessions: 1, sessionsInUse: 0 }), []);
  assert.ok(book.reserve('one', sid(2)).ok);
});

test('a confirmed slot is let go after confirmedTtlMs even if no heartbeat lists it', () => {
  const { clock, book } = setup(1);
  book.reserve('one', sid(1));
  book.confirm(sid(1));
  clock.advance(30_000);
  assert.ok(book.reserve('one', sid(2)).ok);
  assert.deepEqual(
    book.expire().map((r) => r.sessionId),
    [],
    'confirmed ones are not reported as lapsed',
  );
});

test('a session resumed elsewhere moves its confirmed slot: the old edge frees it', () => {
  const { registry, book } = setup(1);
  registry.heartbeat('big', capacity({ maxSessions: 100, sessionsInUse: 0 }), []);
  assert.ok(book.reserve('one', sid(1)).ok);
  book.confirm(sid(1));
  // Edge 'one' dies before any heartbeat listed the session; the page resumes on 'big'.
  const moved = book.reserve('big', sid(1));
  assert.ok(moved.ok);
  assert.equal(book.reservedOn('one'), 0);
  assert.equal(book.reservedOn('big'), 1);
});

test('release frees the slot at once; reserving twice is idempotent on the same edge and refused on another', () => {
  const { book } = setup(1);
  const first = book.reserve('one', sid(1));
  assert.ok(first.ok);
  const again = book.reserve('one', sid(1));
  assert.ok(again.ok);
  assert.equal(again.reservation, first.reservation);
  const elsewhere = book.reserve('big', sid(1));
  assert.equal(!elsewhere.ok && elsewhere.code, 'already-reserved');
  assert.equal(book.release(sid(1)), true);
  assert.equal(book.release(sid(1)), false);
  assert.ok(book.reserve('big', sid(1)).ok);
  assert.ok(book.reserve('one', sid(2)).ok);
});

test('reservations are refused on unknown, down and draining edges and for bad session ids', () => {
  const { registry, book } = setup(5);
  const rows: [string, () => void, string, string][] = [
    ['unknown edge', () => {}, 'nope', 'unknown-edge'],
    ['draining', () => registry.drain('one', true), 'one', 'edge-draining'],
    ['disconnected', () => registry.markDisconnected('one'), 'one', 'edge-not-up'],
  ];
  for (const [name, arrange, edgeId, code] of rows) {
    arrange();
    const r = book.reserve(edgeId, sid(1));
    assert.equal(!r.ok && r.code, code, name);
  }
  const bad = book.reserve('big', '' as string);
  assert.equal(!bad.ok && bad.code, 'bad-request');
  assert.equal(book.size, 0);
});

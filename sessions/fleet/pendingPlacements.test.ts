import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PendingPlacements } from './pendingPlacements.ts';

function book(limits = { perAddress: 2, total: 3, holdMs: 10_000 }) {
  const clock = { t: 0 };
  return { clock, pending: new PendingPlacements(limits, () => clock.t) };
}

test('one address may hold perAddress pending plays; the next is told when to retry', () => {
  const { clock, pending } = book();
  assert.deepEqual(pending.add('10.0.0.1', 'p1'), { ok: true });
  clock.t = 4000;
  assert.deepEqual(pending.add('10.0.0.1', 'p2'), { ok: true });
  assert.deepEqual(pending.add('10.0.0.1', 'p3'), { ok: false, scope: 'address', retryAfterSeconds: 6 }, 'the oldest hold ends at 10 s');
  assert.deepEqual(pending.add('10.0.0.2', 'q1'), { ok: true }, 'another address is not affected');
});

test('overall, no more than total are pending, whatever the addresses', () => {
  const { pending } = book();
  for (const [a, id] of [
    ['a', '1'],
    ['b', '2'],
    ['c', '3'],
  ] as const)
    assert.equal(pending.add(a, id).ok, true);
  assert.deepEqual(pending.add('d', '4'), { ok: false, scope: 'total', retryAfterSeconds: 10 });
});

test('a play stops being pending when its player joins, when it fails, or when its hold runs out', () => {
  const { clock, pending } = book();
  pending.add('a', 'p1');
  pending.add('a', 'p2');
  pending.placed('p1', 'session-1');
  pending.settled('session-1');
  assert.equal(pending.add('a', 'p3').ok, true, 'the joined play freed its place');
  pending.release('p2');
  assert.equal(pending.add('a', 'p4').ok, true, 'the failed one too');
  assert.equal(pending.add('a', 'p5').ok, false);
  clock.t = 10_000;
  assert.equal(pending.size, 0, 'holds run out');
  assert.equal(pending.add('a', 'p6').ok, true);
});

test('releasing twice, or joining an unknown session, changes nothing', () => {
  const { pending } = book();
  pending.add('a', 'p1');
  pending.release('p1');
  pending.release('p1');
  pending.settled('nobody');
  assert.equal(pending.size, 0);
  assert.equal(pending.add('a', 'p2').ok, true);
  assert.equal(pending.add('a', 'p3').ok, true);
  assert.equal(pending.add('a', 'p4').ok, false, 'the count did not go negative');
});

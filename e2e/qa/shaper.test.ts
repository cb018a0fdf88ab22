import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkShaper } from './shaper.ts';

/** A random source that replays fixed values. */
const replay = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

test('delay and uniform jitter: departure = arrival + delay ± jitter', () => {
  // random 0.5 -> no jitter; 1.0 -> +jitter; 0 -> -jitter. Loss draws come first (none here: loss 0).
  const s = new LinkShaper({ delayMs: 20, jitterMs: 5, lossPercent: 0, limitPackets: 10 }, replay(0.5, 1, 0));
  assert.equal(s.schedule(0, 100), 20);
  assert.equal(s.schedule(100, 100), 125);
  assert.equal(s.schedule(200, 100), 215);
});

test('packets stay in order: a shorter draw waits for the one before', () => {
  const s = new LinkShaper({ delayMs: 20, jitterMs: 10, lossPercent: 0, limitPackets: 10 }, replay(1, 0));
  assert.equal(s.schedule(0, 100), 30);
  assert.equal(s.schedule(1, 100), 30); // would be 11, but the first leaves at 30
});

test('loss drops packets with the given probability; TCP bytes are never dropped', () => {
  const s = new LinkShaper({ delayMs: 0, jitterMs: 0, lossPercent: 3, limitPackets: 10 }, replay(0.02, 0.5));
  assert.equal(s.schedule(0, 100), undefined); // 0.02 * 100 = 2 < 3: lost
  assert.equal(s.schedule(0, 100), 0); // 50 >= 3: passes
  assert.equal(s.schedule(0, 100, false), 0); // not lossy: no draw, passes
  assert.deepEqual(s.counters, { passed: 2, lost: 1, tailDropped: 0 });
});

test('a rate adds serialisation time and queueing behind earlier packets', () => {
  // 3000 kbit/s = 3 bits per microsecond: 1500 bytes take 4 ms.
  const s = new LinkShaper({ delayMs: 0, jitterMs: 0, lossPercent: 0, rateKbit: 3000, limitPackets: 100 });
  assert.equal(s.schedule(0, 1500), 4);
  assert.equal(s.schedule(0, 1500), 8);
  assert.equal(s.schedule(0, 1500), 12);
  assert.equal(s.schedule(100, 1500), 104); // queue drained by then
});

test('past the packet limit the queue tail-drops until packets depart', () => {
  const s = new LinkShaper({ delayMs: 50, jitterMs: 0, lossPercent: 0, limitPackets: 2 });
  assert.equal(s.schedule(0, 10), 50);
  assert.equal(s.schedule(0, 10), 50);
  assert.equal(s.schedule(0, 10), undefined);
  s.departed();
  assert.equal(s.schedule(50, 10), 100);
  assert.deepEqual(s.counters, { passed: 3, lost: 0, tailDropped: 1 });
});

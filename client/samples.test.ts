import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SampleWindow, SentInputLog, percentile, pushBounded } from './samples.ts';

test('pushBounded keeps the newest cap values', () => {
  const a: number[] = [];
  for (let i = 0; i < 10; i++) pushBounded(a, i, 4);
  assert.deepEqual(a, [6, 7, 8, 9]);
});

test('percentile uses nearest rank and ignores order', () => {
  assert.equal(percentile([], 50), undefined);
  assert.equal(percentile([5], 50), 5);
  assert.equal(percentile([4, 1, 3, 2], 50), 2);
  assert.equal(percentile([4, 1, 3, 2], 95), 4);
  assert.equal(percentile([4, 1, 3, 2], 0), 1);
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(percentile(hundred, 50), 50);
  assert.equal(percentile(hundred, 95), 95);
});

test('SampleWindow returns values within the time window, oldest first, and wraps', () => {
  const w = new SampleWindow(3);
  w.push(100, 1);
  w.push(200, 2);
  assert.deepEqual(w.valuesSince(150), [2]);
  w.push(300, 3);
  w.push(400, 4); // evicts (100, 1)
  assert.equal(w.size, 3);
  assert.deepEqual(w.valuesSince(0), [2, 3, 4]);
  assert.deepEqual(w.valuesSince(300), [3, 4]);
  w.clear();
  assert.deepEqual(w.valuesSince(0), []);
  assert.throws(() => new SampleWindow(0));
});

test('SentInputLog matches a ts once and forgets the oldest beyond capacity', () => {
  const log = new SentInputLog(3);
  for (const ts of [1, 2, 3, 4]) log.remember(ts);
  assert.equal(log.size, 3);
  assert.equal(log.take(1), false, 'evicted');
  assert.equal(log.take(3), true);
  assert.equal(log.take(3), false, 'only the first frame counts');
  log.remember(2); // already pending: no duplicate
  assert.equal(log.size, 2);
  assert.equal(log.take(99), false);
});

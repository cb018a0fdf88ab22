import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlayClock, countdownBadge, formatCountdown } from './countdown.ts';

test('mm:ss, rounded up, never negative', () => {
  assert.equal(formatCountdown(60), '01:00');
  assert.equal(formatCountdown(59.01), '01:00');
  assert.equal(formatCountdown(59), '00:59');
  assert.equal(formatCountdown(9.5), '00:10');
  assert.equal(formatCountdown(0.2), '00:01');
  assert.equal(formatCountdown(0), '00:00');
  assert.equal(formatCountdown(-3), '00:00');
  assert.equal(formatCountdown(Number.NaN), '00:00');
  assert.equal(formatCountdown(900), '15:00');
  assert.equal(formatCountdown(6000), '100:00');
});

test('the badge shows in the last minute only', () => {
  assert.equal(countdownBadge(undefined), undefined);
  assert.equal(countdownBadge(900), undefined);
  assert.equal(countdownBadge(60.5), undefined);
  assert.equal(countdownBadge(60), '01:00');
  assert.equal(countdownBadge(42.3), '00:43');
  assert.equal(countdownBadge(0), '00:00');
  assert.equal(countdownBadge(Number.POSITIVE_INFINITY), undefined);
});

test('the clock runs from the picture, holds while it is gone, and takes a new allowance', () => {
  const c = new PlayClock();
  assert.equal(c.remaining(0), undefined, 'no limit until the broker gives one');
  c.set(90);
  assert.equal(c.remaining(5_000), 90, 'waits for the first picture');
  c.run(10_000);
  assert.equal(c.running, true);
  assert.equal(c.remaining(40_000), 60);
  c.run(50_000); // a second first-picture does not restart a running clock
  assert.equal(c.remaining(40_000), 60);
  c.pause(40_000);
  assert.equal(c.remaining(99_000), 60, 'holds while reconnecting');
  c.set(58); // the broker's figure after a resume wins
  c.run(100_000);
  assert.equal(c.remaining(108_000), 50);
  assert.equal(c.remaining(500_000), 0, 'stops at 0');
  c.set(undefined);
  assert.equal(c.remaining(0), undefined);
  c.set(-5);
  assert.equal(c.remaining(0), 0);
});

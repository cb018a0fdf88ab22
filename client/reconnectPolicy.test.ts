import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_MAX_RECONNECT_MS,
  DefaultReconnectPolicy,
  ReconnectEpisode,
  isResumableEdgeError,
  isResumableEndReason,
  isRetryableApiFailure,
} from './reconnectPolicy.ts';

test('default policy: retry at once, then 300 ms, 1 s, 2 s, 2 s, ...', () => {
  const p = new DefaultReconnectPolicy();
  assert.deepEqual(
    [0, 1, 2, 3, 4, 9].map((a) => p.nextRetryDelayMs(a, 0)),
    [0, 300, 1000, 2000, 2000, 2000],
  );
});

test('default policy gives up at about 20 s, never starting a retry past the deadline', () => {
  const p = new DefaultReconnectPolicy();
  assert.equal(DEFAULT_MAX_RECONNECT_MS, 20_000);
  assert.equal(p.nextRetryDelayMs(5, 17_999), 2000);
  assert.equal(p.nextRetryDelayMs(5, 18_000), null);
  assert.equal(p.nextRetryDelayMs(0, 20_000), null);
  assert.equal(p.nextRetryDelayMs(0, 19_999), 0);
  assert.throws(() => new DefaultReconnectPolicy([]));
  const custom = new DefaultReconnectPolicy([5], 100);
  assert.equal(custom.nextRetryDelayMs(7, 50), 5);
  assert.equal(custom.nextRetryDelayMs(7, 95), null);
});

test('an episode counts attempts and measures time from the loss', () => {
  let now = 1000;
  const e = new ReconnectEpisode(new DefaultReconnectPolicy(), () => now);
  const delays: Array<number | null> = [];
  // Every attempt fails straight after its delay: the episode ends near 20 s after the loss.
  for (;;) {
    const d = e.next();
    delays.push(d);
    if (d === null) break;
    now += d + 100; // the delay plus the failed attempt itself
  }
  assert.deepEqual(delays.slice(0, 5), [0, 300, 1000, 2000, 2000]);
  assert.equal(delays.at(-1), null);
  assert.equal(e.attempts, delays.length - 1);
  assert.ok(e.elapsedMs > 17_000 && e.elapsedMs < 20_000, `gave up after ${e.elapsedMs} ms`);
});

test('which failures are worth another edge', () => {
  assert.equal(isResumableEdgeError('no-capacity'), true);
  assert.equal(isResumableEdgeError('internal'), true);
  assert.equal(isResumableEdgeError('unauthorized'), false);
  assert.equal(isResumableEdgeError('session-ended'), false);
  assert.equal(isResumableEndReason('edge-shutdown'), true);
  assert.equal(isResumableEndReason('time-limit'), false);
  assert.equal(isResumableEndReason('user-left'), false);
  assert.equal(isRetryableApiFailure({ code: 'network', message: '' }), true);
  assert.equal(isRetryableApiFailure({ code: 'no-capacity', message: '', status: 503 }), true);
  assert.equal(isRetryableApiFailure({ code: 'internal', message: '', status: 500 }), true);
  assert.equal(isRetryableApiFailure({ code: 'rate-limited', message: '', status: 429 }), true);
  assert.equal(isRetryableApiFailure({ code: 'placement-expired', message: '', status: 410 }), true);
  assert.equal(isRetryableApiFailure({ code: 'session-ended', message: '', status: 410 }), false);
  assert.equal(isRetryableApiFailure({ code: 'unknown-session', message: '', status: 404 }), false);
  assert.equal(isRetryableApiFailure({ code: 'whatever', message: '', status: 401 }), false);
  assert.equal(isRetryableApiFailure({ code: 'bad-request', message: '', status: 400 }), false);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DefaultReconnectPolicy, ReconnectEpisode } from '../reconnectPolicy.ts';
import {
  PHONE_MAX_RECONNECT_MS,
  PHONE_RETRY_DELAYS_MS,
  isReconnectableEdgeError,
  isReconnectableEnd,
  isRetryableOpenFailure,
  outcomeOfApiFailure,
} from './phoneSession.ts';

test('a phone that was stopped is not reconnected; an edge that went away is', () => {
  for (const reason of ['stopped', 'grace-expired', 'idle', 'source-failed', 'user-left']) assert.equal(isReconnectableEnd(reason), false, reason);
  for (const reason of ['edge-lost', 'edge-shutdown', 'connection-lost']) assert.equal(isReconnectableEnd(reason), true, reason);
  assert.equal(isReconnectableEdgeError('unauthorized'), true, 'a lapsed ticket: /open gives a fresh one');
  assert.equal(isReconnectableEdgeError('no-capacity'), true);
  assert.equal(isReconnectableEdgeError('session-ended'), false);
});

test('reopening is retried through broker hiccups, not past a gone instance or a refused token', () => {
  assert.equal(isRetryableOpenFailure({ code: 'network', message: '' }), true);
  assert.equal(isRetryableOpenFailure({ code: 'no-capacity', message: '', status: 503 }), true);
  assert.equal(isRetryableOpenFailure({ code: 'placement-expired', message: '', status: 410 }), true);
  assert.equal(isRetryableOpenFailure({ code: 'busy', message: '', status: 409 }), true);
  assert.equal(isRetryableOpenFailure({ code: 'unknown-instance', message: '', status: 404 }), false);
  assert.equal(isRetryableOpenFailure({ code: 'token-expired', message: '', status: 401 }), false);
  assert.deepEqual(outcomeOfApiFailure({ code: 'token-expired', message: 'm', status: 401 }), { kind: 'unauthorized', code: 'token-expired', message: 'm' });
  assert.deepEqual(outcomeOfApiFailure({ code: 'unknown-instance', message: 'm', status: 404 }), { kind: 'failed', code: 'unknown-instance', message: 'm' });
});

test('the phone retry schedule backs off and gives up after about a minute', () => {
  let now = 0;
  const episode = new ReconnectEpisode(new DefaultReconnectPolicy(PHONE_RETRY_DELAYS_MS, PHONE_MAX_RECONNECT_MS), () => now);
  const delays: number[] = [];
  for (;;) {
    const d = episode.next();
    if (d === null) break;
    delays.push(d);
    now += d + 1000; // each attempt takes a second to fail
  }
  assert.deepEqual(delays.slice(0, 5), [0, 500, 1500, 3000, 5000]);
  assert.ok(delays.every((d) => d <= 5000));
  assert.ok(now <= PHONE_MAX_RECONNECT_MS + 6000 && now >= PHONE_MAX_RECONNECT_MS - 6000, `gave up after ${now} ms`);
});

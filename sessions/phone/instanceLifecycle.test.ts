import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../fleet/fixtures.ts';
import {
  DEFAULT_GRACE_MS,
  DEFAULT_IDLE_MS,
  dueAction,
  initialInstanceState,
  instanceLimits,
  nextDueAtMs,
  nextInstanceState,
  type InstanceEvent,
  type InstanceRunState,
} from './instanceLifecycle.ts';

const MIN = 60_000;

/** A tiny driver: feeds events at the clock's time. */
function machine(clock: FakeClock) {
  let s: InstanceRunState = initialInstanceState(clock.now());
  return {
    get state() {
      return s;
    },
    on(type: Exclude<InstanceEvent['type'], 'failed' | 'stop'>) {
      s = nextInstanceState(s, { type, atMs: clock.now() });
      return s;
    },
    send(e: InstanceEvent) {
      s = nextInstanceState(s, e);
      return s;
    },
  };
}

function running(clock: FakeClock) {
  const m = machine(clock);
  m.on('start');
  m.on('connected');
  clock.advance(2000);
  m.on('started');
  return m;
}

test('start, connect, run', () => {
  const clock = new FakeClock();
  const m = running(clock);
  assert.deepEqual(m.state, { phase: 'running', sinceMs: clock.now(), connected: true, lastInputAtMs: clock.now() });
  assert.equal(dueAction(m.state, clock.now()), undefined);
  assert.equal(m.on('start'), m.state, 'opening a running instance again changes nothing');
});

test('resume within the grace period is the same instance', () => {
  const clock = new FakeClock();
  const m = running(clock);
  const since = m.state.sinceMs;
  clock.advance(MIN);
  m.on('disconnected');
  const droppedAt = clock.now();
  clock.advance(DEFAULT_GRACE_MS - 1);
  assert.equal(dueAction(m.state, clock.now()), undefined);
  m.on('disconnected');
  assert.ok(m.state.phase === 'running' && !m.state.connected && m.state.disconnectedAtMs === droppedAt, 'a second drop keeps the first time');
  m.on('connected');
  assert.deepEqual(m.state, { phase: 'running', sinceMs: since, connected: true, lastInputAtMs: clock.now() });
  clock.advance(DEFAULT_GRACE_MS);
  assert.equal(dueAction(m.state, clock.now()), undefined, 'connected again: no grace timer');
});

test('stop after the grace period, data kept, and start again', () => {
  const clock = new FakeClock();
  const m = running(clock);
  m.on('disconnected');
  assert.equal(nextDueAtMs(m.state), clock.now() + DEFAULT_GRACE_MS);
  clock.advance(DEFAULT_GRACE_MS);
  const due = dueAction(m.state, clock.now());
  assert.deepEqual(due, { action: 'stop', reason: 'grace-expired' });
  m.send({ type: 'stop', atMs: clock.now(), reason: due.reason });
  assert.deepEqual(m.state, { phase: 'stopped', sinceMs: clock.now(), reason: 'grace-expired' });
  assert.equal(dueAction(m.state, clock.now() + DEFAULT_IDLE_MS), undefined);
  assert.equal(nextDueAtMs(m.state), undefined);
  assert.equal(m.on('connected').phase, 'stopped', 'a late reconnect does not revive it');
  assert.equal(m.on('start').phase, 'starting', 'the next open starts it again');
});

test('configurable grace, and nobody connecting after start counts as a drop', () => {
  const clock = new FakeClock();
  const m = machine(clock);
  m.on('start');
  m.on('started');
  assert.ok(m.state.phase === 'running' && !m.state.connected);
  clock.advance(10_000);
  assert.deepEqual(dueAction(m.state, clock.now(), { graceMs: 10_000 }), { action: 'stop', reason: 'grace-expired' });
  assert.equal(dueAction(m.state, clock.now()), undefined);
});

test('idle stop, and input resets the idle clock', () => {
  const clock = new FakeClock();
  const m = running(clock);
  const limits = { idleMs: 10 * MIN };
  clock.advance(9 * MIN);
  m.on('input');
  clock.advance(9 * MIN);
  assert.equal(dueAction(m.state, clock.now(), limits), undefined, 'input 9 min ago');
  assert.equal(nextDueAtMs(m.state, limits), clock.now() + MIN);
  clock.advance(MIN);
  assert.deepEqual(dueAction(m.state, clock.now(), limits), { action: 'stop', reason: 'idle' });
  assert.equal(dueAction(m.state, clock.now() - 1, limits), undefined);
  // Default idle limit is 30 minutes.
  const n = running(clock);
  clock.advance(DEFAULT_IDLE_MS - 1);
  assert.equal(dueAction(n.state, clock.now()), undefined);
  clock.advance(1);
  assert.deepEqual(dueAction(n.state, clock.now()), { action: 'stop', reason: 'idle' });
});

test('input while disconnected or stopped is ignored; idle still applies during grace', () => {
  const clock = new FakeClock();
  const m = running(clock);
  m.on('disconnected');
  const before = m.state;
  clock.advance(1000);
  assert.equal(m.on('input'), before);
  assert.deepEqual(dueAction(m.state, clock.now(), { idleMs: 1000, graceMs: 5000 }), { action: 'stop', reason: 'idle' });
  assert.deepEqual(dueAction(m.state, clock.now() + 5000, { idleMs: 1000, graceMs: 5000 }), { action: 'stop', reason: 'grace-expired' }, 'grace first');
  assert.equal(nextDueAtMs(m.state, { idleMs: 1000, graceMs: 5000 }), before.sinceMs + 1000);
});

test('double stop, stop while starting, late started, failure', () => {
  const clock = new FakeClock();
  const m = running(clock);
  m.send({ type: 'stop', atMs: clock.now() });
  const stopped = m.state;
  assert.deepEqual(stopped, { phase: 'stopped', sinceMs: clock.now(), reason: 'user' });
  clock.advance(5);
  assert.equal(m.send({ type: 'stop', atMs: clock.now(), reason: 'idle' }), stopped, 'the first reason stands');
  assert.equal(m.send({ type: 'failed', atMs: clock.now(), error: 'late' }), stopped);
  for (const t of ['started', 'connected', 'disconnected', 'input'] as const) assert.equal(m.on(t), stopped, t);

  m.on('start');
  m.send({ type: 'stop', atMs: clock.now(), reason: 'edge-shutdown' });
  assert.equal(m.on('started').phase, 'stopped', 'a start that finished after a stop stays stopped');

  m.on('start');
  m.send({ type: 'failed', atMs: clock.now(), error: 'chromium exited 1' });
  assert.deepEqual(m.state, { phase: 'stopped', sinceMs: clock.now(), reason: 'failed', error: 'chromium exited 1' });
});

test('a connection lost while starting leaves it waiting under the grace period', () => {
  const clock = new FakeClock();
  const m = machine(clock);
  m.on('start');
  m.on('connected');
  m.on('disconnected');
  m.on('started');
  assert.ok(m.state.phase === 'running' && !m.state.connected);
});

test('limits must be positive', () => {
  assert.deepEqual(instanceLimits(), { graceMs: DEFAULT_GRACE_MS, idleMs: DEFAULT_IDLE_MS });
  assert.throws(() => instanceLimits({ idleMs: 0 }));
  assert.throws(() => instanceLimits({ graceMs: Number.NaN }));
});

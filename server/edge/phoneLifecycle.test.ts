/** The edge's phone timers: grace after a drop, idle without input, resume in between. */
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { PhoneLifecycle, type PhoneDueReason } from './phoneLifecycle.ts';

function setup(limits = { graceMs: 5_000, idleMs: 60_000 }) {
  mock.timers.enable({ apis: ['setTimeout'], now: 0 });
  let now = 0;
  const due: PhoneDueReason[] = [];
  const life = new PhoneLifecycle(
    limits,
    (r) => due.push(r),
    () => now,
  );
  const tick = (ms: number) => {
    now += ms;
    mock.timers.tick(ms);
  };
  return { life, due, tick };
}

test('a dropped instance stops when the grace period runs out', (t) => {
  t.after(() => mock.timers.reset());
  const { life, due, tick } = setup();
  life.started();
  life.connected();
  tick(10_000);
  life.disconnected();
  tick(4_999);
  assert.deepEqual(due, []);
  tick(2);
  assert.deepEqual(due, ['grace-expired']);
  tick(120_000);
  assert.deepEqual(due, ['grace-expired'], 'told once');
});

test('coming back within the grace period keeps it running', (t) => {
  t.after(() => mock.timers.reset());
  const { life, due, tick } = setup();
  life.started();
  life.connected();
  life.disconnected();
  tick(4_000);
  life.connected();
  tick(10_000);
  assert.deepEqual(due, []);
  assert.equal(life.snapshot.phase, 'running');
});

test('no app ever connecting counts as a drop from the start', (t) => {
  t.after(() => mock.timers.reset());
  const { life, due, tick } = setup();
  life.started();
  tick(5_001);
  assert.deepEqual(due, ['grace-expired']);
});

test('input keeps a connected instance alive; without it the idle limit stops it', (t) => {
  t.after(() => mock.timers.reset());
  const { life, due, tick } = setup({ graceMs: 5_000, idleMs: 10_000 });
  life.started();
  life.connected();
  for (let i = 0; i < 5; i++) {
    tick(8_000);
    life.input();
  }
  assert.deepEqual(due, [], '40 s with input every 8 s');
  tick(10_001);
  assert.deepEqual(due, ['idle']);
});

test('a stopped instance has no timer left', (t) => {
  t.after(() => mock.timers.reset());
  const { life, due, tick } = setup();
  life.started();
  life.stopped();
  tick(1_000_000);
  assert.deepEqual(due, []);
});

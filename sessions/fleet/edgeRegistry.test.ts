import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EdgeCapacity } from '../../protocol/index.ts';
import { EdgeRegistry, freeSlots } from './edgeRegistry.ts';
import type { NvencPolicy } from './edgeValidation.ts';
import { FakeClock, capacity, registration, registryWith, sid } from './fixtures.ts';

// Malformed registrations and heartbeats never reach the registry: the link's schema refuses them (protocol/fleetMessages.test.ts).

test('heartbeats update load; unknown edges are refused', () => {
  const clock = new FakeClock();
  const reg = registryWith(clock, [registration('a')]);
  const ok = reg.heartbeat('a', capacity({ sessionsInUse: 3 }), [sid(1), sid(2), sid(3)]);
  assert.ok(ok.ok);
  assert.equal(reg.get('a')?.freeSlots, 1);
  assert.deepEqual(reg.get('a')?.sessions, [sid(1), sid(2), sid(3)]);
  assert.equal(reg.hostsSession('a', sid(2)), true);

  const unknown = reg.heartbeat('nope', capacity(), []);
  assert.equal(!unknown.ok && unknown.code, 'unknown-edge');
  assert.equal(reg.get('a')?.freeSlots, 1, 'a refused heartbeat changes nothing');
  for (const r of [reg.drain('nope', true), reg.markDisconnected('nope')]) assert.equal(!r.ok && r.code, 'unknown-edge');
});

test('a session the edge says has ended frees its slot at once, not at the next heartbeat', () => {
  const clock = new FakeClock();
  const reg = registryWith(clock, [registration('a')]);
  reg.heartbeat('a', capacity({ maxSessions: 4, sessionsInUse: 4 }), [sid(1), sid(2), sid(3), sid(4)]);
  assert.equal(reg.get('a')?.freeSlots, 0);
  reg.sessionEnded('a', sid(2));
  assert.equal(reg.get('a')?.freeSlots, 1);
  assert.equal(reg.hostsSession('a', sid(2)), false);
  reg.sessionEnded('a', sid(2));
  reg.sessionEnded('a', sid(9));
  reg.sessionEnded('nope', sid(1));
  assert.equal(reg.get('a')?.freeSlots, 1, 'an end told twice, or of a session not listed, frees nothing more');
});

test('an edge silent past lostAfterMs is reported lost once, with its sessions', () => {
  const clock = new FakeClock();
  const reg = registryWith(clock, [registration('a', { sessions: [sid(1)] }), registration('b')]);
  clock.advance(2500);
  reg.heartbeat('b', capacity(), []);
  assert.deepEqual(reg.tick(), []);
  assert.equal(reg.get('a')?.missedHeartbeats, 2);
  clock.advance(600); // a: 3.1 s silent, past 3 heartbeats of 1 s
  assert.deepEqual(reg.tick(), [{ edgeId: 'a', sessions: [sid(1)] }]);
  assert.deepEqual(reg.tick(), [], 'reported once');
  const a = reg.get('a');
  assert.equal(a?.status, 'lost');
  assert.equal(a.freeSlots, 0);
  assert.equal(a.dropOuts, 1);
  const hb = reg.heartbeat('a', capacity(), []);
  assert.equal(!hb.ok && hb.code, 'edge-not-up', 'a lost edge must register again');
  assert.equal(reg.get('b')?.status, 'up');
});

test('a disconnected edge keeps its sessions until it returns or is lost; re-registering keeps drain and history', () => {
  const clock = new FakeClock();
  const reg = registryWith(clock, [registration('a', { sessions: [sid(1)] })]);
  const seq = reg.get('a')?.connectionSeq;
  reg.drain('a', true);
  reg.markDisconnected('a', seq);
  assert.equal(reg.get('a')?.status, 'disconnected');
  assert.equal(reg.get('a')?.dropOuts, 1);
  clock.advance(500);
  const again = reg.register(registration('a', { sessions: [sid(1)] }));
  assert.ok(again.ok);
  assert.equal(again.edge.status, 'up');
  assert.equal(again.edge.draining, true, 'an operator drain survives a reconnect');
  assert.equal(again.edge.dropOuts, 1);
  assert.equal(again.edge.firstRegisteredAtMs, clock.ms - 500);
  // The old link's close event arriving late must not take the new link down.
  reg.markDisconnected('a', seq);
  assert.equal(reg.get('a')?.status, 'up');
  reg.drain('a', false);
  assert.equal(reg.get('a')?.draining, false);
});

test('an enterprise edge that keeps dropping out loses SLA eligibility, and regains it after the window', () => {
  const clock = new FakeClock();
  const reg = registryWith(clock, [registration('e', { tier: 'enterprise' }), registration('c')], {
    maxDropOutsForSla: 2,
    dropOutWindowMs: 60_000,
  });
  assert.equal(reg.get('e')?.slaEligible, true);
  assert.equal(reg.get('c')?.slaEligible, false, 'community edges are never SLA-eligible');
  const rows: [number, boolean][] = [
    [1, true],
    [2, true],
    [3, false],
  ];
  for (const [dropOuts, eligible] of rows) {
    reg.markDisconnected('e');
    reg.register(registration('e', { tier: 'enterprise' }));
    assert.equal(reg.get('e')?.dropOuts, dropOuts);
    assert.equal(reg.get('e')?.slaEligible, eligible, `${dropOuts} drop-outs`);
  }
  clock.advance(61_000);
  reg.heartbeat('e', capacity(), []);
  reg.tick();
  assert.equal(reg.get('e')?.slaEligible, true, 'old drop-outs leave the window');
});

test('uptime counts from the current registration', () => {
  const clock = new FakeClock();
  const reg = registryWith(clock, [registration('a')], { heartbeatMs: 5000 });
  clock.advance(4000);
  reg.tick();
  assert.equal(reg.get('a')?.uptimeMs, 4000);
});

test('effective free slots follow the NVENC policy', () => {
  const rows: [string, Partial<EdgeCapacity>, NvencPolicy, number][] = [
    ['software encoder', { maxSessions: 4, sessionsInUse: 1 }, 'report-full', 3],
    ['nvenc, none free, fallback', { maxSessions: 4, sessionsInUse: 1, encoderKind: 'nvenc', nvencSessionsFree: 0 }, 'software-fallback', 3],
    ['nvenc, none free, report full', { maxSessions: 4, sessionsInUse: 1, encoderKind: 'nvenc', nvencSessionsFree: 0 }, 'report-full', 0],
    ['nvenc, one free, report full', { maxSessions: 4, sessionsInUse: 1, encoderKind: 'nvenc', nvencSessionsFree: 1 }, 'report-full', 1],
    ['nvenc, plenty free', { maxSessions: 4, sessionsInUse: 1, encoderKind: 'nvenc', nvencSessionsFree: 8 }, 'report-full', 3],
    ['over capacity', { maxSessions: 2, sessionsInUse: 5 }, 'software-fallback', 0],
  ];
  for (const [name, cap, policy, free] of rows) assert.equal(freeSlots(capacity(cap), policy), free, name);

  const clock = new FakeClock();
  const full = { encoderKind: 'nvenc' as const, nvencSessionsFree: 0 };
  const reg = registryWith(clock, [
    registration('strict', { nvencPolicy: 'report-full', capacity: capacity(full) }),
    registration('lenient', { capacity: capacity(full) }),
  ]);
  assert.equal(reg.get('strict')?.freeSlots, 0);
  assert.equal(reg.get('lenient')?.freeSlots, 4);
});

test('list() reflects changes and is reused while nothing changes', () => {
  const clock = new FakeClock();
  const reg = registryWith(clock, [registration('a'), registration('b')]);
  const first = reg.list();
  assert.equal(reg.list(), first);
  reg.drain('b', true);
  const second = reg.list();
  assert.notEqual(second, first);
  assert.deepEqual(
    second.map((e) => [e.edgeId, e.draining]),
    [
      ['a', false],
      ['b', true],
    ],
  );
});

test('lost edges are forgotten after forgetLostAfterMs', () => {
  const clock = new FakeClock();
  const reg = registryWith(clock, [registration('a')], { forgetLostAfterMs: 10_000 });
  clock.advance(5000);
  reg.tick();
  assert.equal(reg.get('a')?.status, 'lost');
  clock.advance(6000);
  reg.tick();
  assert.equal(reg.get('a'), undefined);
});

test('a register message can be passed as is: the fleet secret and other extra keys are not kept', () => {
  const clock = new FakeClock();
  const reg = new EdgeRegistry({ now: clock.now });
  const message = { type: 'register', secret: 'fleet-secret', ...registration('a'), extra: 1 };
  const r = reg.register(message);
  assert.ok(r.ok);
  assert.equal(JSON.stringify(r.edge).includes('fleet-secret'), false);
  assert.equal('extra' in r.edge, false);
});

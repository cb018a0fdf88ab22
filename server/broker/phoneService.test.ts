/**
 * The broker's phone service over a real FleetBroker whose edges are fakes:
 * telco provisioning and limits, tokens, instance isolation between
 * subscribers, opening (start vs. reconnect), affinity to the data edge, stop
 * and removal reaching the edge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { PhonePrepare } from '../../protocol/index.ts';
import { FleetBroker, type EdgeLinks } from './fleetBroker.ts';
import { PhoneService } from './phoneService.ts';
import type { PrepareRequest } from './edgeLinkServer.ts';
import { must } from '../../protocol/must.ts';

const logger = pino({ level: 'silent' });

function setup() {
  let now = 1_800_000_000_000;
  const prepared: Array<{ edgeId: string; req: PrepareRequest }> = [];
  const ended: Array<{ edgeId: string; sessionId: string; reason: string }> = [];
  const deleted: Array<{ edgeId: string; phone: PhonePrepare }> = [];
  const links: EdgeLinks = {
    prepare: async (edgeId, req) => (prepared.push({ edgeId, req }), { ok: true }),
    endSession: (edgeId, sessionId, reason) => void ended.push({ edgeId, sessionId, reason }),
    drain: () => true,
    disconnect: () => {},
    deletePhoneData: (edgeId, phone) => (deleted.push({ edgeId, phone }), true),
  };
  const fleet = new FleetBroker({
    catalog: [],
    builtinLink: { id: 'demo', titleId: 'paddle-demo', playSeconds: 60 },
    heartbeatMs: 1000,
    lostAfterMs: 3000,
    ticketTtlMs: 30_000,
    resumeSecret: 'resume-secret-for-tests-0123456789',
    links,
    logger,
    now: () => now,
  });
  const register = (edgeId: string, lat: number) => {
    const err = fleet.linkEvents.registered(
      {
        type: 'register',
        secret: 's',
        edgeId,
        region: edgeId,
        location: { lat, lon: 0 },
        publicUrl: `http://${edgeId}.test:8080`,
        tier: 'community',
        capacity: { maxSessions: 4, sessionsInUse: 0, encoder: 'libx264', encoderKind: 'software', nvencSessionsFree: 0 },
        sessions: [],
      },
      'ticket-key-0123456789abcdef',
    );
    assert.equal(err, undefined);
  };
  /** The edge's heartbeat saying which sessions it runs (what "still runs it" is judged by). */
  const beat = (edgeId: string, sessions: string[]) =>
    fleet.linkEvents.heartbeat(edgeId, {
      type: 'heartbeat',
      capacity: { maxSessions: 4, sessionsInUse: sessions.length, encoder: 'libx264', encoderKind: 'software', nvencSessionsFree: 0 },
      sessions,
    });
  const phone = new PhoneService({ fleet, tokenKey: 'token-key-for-tests-0123456789abcdef', logger, now: () => now });
  const advance = (ms: number) => (now += ms);
  return { fleet, phone, register, beat, prepared, ended, deleted, advance };
}

function subscriberOf(phone: PhoneService, token: string) {
  const s = phone.authenticate(token);
  assert.ok(s.ok, 'token opens its subscriber');
  return s.value;
}

function provisioned(phone: PhoneService, subscriberId: string, maxInstances = 2) {
  const p = phone.provision('telco-a', { subscriberId, maxInstances });
  assert.ok(p.ok);
  const t = phone.issueToken('telco-a', subscriberId, {}, 'http://broker.test');
  assert.ok(t.ok);
  assert.match(t.value.appUrl, /^http:\/\/broker\.test\/phone#token=/);
  return subscriberOf(phone, t.value.token);
}

test('provisioning is scoped to the telco', () => {
  const { phone } = setup();
  // A bad body never gets here: the route checks it (protocol/requestBodies.test.ts).
  assert.ok(phone.provision('telco-a', { subscriberId: 'alice', maxInstances: 2 }).ok);
  const again = phone.provision('telco-b', { subscriberId: 'alice' });
  assert.equal(again.ok || again.code, 'subscriber-exists');
  const other = phone.getSubscriber('telco-b', 'alice');
  assert.equal(other.ok || other.code, 'unknown-subscriber', "another telco's subscriber is unknown to it");
  const set = phone.updateSubscriber('telco-a', 'alice', { maxInstances: 5 });
  assert.equal(set.ok && set.value.maxInstances, 5);
  assert.deepEqual(phone.listSubscribers('telco-b'), []);
});

test('the instance limit holds, and names are per subscriber', () => {
  const { phone } = setup();
  const alice = provisioned(phone, 'alice', 2);
  const bob = provisioned(phone, 'bob', 1);
  assert.ok(phone.create(alice, { name: 'Work' }).ok);
  const dup = phone.create(alice, { name: 'work' });
  assert.equal(dup.ok || dup.code, 'name-taken');
  assert.ok(phone.create(alice, { name: 'Home' }).ok);
  const third = phone.create(alice, { name: 'Third' });
  assert.equal(third.ok || third.code, 'instance-limit');
  assert.ok(phone.create(bob, { name: 'Work' }).ok, 'the same name is fine for another subscriber');
  assert.equal(phone.home(alice).instances.length, 2);
  assert.equal(phone.home(bob).instances.length, 1);
});

test("a subscriber cannot see, open, stop or remove another subscriber's instance", () => {
  const { phone, register } = setup();
  register('edge-a', 10);
  const alice = provisioned(phone, 'alice');
  const bob = provisioned(phone, 'bob');
  const a = phone.create(alice, { name: 'A' });
  assert.ok(a.ok);
  for (const r of [phone.open(bob, a.value.instanceId, undefined), phone.stop(bob, a.value.instanceId), phone.remove(bob, a.value.instanceId)]) {
    assert.equal(r.ok || r.code, 'unknown-instance');
  }
  assert.equal(phone.home(alice).instances.length, 1, 'still there');
});

test('tokens: forged, expired and those of removed subscribers are refused', () => {
  const { phone, advance } = setup();
  phone.provision('telco-a', { subscriberId: 'alice' });
  const t = phone.issueToken('telco-a', 'alice', { ttlSeconds: 60 }, 'http://b');
  assert.ok(t.ok);
  assert.equal(phone.authenticate(t.value.token.slice(0, -2) + 'xx').ok, false);
  assert.equal(phone.authenticate(undefined).ok, false);
  advance(61_000);
  const expired = phone.authenticate(t.value.token);
  assert.equal(expired.ok || expired.code, 'token-expired');
  const fresh = phone.issueToken('telco-a', 'alice', {}, 'http://b');
  assert.ok(fresh.ok);
  assert.ok(phone.removeSubscriber('telco-a', 'alice').ok);
  assert.equal(phone.authenticate(fresh.value.token).ok, false, 'removed subscriber: token dead');
});

test('opening starts on an edge, reopening reconnects to the same session, and the data edge wins later starts', async () => {
  const { phone, fleet, register, beat, prepared, ended } = setup();
  register('edge-near', 1);
  register('edge-far', 50);
  const alice = provisioned(phone, 'alice');
  const created = phone.create(alice, { name: 'Work' });
  assert.ok(created.ok);
  const id = created.value.instanceId;

  const offer = phone.open(alice, id, undefined);
  assert.ok(offer.ok);
  const placed = await fleet.place(offer.value.placementId, { rtts: { 'edge-near': 30, 'edge-far': 5 } });
  assert.ok(placed.ok);
  assert.equal(placed.value.edgeId, 'edge-far', 'first start: lowest RTT');
  assert.equal(prepared.length, 1);
  assert.deepEqual(must(prepared[0], 'prepared[0]').req.phone, { subscriberId: 'alice', instanceId: id, dataDir: `phones/alice/${id}`, name: 'Work' });
  beat('edge-far', [placed.value.sessionId]);
  assert.equal(must(phone.home(alice).instances[0], 'phone.home(alice).instances[0]').phase, 'running');
  assert.equal(must(phone.home(alice).instances[0], 'phone.home(alice).instances[0]').connected, false, 'no app connected yet, as the edge reports');
  fleet.linkEvents.heartbeat('edge-far', {
    type: 'heartbeat',
    capacity: { maxSessions: 4, sessionsInUse: 1, encoder: 'libx264', encoderKind: 'software', nvencSessionsFree: 0 },
    sessions: [placed.value.sessionId],
    playersConnected: [placed.value.sessionId],
  });
  assert.equal(must(phone.home(alice).instances[0], 'phone.home(alice).instances[0]').connected, true);
  assert.equal(must(phone.home(alice).instances[0], 'phone.home(alice).instances[0]').edgeId, 'edge-far');

  // Reconnect within the grace period: the same session, no second start.
  const again = phone.open(alice, id, undefined);
  assert.ok(again.ok);
  assert.deepEqual(
    again.value.candidates.map((c) => c.edgeId),
    ['edge-far'],
  );
  const replaced = await fleet.place(again.value.placementId, { rtts: { 'edge-far': 5 } });
  assert.ok(replaced.ok);
  assert.equal(replaced.value.sessionId, placed.value.sessionId);
  assert.equal(prepared.length, 1, 'nothing was started again');

  // Stop: the edge is told; the session's end keeps the data edge.
  const stopped = phone.stop(alice, id);
  assert.ok(stopped.ok);
  assert.equal(stopped.value.phase, 'stopped');
  assert.deepEqual(ended.at(-1), { edgeId: 'edge-far', sessionId: placed.value.sessionId, reason: 'stopped' });
  fleet.linkEvents.sessionEnded('edge-far', placed.value.sessionId, 'stopped', 12);

  // Next start goes back to the data edge even though the other now measures faster.
  const reopen = phone.open(alice, id, undefined);
  assert.ok(reopen.ok);
  const back = await fleet.place(reopen.value.placementId, { rtts: { 'edge-near': 2, 'edge-far': 40 } });
  assert.ok(back.ok);
  assert.equal(back.value.edgeId, 'edge-far');
  assert.equal(back.value.placement.basis, 'affinity');
  assert.notEqual(back.value.sessionId, placed.value.sessionId, 'a new run of the same instance');
  assert.equal(prepared.length, 2);
});

test('an instance ended by its edge (grace expired) shows why and starts again on open', async () => {
  const { phone, fleet, register, beat } = setup();
  register('edge-a', 1);
  const alice = provisioned(phone, 'alice');
  const c = phone.create(alice, { name: 'P' });
  assert.ok(c.ok);
  const offer = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(offer.ok);
  const placed = await fleet.place(offer.value.placementId, { rtts: {} });
  assert.ok(placed.ok);
  beat('edge-a', [placed.value.sessionId]);
  fleet.linkEvents.sessionEnded('edge-a', placed.value.sessionId, 'grace-expired', 300);
  const view = must(phone.home(alice).instances[0], 'phone.home(alice).instances[0]');
  assert.equal(view.phase, 'stopped');
  assert.equal(view.lastStopReason, 'grace-expired');
  const next = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(next.ok, 'a stopped instance opens again');
});

test('removing an instance or a subscriber deletes the data on the edge that holds it', async () => {
  const { phone, fleet, register, deleted } = setup();
  register('edge-a', 1);
  const alice = provisioned(phone, 'alice', 3);
  const ids: string[] = [];
  for (const name of ['One', 'Two']) {
    const c = phone.create(alice, { name });
    assert.ok(c.ok);
    ids.push(c.value.instanceId);
    const offer = phone.open(alice, c.value.instanceId, undefined);
    assert.ok(offer.ok);
    assert.ok((await fleet.place(offer.value.placementId, { rtts: {} })).ok);
  }
  assert.ok(phone.remove(alice, ids[0]).ok);
  assert.deepEqual(
    deleted.map((d) => [d.edgeId, d.phone.instanceId]),
    [['edge-a', ids[0]]],
  );
  const gone = phone.open(alice, ids[0], undefined);
  assert.equal(gone.ok || gone.code, 'unknown-instance');
  const r = phone.removeSubscriber('telco-a', 'alice');
  assert.equal(r.ok && r.value.instancesRemoved, 1);
  assert.deepEqual(
    deleted.map((d) => d.phone.instanceId),
    ids,
  );
});

test('reopening right after the start (before any heartbeat lists it) reconnects; it never ends or moves the phone', async () => {
  const { phone, fleet, register, prepared, ended } = setup();
  register('edge-a', 1);
  register('edge-b', 2);
  const alice = provisioned(phone, 'alice');
  const c = phone.create(alice, { name: 'P' });
  assert.ok(c.ok);
  const first = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(first.ok);
  const placed = await fleet.place(first.value.placementId, { rtts: { 'edge-a': 5, 'edge-b': 50 } });
  assert.ok(placed.ok);
  const again = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(again.ok);
  assert.deepEqual(
    again.value.candidates.map((x) => x.edgeId),
    ['edge-a'],
  );
  const re = await fleet.place(again.value.placementId, { rtts: {} });
  assert.equal(re.ok && re.value.sessionId, placed.value.sessionId);
  assert.deepEqual(ended, [], 'nothing was told to stop');
  assert.equal(prepared.length, 1);
});

test('two opens at once start the instance once; the second gets the same session', async () => {
  const { phone, fleet, register, prepared } = setup();
  register('edge-a', 1);
  register('edge-b', 2);
  const alice = provisioned(phone, 'alice');
  const c = phone.create(alice, { name: 'P' });
  assert.ok(c.ok);
  const o1 = phone.open(alice, c.value.instanceId, undefined);
  const o2 = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(o1.ok && o2.ok);
  const [p1, p2] = await Promise.all([
    fleet.place(o1.value.placementId, { rtts: { 'edge-a': 5 } }),
    fleet.place(o2.value.placementId, { rtts: { 'edge-b': 5 } }),
  ]);
  assert.ok(p1.ok);
  assert.equal(prepared.length, 1, 'one start');
  // The second either waits (busy while the first is placing) or joins the first.
  if (p2.ok) assert.equal(p2.value.sessionId, p1.value.sessionId);
  else assert.equal(p2.code, 'busy');
  const o3 = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(o3.ok);
  const p3 = await fleet.place(o3.value.placementId, { rtts: {} });
  assert.equal(p3.ok && p3.value.sessionId, p1.value.sessionId, 'a later open joins it');
});

test('a phone on an edge whose link dropped waits (busy) instead of moving; a lost edge moves it and both edges are cleaned on removal', async () => {
  const { phone, fleet, register, deleted, advance } = setup();
  register('edge-a', 1);
  register('edge-b', 2);
  const alice = provisioned(phone, 'alice');
  const c = phone.create(alice, { name: 'P' });
  assert.ok(c.ok);
  const o = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(o.ok);
  const placed = await fleet.place(o.value.placementId, { rtts: { 'edge-a': 5, 'edge-b': 50 } });
  assert.equal(placed.ok && placed.value.edgeId, 'edge-a');
  fleet.linkEvents.disconnected('edge-a');
  const busy = phone.open(alice, c.value.instanceId, undefined);
  assert.equal(busy.ok || busy.code, 'busy');
  // Heartbeats stop for good: the edge is lost, the phone moves.
  advance(10_000);
  fleet.linkEvents.heartbeat('edge-b', {
    type: 'heartbeat',
    capacity: { maxSessions: 4, sessionsInUse: 0, encoder: 'libx264', encoderKind: 'software', nvencSessionsFree: 0 },
    sessions: [],
  });
  (fleet as unknown as { tick(): void }).tick();
  const moved = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(moved.ok, moved.ok ? '' : moved.message);
  const there = await fleet.place(moved.value.placementId, { rtts: { 'edge-b': 5 } });
  assert.equal(there.ok && there.value.edgeId, 'edge-b');
  assert.ok(phone.remove(alice, c.value.instanceId).ok);
  assert.deepEqual(deleted.map((d) => d.edgeId).sort(), ['edge-a', 'edge-b'], 'the copy left on the lost edge is deleted too');
});

test('stopping or removing an instance while it is being placed undoes the start when it lands', async () => {
  const { phone, fleet, register, ended, deleted } = setup();
  register('edge-a', 1);
  const alice = provisioned(phone, 'alice', 3);
  for (const action of ['stop', 'remove'] as const) {
    const c = phone.create(alice, { name: action });
    assert.ok(c.ok);
    const o = phone.open(alice, c.value.instanceId, undefined);
    assert.ok(o.ok);
    const placing = fleet.place(o.value.placementId, { rtts: {} });
    // The edge has not answered yet: the session is placing.
    if (action === 'stop') assert.ok(phone.stop(alice, c.value.instanceId).ok);
    else assert.ok(phone.remove(alice, c.value.instanceId).ok);
    const landed = await placing;
    assert.ok(landed.ok);
    assert.equal(ended.at(-1)?.sessionId, landed.value.sessionId, `${action}: the edge is told to stop it`);
    if (action === 'remove') assert.equal(deleted.at(-1)?.phone.instanceId, c.value.instanceId);
  }
});

test("a phone's session cannot be watched", async () => {
  const { phone, fleet, register } = setup();
  register('edge-a', 1);
  const alice = provisioned(phone, 'alice');
  const c = phone.create(alice, { name: 'P' });
  assert.ok(c.ok);
  const o = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(o.ok);
  const placed = await fleet.place(o.value.placementId, { rtts: {} });
  assert.ok(placed.ok);
  assert.equal(fleet.hasSession(placed.value.sessionId), false);
});

test('after a broker restart, an edge re-registering with a running phone gives it back to its subscriber', async () => {
  const { phone, fleet, prepared } = setup();
  const alice = provisioned(phone, 'alice');
  const c = phone.create(alice, { name: 'P' });
  assert.ok(c.ok);
  const sessionId = '3b241101-e2bb-4255-8caf-4136c566a962';
  const err = fleet.linkEvents.registered(
    {
      type: 'register',
      secret: 's',
      edgeId: 'edge-a',
      region: 'edge-a',
      location: { lat: 0, lon: 0 },
      publicUrl: 'http://edge-a.test:8080',
      tier: 'community',
      capacity: { maxSessions: 4, sessionsInUse: 1, encoder: 'libx264', encoderKind: 'software', nvencSessionsFree: 0 },
      sessions: [sessionId],
      phoneSessions: [{ sessionId, phone: { subscriberId: 'alice', instanceId: c.value.instanceId, dataDir: `phones/alice/${c.value.instanceId}` } }],
    },
    'ticket-key-0123456789abcdef',
  );
  assert.equal(err, undefined);
  assert.equal(must(phone.home(alice).instances[0], 'phone.home(alice).instances[0]').phase, 'running');
  const o = phone.open(alice, c.value.instanceId, undefined);
  assert.ok(o.ok);
  const placed = await fleet.place(o.value.placementId, { rtts: {} });
  assert.equal(placed.ok && placed.value.sessionId, sessionId, 'reconnects to the phone the edge still runs');
  assert.equal(prepared.length, 0, 'nothing started');
});

test('a game resumed before the broker noticed its edge died is offered the other edges too, and lands on the nearest measured one', async () => {
  const { fleet, register, beat } = setup();
  register('edge-near', 1);
  register('edge-mid', 2);
  register('edge-far', 3);
  const offer = await fleet.offer('demo', undefined);
  assert.ok(offer.ok);
  const placed = await fleet.place(offer.value.placementId, { rtts: { 'edge-near': 5, 'edge-mid': 40, 'edge-far': 120 } });
  assert.ok(placed.ok);
  assert.equal(placed.value.edgeId, 'edge-near');
  beat('edge-near', [placed.value.sessionId]);
  // The page lost edge-near; the broker still thinks it is up.
  const resume = fleet.resume(placed.value.sessionId, placed.value.resumeToken);
  assert.ok(resume.ok);
  assert.deepEqual(resume.value.candidates.map((c) => c.edgeId).sort(), ['edge-far', 'edge-mid', 'edge-near']);
  // By the time the page reports, the edge's link has closed.
  fleet.linkEvents.disconnected('edge-near');
  const moved = await fleet.place(resume.value.placementId, { rtts: { 'edge-near': null, 'edge-mid': 40, 'edge-far': 120 } });
  assert.equal(moved.ok && moved.value.edgeId, 'edge-mid');
});

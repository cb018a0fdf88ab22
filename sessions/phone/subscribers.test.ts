import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../fleet/fixtures.ts';
import { createInstance, InMemoryInstanceStore } from './instances.ts';
import { InMemorySubscriberStore, provisionSubscriber, removeSubscriber, subscriberOfTelco, updateSubscriber, subscriberSpec } from './subscribers.ts';

test('a provision request without a limit gets the default of one instance (its shape: protocol/requestBodies.test.ts)', () => {
  assert.deepEqual(subscriberSpec({ subscriberId: 'sub-1' }), { subscriberId: 'sub-1', maxInstances: 1 });
  assert.deepEqual(subscriberSpec({ subscriberId: 'sub-1', maxInstances: 7 }), { subscriberId: 'sub-1', maxInstances: 7 });
});

test('provision, list by telco, update, and another telco sees nothing', () => {
  const clock = new FakeClock();
  const store = new InMemorySubscriberStore();
  assert.ok(provisionSubscriber(store, 'telco-a', { subscriberId: 'b', maxInstances: 2 }, clock.now()).ok);
  clock.advance(1);
  assert.ok(provisionSubscriber(store, 'telco-a', { subscriberId: 'a', maxInstances: 2 }, clock.now()).ok);
  assert.ok(provisionSubscriber(store, 'telco-b', { subscriberId: 'c', maxInstances: 1 }, clock.now()).ok);
  const again = provisionSubscriber(store, 'telco-b', { subscriberId: 'a', maxInstances: 1 }, clock.now());
  assert.equal(again.ok ? 'ok' : again.code, 'subscriber-exists');
  assert.deepEqual(
    store.listByTelco('telco-a').map((s) => s.subscriberId),
    ['b', 'a'],
  );
  assert.deepEqual(
    store.listByTelco('telco-b').map((s) => s.subscriberId),
    ['c'],
  );

  const other = subscriberOfTelco(store, 'telco-b', 'a');
  const missing = subscriberOfTelco(store, 'telco-b', 'zzz');
  assert.ok(!other.ok && !missing.ok);
  assert.deepEqual(other, missing, "another telco's subscriber answers like an unknown one");
  assert.equal(updateSubscriber(store, 'telco-b', 'a', { maxInstances: 9 }).ok, false);
  const up = updateSubscriber(store, 'telco-a', 'a', { maxInstances: 9 });
  assert.ok(up.ok);
  assert.equal(store.get('a')?.maxInstances, 9);
});

test("removing a subscriber returns its instances to stop and delete, and nobody else's", () => {
  const subs = new InMemorySubscriberStore();
  const inst = new InMemoryInstanceStore();
  const a = provisionSubscriber(subs, 'telco-a', { subscriberId: 'a', maxInstances: 3 }, 1);
  const b = provisionSubscriber(subs, 'telco-a', { subscriberId: 'b', maxInstances: 3 }, 1);
  assert.ok(a.ok && b.ok);
  const a1 = createInstance(inst, a.subscriber, 'Work', 2);
  const a2 = createInstance(inst, a.subscriber, 'Home', 3);
  const b1 = createInstance(inst, b.subscriber, 'Work', 4);
  assert.ok(a1.ok && a2.ok && b1.ok);

  assert.equal(removeSubscriber(subs, inst, 'telco-b', 'a').ok, false, 'another telco cannot remove it');
  const r = removeSubscriber(subs, inst, 'telco-a', 'a');
  assert.ok(r.ok);
  assert.deepEqual(r.instances.map((i) => i.dataDir).sort(), [a1.instance.dataDir, a2.instance.dataDir].sort());
  assert.equal(subs.get('a'), undefined);
  assert.deepEqual(inst.listBySubscriber('a'), []);
  assert.equal(inst.get(a1.instance.instanceId), undefined);
  assert.deepEqual(
    inst.listBySubscriber('b').map((i) => i.instanceId),
    [b1.instance.instanceId],
  );
  const twice = removeSubscriber(subs, inst, 'telco-a', 'a');
  assert.equal(twice.ok ? 'ok' : twice.code, 'unknown-subscriber');
});

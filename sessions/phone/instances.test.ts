import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { FakeClock } from '../fleet/fixtures.ts';
import { subscriber } from './fixtures.ts';
import {
  createInstance,
  getOwnedInstance,
  InMemoryInstanceStore,
  instanceDataDir,
  instanceUsed,
  ownedBy,
  removeInstance,
  renameInstance,
  validateInstanceName,
} from './instances.ts';

test('instance names', () => {
  const rows: [string, unknown, string | undefined][] = [
    ['plain', 'Work', 'Work'],
    ['trimmed', '  Work  ', 'Work'],
    ['emoji', 'Fun 🎮', 'Fun 🎮'],
    ['40 characters', 'x'.repeat(40), 'x'.repeat(40)],
    ['40 emoji (80 UTF-16 units)', '🎮'.repeat(40), '🎮'.repeat(40)],
    ['41 characters', 'x'.repeat(41), undefined],
    ['empty', '', undefined],
    ['only spaces', '   ', undefined],
    ['newline', 'a\nb', undefined],
    ['NUL', 'a\u0000b', undefined],
    ['bidi override', 'a\u202eb', undefined],
    ['zero-width space', 'a\u200bb', undefined],
    ['line separator', 'a\u2028b', undefined],
    ['number', 42, undefined],
    ['null', null, undefined],
    ['huge', 'x'.repeat(10_000), undefined],
  ];
  for (const [name, v, want] of rows) {
    const r = validateInstanceName(v);
    assert.equal(r.ok ? r.name : undefined, want, name);
    if (!r.ok) assert.equal(r.code, 'bad-request', name);
  }
});

test('data directories come from ids only: a hostile name cannot escape', () => {
  const store = new InMemoryInstanceStore();
  const sub = subscriber('sub-1', { maxInstances: 20 });
  const hostile = ['../../etc', '../sub-2/x', '/etc/passwd', 'a/b', '..', '.', '~root', 'C:\\Windows', '%2e%2e%2f'];
  for (const [i, name] of hostile.entries()) {
    const r = createInstance(store, sub, name, i);
    assert.ok(r.ok, name);
    assert.equal(r.instance.name, name, 'the name is kept as given, for display');
    assert.match(r.instance.dataDir, /^phones\/sub-1\/[A-Za-z0-9_-]{22}$/, name);
    assert.equal(r.instance.dataDir, `phones/sub-1/${r.instance.instanceId}`);
    assert.equal(posix.normalize(r.instance.dataDir), r.instance.dataDir, name);
    assert.ok(!r.instance.dataDir.includes(name), name);
  }
  assert.throws(() => instanceDataDir('..', 'abc'));
  assert.throws(() => instanceDataDir('sub-1', '../x'));
  assert.throws(() => instanceDataDir('sub-1', ''));
});

test('instance limit and name uniqueness', () => {
  const clock = new FakeClock();
  const store = new InMemoryInstanceStore();
  const sub = subscriber('sub-1', { maxInstances: 2 });
  const a = createInstance(store, sub, 'Work', clock.now());
  assert.ok(a.ok);
  const taken = createInstance(store, sub, 'work', clock.now());
  assert.equal(taken.ok ? 'ok' : taken.code, 'name-taken', 'names compare case-insensitively');
  const wide = createInstance(store, sub, 'ｗｏｒｋ', clock.now());
  assert.equal(wide.ok ? 'ok' : wide.code, 'name-taken', 'and compatibility-insensitively');
  clock.advance(1);
  const b = createInstance(store, sub, 'Home', clock.now());
  assert.ok(b.ok);
  assert.notEqual(a.instance.instanceId, b.instance.instanceId);
  const third = createInstance(store, sub, 'Travel', clock.now());
  assert.equal(third.ok ? 'ok' : third.code, 'instance-limit');
  assert.ok(!third.ok && third.error.includes('2'));
  const bad = createInstance(store, sub, '', clock.now());
  assert.equal(bad.ok ? 'ok' : bad.code, 'bad-request', 'a bad name is reported before the limit');

  // Another subscriber may use the same name.
  assert.ok(createInstance(store, subscriber('sub-2'), 'Work', clock.now()).ok);
  assert.deepEqual(
    store.listBySubscriber('sub-1').map((i) => i.name),
    ['Work', 'Home'],
  );

  // Removing one frees a slot; lowering the limit keeps what exists but refuses more.
  assert.ok(removeInstance(store, 'sub-1', a.instance.instanceId).ok);
  assert.ok(createInstance(store, sub, 'Travel', clock.now()).ok);
  const lowered = createInstance(store, { ...sub, maxInstances: 1 }, 'More', clock.now());
  assert.equal(lowered.ok ? 'ok' : lowered.code, 'instance-limit');
  assert.equal(store.listBySubscriber('sub-1').length, 2);
});

test('rename', () => {
  const store = new InMemoryInstanceStore();
  const sub = subscriber('sub-1');
  const a = createInstance(store, sub, 'Work', 1);
  const b = createInstance(store, sub, 'Home', 2);
  assert.ok(a.ok && b.ok);
  const same = renameInstance(store, 'sub-1', a.instance.instanceId, 'WORK');
  assert.ok(same.ok, 'renaming to its own name in another case is fine');
  assert.equal(same.instance.dataDir, a.instance.dataDir, 'the data directory never follows the name');
  const clash = renameInstance(store, 'sub-1', a.instance.instanceId, 'home');
  assert.equal(clash.ok ? 'ok' : clash.code, 'name-taken');
  const bad = renameInstance(store, 'sub-1', a.instance.instanceId, 'a\nb');
  assert.equal(bad.ok ? 'ok' : bad.code, 'bad-request');
  assert.equal(store.get(a.instance.instanceId)?.name, 'WORK');
});

test("another subscriber's instance answers exactly like an unknown one", () => {
  const store = new InMemoryInstanceStore();
  const mine = createInstance(store, subscriber('sub-1'), 'Work', 1);
  assert.ok(mine.ok);
  const id = mine.instance.instanceId;
  const unknown = getOwnedInstance(store, 'sub-2', 'AAAAAAAAAAAAAAAAAAAAAA');
  const others = [
    getOwnedInstance(store, 'sub-2', id),
    ownedBy(store.get(id), 'sub-2'),
    renameInstance(store, 'sub-2', id, 'Mine now'),
    removeInstance(store, 'sub-2', id),
  ];
  assert.equal(unknown.ok ? 'ok' : unknown.code, 'unknown-instance');
  for (const r of others) assert.deepEqual(r, unknown);
  for (const junk of [undefined, null, 42, '../x', '', { id }]) assert.deepEqual(getOwnedInstance(store, 'sub-1', junk), unknown);
  assert.equal(store.get(id)?.name, 'Work', 'untouched');
  assert.ok(getOwnedInstance(store, 'sub-1', id).ok);
  assert.ok(ownedBy(store.get(id), 'sub-1').ok);
});

test('instanceUsed records the data edge and the time', () => {
  const store = new InMemoryInstanceStore();
  const r = createInstance(store, subscriber('sub-1'), 'Work', 10);
  assert.ok(r.ok);
  assert.equal(r.instance.edgeId, undefined);
  const used = instanceUsed(r.instance, 'edge-a', 50);
  assert.equal(used.edgeId, 'edge-a');
  assert.equal(used.lastUsedAtMs, 50);
  assert.equal(instanceUsed(used, 'edge-b', 40).lastUsedAtMs, 50, 'time never goes back');
  assert.equal(r.instance.edgeId, undefined, 'records are immutable');
});

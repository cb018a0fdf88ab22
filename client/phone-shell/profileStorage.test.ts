import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DurableBackend, ProfileStorage } from './profileStorage.ts';
import { MemoryStore } from './storage.ts';

class FakeDurable implements DurableBackend {
  constructor(readonly data = new Map<string, string>()) {}
  fail = false;
  loadAll() {
    return this.fail ? Promise.reject(new Error('refused')) : Promise.resolve(new Map(this.data));
  }
  put(key: string, value: string) {
    this.data.set(key, value);
  }
  delete(key: string) {
    this.data.delete(key);
  }
}

const KEYS = ['phone-shell.a', 'phone-shell.b'];

test('writes go to both sides; the durable copy is what is read back (localStorage lags on disk)', async () => {
  const durable = new FakeDurable();
  const local = new MemoryStore();
  const s = await ProfileStorage.open(durable, local, KEYS);
  s.setItem('phone-shell.a', 'new');
  assert.equal(durable.data.get('phone-shell.a'), 'new');
  assert.equal(local.getItem('phone-shell.a'), 'new');
  // The browser was killed before localStorage reached the disk: it comes back older.
  const staleLocal = new MemoryStore();
  staleLocal.setItem('phone-shell.a', 'old');
  const again = await ProfileStorage.open(durable, staleLocal, KEYS);
  assert.equal(again.getItem('phone-shell.a'), 'new');
  again.removeItem('phone-shell.a');
  assert.equal(durable.data.has('phone-shell.a'), false);
  assert.equal(staleLocal.getItem('phone-shell.a'), null);
});

test('keys only localStorage has are taken over; without a durable side localStorage alone serves', async () => {
  const local = new MemoryStore();
  local.setItem('phone-shell.b', 'from-local');
  const durable = new FakeDurable();
  const s = await ProfileStorage.open(durable, local, KEYS);
  assert.equal(s.getItem('phone-shell.b'), 'from-local');
  assert.equal(durable.data.get('phone-shell.b'), 'from-local');
  const refused = new FakeDurable();
  refused.fail = true;
  const s2 = await ProfileStorage.open(refused, local, KEYS);
  assert.equal(s2.getItem('phone-shell.b'), 'from-local');
  s2.setItem('phone-shell.a', 'x');
  assert.equal(refused.data.size, 0, 'a refused backend is not written to');
  const s3 = await ProfileStorage.open(undefined, local, KEYS);
  assert.equal(s3.getItem('phone-shell.a'), 'x');
});

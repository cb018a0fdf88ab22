import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualTimers } from './debouncer.ts';
import { NOTES_KEY, NotesStore, SAVE_DELAY_MS, noteLabel } from './notesStore.ts';
import { MemoryStore } from './storage.ts';
import { must } from '../../protocol/must.ts';

function setup(storage = new MemoryStore()) {
  const timers = new ManualTimers();
  let now = 1_000;
  let id = 0;
  const store = new NotesStore({ storage, timers, now: () => (now += 10), newId: () => `n${++id}` });
  return { storage, timers, store };
}

test('changes are saved once after a quiet time of at most 300 ms', () => {
  const { storage, timers, store } = setup();
  assert.ok((SAVE_DELAY_MS as number) <= 300);
  const n = store.create();
  for (const ch of ['H', 'He', 'Hel', 'Hell', 'Hello']) {
    store.update(n.id, { title: ch });
    timers.advance(50);
  }
  assert.equal(storage.writes, 0, 'nothing written while typing');
  timers.advance(SAVE_DELAY_MS);
  assert.equal(storage.writes, 1);
  const saved = JSON.parse(must(storage.getItem(NOTES_KEY), 'storage.getItem(NOTES_KEY)'));
  assert.equal(saved.notes[0].title, 'Hello');
});

test('flush writes a waiting change at once, and nothing when there is none', () => {
  const { storage, store } = setup();
  const n = store.create();
  store.update(n.id, { body: 'text' });
  store.flush();
  assert.equal(storage.writes, 1);
  store.flush();
  assert.equal(storage.writes, 1);
});

test('a new store on the same storage sees the notes (a browser restart with the same profile)', () => {
  const { storage, store } = setup();
  const a = store.create();
  store.update(a.id, { title: 'Shopping', body: 'milk\neggs' });
  const b = store.create();
  store.update(b.id, { body: 'second' });
  store.flush();
  const again = setup(storage).store;
  assert.equal(again.count, 2);
  assert.deepEqual(
    again.list().map((n) => [n.title, n.body]),
    [
      ['', 'second'],
      ['Shopping', 'milk\neggs'],
    ],
  );
});

test('other storage (another profile) starts empty; damaged data is survived', () => {
  assert.equal(setup().store.count, 0);
  const storage = new MemoryStore();
  storage.setItem(NOTES_KEY, '{not json');
  assert.equal(setup(storage).store.count, 0);
  storage.setItem(NOTES_KEY, JSON.stringify({ version: 1, notes: [{ id: 'x', title: 't', body: 'b', createdAt: 5 }, { id: 7 }, 'junk'] }));
  const s = setup(storage).store;
  assert.equal(s.count, 1);
  assert.equal(s.get('x')?.updatedAt, 5);
});

test('remove, removeIfEmpty, and list order by last edit', () => {
  const { store } = setup();
  const a = store.create();
  const b = store.create();
  store.update(a.id, { title: 'A' });
  assert.deepEqual(
    store.list().map((n) => n.id),
    [a.id, b.id],
  );
  assert.equal(store.removeIfEmpty(a.id), false);
  assert.equal(store.removeIfEmpty(b.id), true);
  assert.equal(store.remove(a.id), true);
  assert.equal(store.remove(a.id), false);
  assert.equal(store.count, 0);
  assert.equal(store.update('missing', { title: 'x' }), false);
});

test('listeners hear every change; a failed write is reported', () => {
  const storage = new MemoryStore();
  storage.setItem = () => {
    throw new Error('QuotaExceededError');
  };
  const { store } = setup(storage);
  let heard = 0;
  store.onChange(() => heard++);
  store.create();
  store.flush();
  assert.equal(heard, 1);
  assert.equal(store.lastSaveOk, false);
});

test('a note is listed by its title, else its first line', () => {
  assert.equal(noteLabel({ title: ' Plan ', body: 'x' }), 'Plan');
  assert.equal(noteLabel({ title: '', body: '\nfirst line\nsecond' }), 'first line');
  assert.equal(noteLabel({ title: ' ', body: '' }), 'Untitled');
});

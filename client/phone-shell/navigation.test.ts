import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AppId, Navigation } from './navigation.ts';

const roots: Record<AppId, string> = { browser: 'page', notes: 'list', phone: 'keypad', settings: 'main', latency: 'main' };
const nav = () => new Navigation((app) => ({ screen: roots[app] }));
const where = (n: Navigation) => {
  const c = n.current();
  return c.place === 'app' ? `${c.app}/${c.entry.screen}${c.entry.data ? `:${c.entry.data}` : ''}` : c.place;
};

test('back inside an app returns to its previous screen, then home', () => {
  const n = nav();
  n.open('notes');
  n.push({ screen: 'edit', data: 'n1' });
  assert.equal(where(n), 'notes/edit:n1');
  assert.equal(n.back(), 'popped');
  assert.equal(where(n), 'notes/list');
  assert.equal(n.back(), 'home');
  assert.equal(where(n), 'home');
  assert.equal(n.back(), 'none');
});

test('home keeps each app where it was; opening it again resumes there', () => {
  const n = nav();
  n.open('settings');
  n.push({ screen: 'about' });
  n.home();
  n.open('phone');
  n.open('settings');
  assert.equal(where(n), 'settings/about');
  assert.deepEqual(n.recents, ['settings', 'phone']);
});

test('recents toggles, back leaves it to where it was opened, and switching moves an app to the front', () => {
  const n = nav();
  n.open('notes');
  n.open('browser');
  n.toggleRecents();
  assert.equal(where(n), 'recents');
  assert.deepEqual(n.current().place === 'recents' && n.current(), { place: 'recents', recents: ['browser', 'notes'] });
  assert.equal(n.back(), 'left-recents');
  assert.equal(where(n), 'browser/page');
  n.toggleRecents();
  n.toggleRecents();
  assert.equal(where(n), 'browser/page');
  n.toggleRecents();
  n.open('notes');
  assert.deepEqual(n.recents, ['notes', 'browser']);
  n.home();
  n.toggleRecents();
  n.back();
  assert.equal(where(n), 'home');
});

test('closing an app forgets its screens and leaves recents coherent', () => {
  const n = nav();
  n.open('notes');
  n.push({ screen: 'edit', data: 'n1' });
  n.toggleRecents();
  n.close('notes');
  assert.deepEqual(n.recents, []);
  assert.equal(n.back(), 'left-recents');
  assert.equal(where(n), 'home', 'recents was opened from the closed app: back goes home');
  n.open('notes');
  assert.equal(where(n), 'notes/list');
  n.open('phone');
  n.closeAll();
  assert.deepEqual(n.recents, []);
  assert.equal(where(n), 'home');
});

test('push and replace only touch an open app; stacks are bounded', () => {
  const n = nav();
  n.push({ screen: 'edit' }); // at home: ignored
  n.open('browser');
  n.home();
  n.push({ screen: 'page', data: 'b' }, 'browser'); // a background page load lands in its own app
  n.push({ screen: 'page', data: 'x' }, 'notes'); // notes never opened: ignored
  n.open('browser');
  assert.equal(where(n), 'browser/page:b');
  n.replace({ screen: 'page', data: 'c' });
  assert.equal(n.back(), 'popped');
  assert.equal(where(n), 'browser/page');
  for (let i = 0; i < 200; i++) n.push({ screen: 'page', data: String(i) });
  const c = n.current();
  assert.ok(c.place === 'app' && c.depth === 50 && c.entry.data === '199');
  for (let i = 0; i < 49; i++) n.back();
  assert.equal(where(n), 'browser/page', 'the root survives trimming');
});

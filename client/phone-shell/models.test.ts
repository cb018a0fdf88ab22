/** Small pure pieces: URLs, dialler, settings, gestures, clock, address parameters. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatClock, formatDuration, msToNextMinute } from './clock.ts';
import { DialRecents, MAX_DIAL_DIGITS, MAX_DIAL_RECENTS, backspaceNumber, pressDialKey, sanitizeNumber } from './dialerModel.ts';
import { dragAxis, swipeOutcome } from './gestures.ts';
import { instanceNameFrom } from './params.ts';
import { DEFAULT_SETTINGS, SETTINGS_KEY, SettingsStore, acceptSettings } from './settingsStore.ts';
import { MemoryStore } from './storage.ts';
import { displayUrl, normalizeUrl } from './urls.ts';
import { must } from '../../protocol/must.ts';

test('typed addresses: http:// added, http(s) kept, other schemes and searches refused', () => {
  assert.deepEqual(normalizeUrl('example.com'), { ok: true, url: 'http://example.com/' });
  assert.deepEqual(normalizeUrl(' 127.0.0.1:8080/a?b=1 '), { ok: true, url: 'http://127.0.0.1:8080/a?b=1' });
  assert.deepEqual(normalizeUrl('localhost:3000'), { ok: true, url: 'http://localhost:3000/' });
  assert.deepEqual(normalizeUrl('HTTPS://Example.com/x'), { ok: true, url: 'https://example.com/x' });
  assert.deepEqual(normalizeUrl('/phone-shell/help.html', 'http://127.0.0.1:9/phone-shell/'), { ok: true, url: 'http://127.0.0.1:9/phone-shell/help.html' });
  for (const bad of ['', '   ', 'two words', 'ftp://x.org', 'file:///etc/passwd', 'javascript:alert(1)', 'http://']) {
    assert.equal(normalizeUrl(bad).ok, false, bad);
  }
  assert.equal(displayUrl('http://example.com/'), 'http://example.com');
  assert.equal(displayUrl('http://example.com/a'), 'http://example.com/a');
});

test('dialler: keypad characters only, bounded length, backspace; recents newest first without repeats', () => {
  let n = '';
  for (const k of ['1', 'a', '*', '#', '0']) n = pressDialKey(n, k);
  assert.equal(n, '1*#0');
  assert.equal(backspaceNumber(n), '1*#');
  assert.equal('9'.repeat(40).split('').reduce(pressDialKey, '').length, MAX_DIAL_DIGITS);
  assert.equal(sanitizeNumber('+33 (0)6-12'), '33061' + '2');
  const storage = new MemoryStore();
  let t = 0;
  const r = new DialRecents(storage, () => ++t);
  r.add('123');
  r.add('456');
  r.add('123');
  r.add('');
  assert.deepEqual(
    r.list().map((c) => c.number),
    ['123', '456'],
  );
  for (let i = 0; i < 30; i++) r.add(String(1000 + i));
  assert.equal(new DialRecents(storage).list().length, MAX_DIAL_RECENTS);
  assert.equal(must(new DialRecents(storage).list()[0], 'new DialRecents(storage).list()[0]').number, '1029');
});

test('settings persist, and unknown or damaged values fall back to the defaults', () => {
  const storage = new MemoryStore();
  const s = new SettingsStore(storage);
  assert.deepEqual(s.get(), DEFAULT_SETTINGS);
  const seen: string[] = [];
  s.onChange((v) => seen.push(v.theme));
  s.set({ theme: 'light', fontSize: 'large' });
  s.set({ wallpaper: 'nope' as never });
  assert.deepEqual(new SettingsStore(storage).get(), { theme: 'light', wallpaper: 'ocean', fontSize: 'large' });
  assert.deepEqual(seen, ['light', 'light']);
  storage.setItem(SETTINGS_KEY, '"x"');
  assert.deepEqual(new SettingsStore(storage).get(), DEFAULT_SETTINGS);
  assert.deepEqual(acceptSettings({ theme: 'dark', wallpaper: 'toString', fontSize: 'small' }), { theme: 'dark', wallpaper: 'ocean', fontSize: 'small' });
});

test('gestures: a drag picks its axis past the slop; a swipe closes past 35 % or on a fast flick', () => {
  assert.equal(dragAxis(4, 5), undefined);
  assert.equal(dragAxis(30, 8), 'x');
  assert.equal(dragAxis(8, 30), 'y');
  assert.equal(swipeOutcome(-200, 600, 560), 'dismiss');
  assert.equal(swipeOutcome(100, 600, 560), 'restore');
  assert.equal(swipeOutcome(100, 80, 560), 'dismiss'); // 1.25 px/ms
  assert.equal(swipeOutcome(30, 10, 560), 'restore'); // fast but too short
});

test('clock: HH:MM, wait to the next minute, call duration', () => {
  assert.equal(formatClock(new Date(2025, 0, 2, 7, 5)), '07:05');
  assert.equal(msToNextMinute(120_000), 60_000);
  assert.equal(msToNextMinute(120_001), 59_999);
  assert.equal(formatDuration(65_400), '1:05');
});

test('the instance name comes from ?name=, cleaned and bounded', () => {
  assert.equal(instanceNameFrom('?name=Work%20phone'), 'Work phone');
  assert.equal(instanceNameFrom(''), '');
  assert.equal(instanceNameFrom(`?name=${'x'.repeat(99)}%0A`).length, 40);
  assert.equal(instanceNameFrom('?name=%01a%7Fb'), 'ab');
});

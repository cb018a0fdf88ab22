import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPhonePrefs, mergePrefs, PHONE_PREFS } from './profilePrefs.ts';

test('merging keeps what Chromium wrote and sets the phone prefs deeply', () => {
  const merged = mergePrefs({ profile: { name: 'Person 1', password_manager_enabled: true }, credentials_enable_service: true, other: [1, 2] });
  assert.deepEqual(merged, {
    profile: { name: 'Person 1', password_manager_enabled: false },
    credentials_enable_service: false,
    other: [1, 2],
    autofill: { profile_enabled: false, credit_card_enabled: false },
    translate: { enabled: false },
  });
});

test('no or broken preferences: just the phone prefs', () => {
  assert.deepEqual(mergePrefs(undefined), PHONE_PREFS);
  assert.deepEqual(mergePrefs([1, 2]), PHONE_PREFS);
  assert.deepEqual(mergePrefs({ profile: 'x' }).profile, { password_manager_enabled: false });
});

test('applyPhonePrefs creates Default/Preferences, and merges into an existing one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgeplay-prefs-'));
  try {
    applyPhonePrefs(dir);
    const file = join(dir, 'Default', 'Preferences');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), PHONE_PREFS);
    writeFileSync(file, JSON.stringify({ session: { restore_on_startup: 1 }, credentials_enable_service: true }));
    applyPhonePrefs(dir);
    const again = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(again.credentials_enable_service, false);
    assert.deepEqual(again.session, { restore_on_startup: 1 });
    writeFileSync(file, '{ not json');
    applyPhonePrefs(dir);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), PHONE_PREFS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

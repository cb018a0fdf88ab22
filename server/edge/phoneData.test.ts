import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deletePhoneData, ensurePhoneData, phoneDataPath } from './phoneData.ts';
import { must } from '../../protocol/must.ts';

test('instance data lives below the root, one owner-only directory per instance', (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'phone-data-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const a = { subscriberId: 'alice', instanceId: 'i1', dataDir: 'phones/alice/i1' };
  const dir = ensurePhoneData(root, a);
  assert.equal(dir, path.join(root, 'phones', 'alice', 'i1'));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  writeFileSync(path.join(dir, 'note'), 'x');
  const b = ensurePhoneData(root, { subscriberId: 'alice', instanceId: 'i2', dataDir: 'phones/alice/i2' });
  deletePhoneData(root, a);
  assert.equal(existsSync(dir), false);
  assert.equal(existsSync(b), true, 'the other instance is untouched');
});

test('ids that are not slugs never become paths', () => {
  for (const [subscriberId, instanceId] of [
    ['..', 'x'],
    ['alice', '../../etc'],
    ['a/b', 'c'],
    ['', 'x'],
  ]) {
    assert.throws(() => phoneDataPath('/tmp/root', { subscriberId: must(subscriberId, 'subscriberId'), instanceId: must(instanceId, 'instanceId') }));
  }
});

/** The phone registry on disk: what a broker restart keeps, and an unreadable file set aside rather than lost. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createInstance, provisionSubscriber, removeInstance } from '../../sessions/index.ts';
import { PhoneStateFile } from './phoneStateFile.ts';

const logger = pino({ level: 'silent' });

test('subscribers, their instances and the token key survive a restart', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'phone-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = new PhoneStateFile(dir, logger);
  const sub = provisionSubscriber(first.subscribers, 'telco-a', { subscriberId: 'alice', maxInstances: 3 }, 1000);
  assert.ok(sub.ok);
  const a = createInstance(first.instances, sub.subscriber, 'Work', 2000);
  const b = createInstance(first.instances, sub.subscriber, 'Home', 3000);
  assert.ok(a.ok && b.ok);
  assert.ok(removeInstance(first.instances, 'alice', b.instance.instanceId).ok);
  const key = first.tokenKey();
  assert.equal(statSync(path.join(dir, 'phone-state.json')).mode & 0o777, 0o600);

  const second = new PhoneStateFile(dir, logger);
  assert.deepEqual(second.subscribers.get('alice'), sub.subscriber);
  assert.deepEqual(second.instances.listBySubscriber('alice'), [a.instance]);
  assert.equal(second.tokenKey(), key);
});

test('an unreadable registry is set aside, not overwritten, and entries that are not valid are dropped', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'phone-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'phone-state.json'), '{"version":1,"subscribers":[');
  const s = new PhoneStateFile(dir, logger);
  assert.equal(s.subscribers.listByTelco('telco-a').length, 0);
  assert.ok(
    readdirSync(dir).some((f) => f.startsWith('phone-state.json.unreadable-')),
    'the old file is kept for an operator',
  );

  writeFileSync(
    path.join(dir, 'phone-state.json'),
    JSON.stringify({
      version: 1,
      subscribers: [
        { subscriberId: '../x', telcoId: 't', maxInstances: 1, createdAtMs: 1 },
        { subscriberId: 'bob', telcoId: 't', maxInstances: 1, createdAtMs: 1 },
      ],
      instances: [{ instanceId: 'i1', subscriberId: 'bob', name: 'P', dataDir: 'phones/bob/../../etc', createdAtMs: 1, lastUsedAtMs: 1 }],
    }),
  );
  const again = new PhoneStateFile(dir, logger);
  assert.deepEqual(
    again.subscribers.listByTelco('t').map((x) => x.subscriberId),
    ['bob'],
  );
  assert.deepEqual(again.instances.listBySubscriber('bob'), [], 'an instance whose data dir is not its own is dropped');
});

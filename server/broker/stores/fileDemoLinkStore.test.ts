import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createDemoLink } from '../../../sessions/index.ts';
import { FileDemoLinkStore } from './fileDemoLinkStore.ts';

const logger = pino({ level: 'silent' });
const NOW = Date.parse('2030-01-01T00:00:00Z');

test('links, play counts and revocations survive a restart of the store', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edgeplay-links-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = new FileDemoLinkStore(dir, logger);
  const a = createDemoLink('pub-1', { titleId: 'paddle-demo', playSeconds: 60, maxPlays: 2 }, NOW);
  const b = createDemoLink('pub-1', { titleId: 'paddle-demo', playSeconds: 60 }, NOW + 1);
  await first.put(a);
  await first.put(b);
  assert.ok((await first.admitPlay(a.id, NOW)).ok);
  await first.revoke(b.id);

  const again = new FileDemoLinkStore(dir, logger);
  assert.deepEqual(
    (await again.listByPublisher('pub-1')).map((l) => l.id),
    [b.id, a.id],
  );
  assert.equal((await again.get(a.id))?.plays, 1);
  assert.ok((await again.admitPlay(a.id, NOW)).ok);
  const third = await again.admitPlay(a.id, NOW);
  assert.equal(!third.ok && third.code, 'link-used-up', 'the count went on from where it was');
  const revoked = await again.admitPlay(b.id, NOW);
  assert.equal(!revoked.ok && revoked.code, 'link-revoked', 'a revoked link stays revoked');
});

test('a corrupt record is skipped and an unreadable file is kept aside, never a crash', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edgeplay-links-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'demo-links.json');
  const good = createDemoLink('pub-1', { titleId: 'paddle-demo', playSeconds: 60 }, NOW);
  writeFileSync(file, JSON.stringify([good, { id: '../x', plays: 'many' }, 42, null]));
  const store = new FileDemoLinkStore(dir, logger);
  assert.deepEqual(
    (await store.listByPublisher('pub-1')).map((l) => l.id),
    [good.id],
  );
  writeFileSync(file, '{not json');
  const empty = new FileDemoLinkStore(dir, logger);
  assert.deepEqual(await empty.listByPublisher('pub-1'), []);
  assert.ok(readFileSync(path.join(dir, readdirSync(dir).find((f) => f.includes('unreadable')) ?? 'missing'), 'utf8').startsWith('{not json'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryUsageStore, type UsageStart } from './usage.ts';
import { sid } from './fixtures.ts';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const start = (n: number, over: Partial<UsageStart> = {}): UsageStart => ({
  sessionId: sid(n),
  publisherId: 'pub-1',
  linkId: 'link-a',
  titleId: 'paddle-demo',
  edgeId: 'eu-west-1',
  region: 'eu-west',
  tier: 'community',
  ...over,
});

test('a session is recorded from start to end and listed by publisher and link', async () => {
  const store = new InMemoryUsageStore();
  await store.start(start(1), T0);
  await store.start(start(2, { linkId: 'link-b' }), T0 + 1000);
  await store.start(start(3, { publisherId: 'pub-2', linkId: 'link-c' }), T0 + 2000);
  const ended = await store.end(sid(1), 'time-limit', 900.4, T0 + 905_000);
  assert.deepEqual(ended, {
    ...start(1),
    startedAt: '2030-01-01T00:00:00.000Z',
    endedAt: '2030-01-01T00:15:05.000Z',
    endReason: 'time-limit',
    secondsStreamed: 900,
  });
  assert.equal(await store.end(sid(1), 'user-left', 1, T0), undefined, 'ending twice changes nothing');
  assert.equal(await store.end(sid(99), 'user-left', 1, T0), undefined, 'unknown sessions are ignored');
  assert.deepEqual(
    (await store.listByPublisher('pub-1')).map((r) => r.sessionId),
    [sid(1), sid(2)],
  );
  assert.deepEqual(
    (await store.listByLink('link-b')).map((r) => r.sessionId),
    [sid(2)],
  );
  assert.deepEqual(await store.listByPublisher('nobody'), []);
  assert.equal((await store.listByLink('link-b'))[0]?.endedAt, undefined, 'still running');
});

test('a session resumed on another edge gets a second record; the first ends as edge-lost', async () => {
  const store = new InMemoryUsageStore();
  await store.start(start(1), T0);
  await store.start(start(1, { edgeId: 'eu-central-1', region: 'eu-central' }), T0 + 60_000);
  await store.end(sid(1), 'time-limit', 840, T0 + 905_000);
  const parts = await store.listBySession(sid(1));
  assert.deepEqual(
    parts.map((r) => [r.edgeId, r.endReason, r.secondsStreamed]),
    [
      ['eu-west-1', 'edge-lost', 60],
      ['eu-central-1', 'time-limit', 840],
    ],
  );
});

test('seconds streamed are cleaned: negative, NaN and absurd values', async () => {
  const rows: [number, number][] = [
    [-5, 0],
    [12.6, 13],
    [1e12, 86_400],
    [Infinity, 60],
  ];
  for (const [i, [reported, kept]] of rows.entries()) {
    const store = new InMemoryUsageStore();
    await store.start(start(i), T0);
    assert.equal((await store.end(sid(i), 'user-left', reported, T0 + 60_000))?.secondsStreamed, kept, String(reported));
  }
});

test('the store keeps only the most recent records', async () => {
  const store = new InMemoryUsageStore({ maxRecords: 3 });
  for (let i = 1; i <= 5; i++) await store.start(start(i), T0 + i);
  assert.deepEqual(
    (await store.listByPublisher('pub-1')).map((r) => r.sessionId),
    [sid(3), sid(4), sid(5)],
  );
  assert.equal(await store.end(sid(1), 'user-left', 1, T0), undefined, 'an evicted open record is gone');
  assert.ok(await store.end(sid(5), 'user-left', 1, T0));
});

test('returned records are copies: callers cannot rewrite history', async () => {
  const store = new InMemoryUsageStore();
  const r = await store.start(start(1), T0);
  r.secondsStreamed = 999;
  assert.equal((await store.listBySession(sid(1)))[0]?.secondsStreamed, 0);
});

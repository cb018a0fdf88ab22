import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  admit,
  bearerToken,
  createDemoLink,
  InMemoryDemoLinkStore,
  newLinkId,
  PublisherDirectory,
  refundPlay,
  revokeLink,
  toDemoLinkView,
  demoLinkSpec,
} from './demoLinks.ts';
import type { CreateDemoLinkRequest } from '../../protocol/index.ts';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const titleExists = (id: string) => id === 'paddle-demo';
// Shape (wrong types, ranges, unknown keys) is the wire's: protocol/requestBodies.test.ts.
const validate = (req: CreateDemoLinkRequest) => demoLinkSpec(req, { now: NOW, titleExists });

test('create requests: defaults and accepted values', () => {
  const rows: [CreateDemoLinkRequest, Record<string, unknown>][] = [
    [{ titleId: 'paddle-demo' }, { titleId: 'paddle-demo', playSeconds: 900 }],
    [
      { titleId: 'paddle-demo', playSeconds: 10 },
      { titleId: 'paddle-demo', playSeconds: 10 },
    ],
    [
      { titleId: 'paddle-demo', playSeconds: 86_400, maxPlays: 3 },
      { titleId: 'paddle-demo', playSeconds: 86_400, maxPlays: 3 },
    ],
    [
      { titleId: 'paddle-demo', expiresAt: '2030-02-01T00:00:00Z', endScreenUrl: 'https://publisher.example/buy' },
      { titleId: 'paddle-demo', playSeconds: 900, expiresAtMs: Date.parse('2030-02-01T00:00:00Z'), endScreenUrl: 'https://publisher.example/buy' },
    ],
    [
      { titleId: 'paddle-demo', expiresAt: '2030-01-02' },
      { titleId: 'paddle-demo', playSeconds: 900, expiresAtMs: Date.parse('2030-01-02') },
    ],
  ];
  for (const [body, want] of rows) {
    const r = validate(body);
    assert.ok(r.ok, JSON.stringify(body));
    assert.deepEqual(r.value, want);
  }
});

test('create requests: an unknown title or a past expiry is refused with a clear error', () => {
  const rows: [CreateDemoLinkRequest, string, RegExp][] = [
    [{ titleId: 'no-such-game' }, 'unknown-title', /no title "no-such-game"/],
    [{ titleId: 'paddle-demo', expiresAt: '2029-12-31T23:59:59Z' }, 'bad-request', /already past/],
  ];
  for (const [body, code, message] of rows) {
    const r = validate(body);
    assert.equal(r.ok, false, JSON.stringify(body));
    assert.equal(r.code, code, JSON.stringify(body));
    assert.match(r.error, message);
  }
});

test('link ids are unguessable 22-character URL-safe strings', () => {
  const ids = new Set(Array.from({ length: 1000 }, newLinkId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
});

test('admission: the 4th play of a 3-play link is refused; revoked and expired links are refused', () => {
  let link = createDemoLink('pub-1', { titleId: 'paddle-demo', playSeconds: 900, maxPlays: 3, expiresAtMs: NOW + 60_000 }, NOW);
  for (let play = 1; play <= 3; play++) {
    const r = admit(link, NOW);
    assert.ok(r.ok, `play ${play}`);
    link = r.link;
    assert.equal(link.plays, play);
  }
  const fourth = admit(link, NOW);
  assert.equal(!fourth.ok && fourth.code, 'link-used-up');
  assert.equal(admit(refundPlay(link), NOW).ok, true, 'a refunded play can be played again');

  const rows: [string, typeof link, number, string | undefined][] = [
    ['fresh', { ...link, plays: 0 }, NOW, undefined],
    ['at expiry', { ...link, plays: 0 }, NOW + 60_000, 'link-expired'],
    ['revoked', revokeLink({ ...link, plays: 0 }), NOW, 'link-revoked'],
    ['revoked wins over expired', revokeLink(link), NOW + 60_000, 'link-revoked'],
    ['expired wins over used up', link, NOW + 60_000, 'link-expired'],
    ['unlimited', { ...link, maxPlays: undefined, plays: 1e6 }, NOW, undefined],
  ];
  for (const [name, l, at, code] of rows) {
    const r = admit(l, at);
    assert.equal(r.ok ? undefined : r.code, code, name);
  }
});

test('the store lists by publisher, newest first, and admitPlay counts plays', async () => {
  const store = new InMemoryDemoLinkStore();
  const a = createDemoLink('pub-1', { titleId: 'paddle-demo', playSeconds: 900, maxPlays: 1 }, NOW);
  const b = createDemoLink('pub-1', { titleId: 'paddle-demo', playSeconds: 60 }, NOW + 1);
  const c = createDemoLink('pub-2', { titleId: 'paddle-demo', playSeconds: 60 }, NOW + 2);
  for (const l of [a, b, c]) await store.put(l);
  assert.deepEqual(
    (await store.listByPublisher('pub-1')).map((l) => l.id),
    [b.id, a.id],
  );
  assert.deepEqual(await store.listByPublisher('nobody'), []);
  assert.ok((await store.admitPlay(a.id, NOW)).ok);
  assert.equal((await store.get(a.id))?.plays, 1);
  const again = await store.admitPlay(a.id, NOW);
  assert.equal(!again.ok && again.code, 'link-used-up');
  for (const id of ['no-such-link', '../../x', '']) {
    const r = await store.admitPlay(id, NOW);
    assert.equal(!r.ok && r.code, 'unknown-link', id);
  }
});

test('the wire view has ISO dates and the play URL', () => {
  const link = createDemoLink('pub-1', { titleId: 'paddle-demo', playSeconds: 60, expiresAtMs: NOW + 1000 }, NOW);
  const v = toDemoLinkView(link, 'https://play.example/');
  assert.equal(v.url, `https://play.example/play/${link.id}`);
  assert.equal(v.createdAt, '2030-01-01T00:00:00.000Z');
  assert.equal(v.expiresAt, '2030-01-01T00:00:01.000Z');
  assert.equal('maxPlays' in v, false);
  assert.equal('publisherId' in v, false, 'the publisher id stays inside');
});

test('publishers are found by API key; wrong and garbage keys are not', () => {
  const dir = new PublisherDirectory([
    { apiKey: 'key-of-publisher-one', publisherId: 'pub-1' },
    { apiKey: 'key-of-publisher-two', publisherId: 'pub-2' },
  ]);
  const rows: [unknown, string | undefined][] = [
    ['key-of-publisher-one', 'pub-1'],
    ['key-of-publisher-two', 'pub-2'],
    ['key-of-publisher-twO', undefined],
    ['key-of-publisher-', undefined],
    ['', undefined],
    [undefined, undefined],
    [42, undefined],
    ['x'.repeat(5000), undefined],
  ];
  for (const [key, want] of rows) assert.equal(dir.authenticate(key), want, String(key).slice(0, 30));
  assert.throws(() => new PublisherDirectory([{ apiKey: 'short', publisherId: 'p' }]), /shorter than 16/);
  assert.throws(
    () =>
      new PublisherDirectory([
        { apiKey: 'same-key-for-both', publisherId: 'a' },
        { apiKey: 'same-key-for-both', publisherId: 'b' },
      ]),
    /share/,
  );
});

test('bearer tokens are read from the Authorization header', () => {
  const rows: [unknown, string | undefined][] = [
    ['Bearer abc.def', 'abc.def'],
    ['bearer   abc', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
    [['Bearer abc'], undefined],
  ];
  for (const [header, want] of rows) assert.equal(bearerToken(header), want, String(header));
});

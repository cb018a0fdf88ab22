/**
 * The session book with a fake clock: what follows each transition (usage
 * records a publisher sees, the phone service hearing of its instances) and
 * the resume grace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { DEFAULT_CATALOG, RESUME_GRACE_MS, newDemoSession, newPhoneSession, type PhoneSession } from '../../sessions/index.ts';
import { FakeClock, sid } from '../../sessions/fleet/fixtures.ts';
import { DemoLinkService } from './demoLinkService.ts';
import { SessionBook } from './sessionBook.ts';

const logger = pino({ level: 'silent' });
const edge = (edgeId: string) => ({ edgeId, region: edgeId, tier: 'community' as const });
const PHONE = { subscriberId: 'alice', instanceId: 'i-1', dataDir: 'phones/alice/i-1' };

async function setup() {
  const clock = new FakeClock();
  const demoLinks = new DemoLinkService({ catalog: DEFAULT_CATALOG, builtinLink: { id: 'demo', titleId: 'paddle-demo', playSeconds: 900 }, now: clock.now });
  const heard: string[] = [];
  const book = new SessionBook({
    usage: demoLinks,
    phoneEvents: () => ({
      placed: (s: PhoneSession, edgeId, dataMove) => void heard.push(`placed ${s.phone.instanceId} on ${edgeId}${dataMove ? ` from ${dataMove.from}` : ''}`),
      ended: (s: PhoneSession, reason) => void heard.push(`ended ${s.phone.instanceId}: ${reason}`),
    }),
    logger,
    now: clock.now,
  });
  const link = await demoLinks.create('pub', { titleId: 'paddle-demo' }, 'http://broker.test');
  assert.ok(link.ok);
  const demo = newDemoSession(sid(1), { ...link.value, publisherId: 'pub' });
  return { clock, demoLinks, book, heard, demo };
}

test('a demo moved to another edge has one usage record per edge, each with its own seconds', async () => {
  const { clock, demoLinks, book, demo } = await setup();
  book.open(demo);
  book.placedOn(demo.sessionId, edge('edge-a'), undefined);
  clock.advance(120_000);
  book.heartbeat('edge-a', [demo.sessionId], new Set([demo.sessionId]), { [demo.sessionId]: 120 });
  book.interruptOn('edge-a');
  assert.equal(book.get(demo.sessionId)?.status, 'interrupted');
  book.placedOn(demo.sessionId, edge('edge-b'), undefined);
  clock.advance(30_000);
  book.endedByEdge('edge-b', demo.sessionId, 'user-left', 30);
  const records = (await demoLinks.usageByPublisher('pub')).map((r) => [r.edgeId, r.endReason, r.secondsStreamed]);
  assert.deepEqual(records, [
    ['edge-a', 'edge-lost', 120],
    ['edge-b', 'user-left', 30],
  ]);
  assert.equal(book.get(demo.sessionId)?.status, 'ended');
});

test('the old edge ending a session that moved away is not its end', async () => {
  const { book, demoLinks, demo } = await setup();
  book.open(demo);
  book.placedOn(demo.sessionId, edge('edge-a'), undefined);
  book.interruptOn('edge-a');
  book.endedByEdge('edge-a', demo.sessionId, 'edge-lost', 5);
  assert.equal(book.get(demo.sessionId)?.status, 'interrupted');
  book.placedOn(demo.sessionId, edge('edge-b'), undefined);
  book.endedByEdge('edge-a', demo.sessionId, 'edge-lost', 5);
  assert.equal(book.get(demo.sessionId)?.status, 'running');
  assert.equal((await demoLinks.usageByPublisher('pub')).at(-1)?.endedAt, undefined, "edge-b's record is still open");
});

test('an interrupted session ends as edge-lost once its grace is over, and is then forgotten', async () => {
  const { clock, book, demo, heard } = await setup();
  const phone = newPhoneSession(sid(2), PHONE);
  for (const s of [demo, phone]) {
    book.open(s);
    book.placedOn(s.sessionId, edge('edge-a'), undefined);
  }
  book.interruptOn('edge-a');
  clock.advance(RESUME_GRACE_MS);
  book.tick();
  assert.equal(book.get(demo.sessionId)?.status, 'interrupted', 'still within the grace');
  clock.advance(1);
  book.tick();
  assert.equal(book.get(demo.sessionId), undefined);
  assert.equal(book.get(phone.sessionId), undefined);
  assert.deepEqual(heard, ['placed i-1 on edge-a', 'ended i-1: edge-lost']);
});

test('the phone service hears where its instance runs, where its data was, and why it stopped', async () => {
  const { book, heard } = await setup();
  const phone = newPhoneSession(sid(3), PHONE);
  book.open(phone);
  assert.equal(book.liveOfInstance('i-1')?.status, 'placing', 'a start in progress counts as live');
  book.placedOn(phone.sessionId, edge('edge-b'), { from: 'edge-a', to: 'edge-b', dataDir: PHONE.dataDir, sourceUp: false });
  book.endedByEdge('edge-b', phone.sessionId, 'stopped', 40);
  book.endedByEdge('edge-b', phone.sessionId, 'stopped', 40);
  assert.deepEqual(heard, ['placed i-1 on edge-b from edge-a', 'ended i-1: stopped'], 'ended once');
  assert.equal(book.liveOfInstance('i-1'), undefined);
});

test('after a broker restart, an edge re-registering gives back its phone; a known session whose edge came back runs again', async () => {
  const { book, heard, demo } = await setup();
  book.adopt('edge-a', sid(4), PHONE);
  assert.equal(book.get(sid(4))?.status, 'running');
  assert.deepEqual(heard, ['placed i-1 on edge-a']);
  book.adopt('edge-a', sid(5), undefined);
  assert.equal(book.get(sid(5))?.kind, 'demo');
  book.open(demo);
  book.placedOn(demo.sessionId, edge('edge-b'), undefined);
  book.interruptOn('edge-b');
  book.adopt('edge-b', demo.sessionId, undefined);
  assert.equal(book.get(demo.sessionId)?.status, 'running');
  assert.equal(heard.length, 1, 'no second placed for anything');
});

/**
 * The placement service over a real registry, reservation book, demo links
 * and session book, with fake edge links and a fake clock: what a page gets
 * when it plays, resumes after losing its edge, or reports too late.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { DEFAULT_CATALOG, RESUME_GRACE_MS, ReservationBook, turnPassword } from '../../sessions/index.ts';
import type { TurnRelay } from './placedSession.ts';
import { FakeClock, capacity, registration, registryWith } from '../../sessions/fleet/fixtures.ts';
import { DemoLinkService } from './demoLinkService.ts';
import type { PrepareOutcome, PrepareRequest } from './edgeLinkServer.ts';
import type { EdgeLinks } from './fleetBrokerTypes.ts';
import { PlacementService } from './placementService.ts';
import { SessionBook } from './sessionBook.ts';
import { must } from '../../protocol/must.ts';

const logger = pino({ level: 'silent' });
const SECRET = 'resume-secret-for-tests-0123456789';

function fleet(edgeIds = ['edge-a', 'edge-b', 'edge-c'], turn?: TurnRelay) {
  const clock = new FakeClock();
  const registry = registryWith(
    clock,
    edgeIds.map((id) => registration(id)),
    { lostAfterMs: 3000 },
  );
  const reservations = new ReservationBook({ registry, now: clock.now });
  const demoLinks = new DemoLinkService({ catalog: DEFAULT_CATALOG, builtinLink: { id: 'demo', titleId: 'paddle-demo', playSeconds: 900 }, now: clock.now });
  const book = new SessionBook({ usage: demoLinks, phoneEvents: () => undefined, logger, now: clock.now });
  const prepared: Array<{ edgeId: string; req: PrepareRequest }> = [];
  const ended: Array<{ edgeId: string; sessionId: string; reason: string }> = [];
  /** What each edge answers to `prepare` (default: prepared). */
  const answers = new Map<string, () => Promise<PrepareOutcome>>();
  const links: EdgeLinks = {
    prepare: (edgeId, req) => (prepared.push({ edgeId, req }), answers.get(edgeId)?.() ?? Promise.resolve({ ok: true })),
    endSession: (edgeId, sessionId, reason) => void ended.push({ edgeId, sessionId, reason }),
    drain: () => true,
    disconnect: () => {},
    deletePhoneData: () => true,
  };
  const placement = new PlacementService({
    registry,
    reservations,
    book,
    demoLinks,
    links,
    ticketKeys: new Map(edgeIds.map((id) => [id, `ticket-key-of-${id}-0123456789`])),
    videoByEdge: new Map(),
    ticketTtlMs: 30_000,
    resumeSecret: SECRET,
    ...(turn ? { turn } : {}),
    logger,
    now: clock.now,
  });
  /** A heartbeat of the edge listing the sessions it runs, with the seconds each has streamed. */
  const beat = (edgeId: string, streamed: Record<string, number>) => {
    const sessions = Object.keys(streamed);
    assert.ok(registry.heartbeat(edgeId, capacity({ sessionsInUse: sessions.length }), sessions).ok);
    book.heartbeat(edgeId, sessions, new Set(sessions), streamed);
  };
  /** Plays the link and places the session where the RTTs say. */
  const play = async (rtts: Record<string, number>, linkId = 'demo') => {
    const offer = await placement.offer(linkId, undefined, '203.0.113.7');
    assert.ok(offer.ok, offer.ok ? '' : offer.message);
    return placement.place(offer.value.placementId, { rtts });
  };
  return { clock, registry, demoLinks, book, placement, prepared, ended, answers, beat, play };
}

test('a resumed demo keeps its time: the new edge is asked for what is left, and the page is told', async () => {
  const f = fleet();
  const first = await f.play({ 'edge-a': 5, 'edge-b': 40, 'edge-c': 120 });
  assert.ok(first.ok);
  assert.equal(first.value.edgeId, 'edge-a');
  assert.equal(first.value.playSecondsRemaining, 900);
  assert.equal(f.prepared.at(-1)?.req.playSeconds, 900);
  f.clock.advance(95_000);
  f.beat('edge-a', { [first.value.sessionId]: 95 });

  // The page lost edge-a, and edge-a no longer lists the session.
  f.beat('edge-a', {});
  const offer = f.placement.resume(first.value.sessionId, first.value.resumeToken);
  assert.ok(offer.ok);
  assert.deepEqual(
    offer.value.candidates.map((c) => c.edgeId),
    ['edge-b', 'edge-c'],
    'the lost edge is not offered',
  );
  assert.deepEqual(f.ended.at(-1), { edgeId: 'edge-a', sessionId: first.value.sessionId, reason: 'edge-lost' }, 'the old edge is told to drop it');
  const moved = await f.placement.place(offer.value.placementId, { rtts: { 'edge-b': 40, 'edge-c': 120 } });
  assert.ok(moved.ok);
  assert.equal(moved.value.sessionId, first.value.sessionId);
  assert.equal(moved.value.edgeId, 'edge-b');
  assert.equal(f.prepared.at(-1)?.req.playSeconds, 805);
  assert.equal(moved.value.playSecondsRemaining, 805);
});

test('with a TURN relay, each placed player gets credentials bound to its session that last its ticket plus its play time', async () => {
  const none = await fleet().play({ 'edge-a': 5 });
  assert.ok(none.ok);
  assert.equal(none.value.iceServers, undefined, 'no relay configured: placements are as before');

  const f = fleet(['edge-a'], {
    urls: ['turn:relay.test:3478?transport=udp', 'turns:relay.test:443?transport=tcp'],
    secret: 'turn-secret-0123456789',
    ttlSeconds: 14_400,
  });
  const a = await f.play({ 'edge-a': 5 });
  const b = await f.play({ 'edge-a': 5 });
  assert.ok(a.ok && b.ok);
  const [ice] = a.value.iceServers ?? [];
  assert.ok(ice);
  assert.deepEqual(ice.urls, ['turn:relay.test:3478?transport=udp', 'turns:relay.test:443?transport=tcp']);
  const [expiry, sessionId] = ice.username.split(':');
  assert.equal(sessionId, a.value.sessionId);
  assert.equal(Number(expiry), Math.ceil(f.clock.now() / 1000) + 30 + 900, 'ticket window (30 s) plus the demo time (900 s)');
  assert.equal(ice.credential, turnPassword('turn-secret-0123456789', ice.username));
  assert.notEqual(b.value.iceServers?.[0]?.username, ice.username, "another session's credentials are its own");
});

test('a resume while the edge still runs the session offers it first, and rejoining it starts nothing', async () => {
  const f = fleet();
  const first = await f.play({ 'edge-a': 5 });
  assert.ok(first.ok);
  f.beat('edge-a', { [first.value.sessionId]: 30 });
  const offer = f.placement.resume(first.value.sessionId, first.value.resumeToken);
  assert.ok(offer.ok);
  assert.equal(offer.value.candidates[0]?.edgeId, 'edge-a');
  assert.equal(offer.value.candidates.length, 3, 'the others too, in case it just died');
  const again = await f.placement.place(offer.value.placementId, { rtts: { 'edge-a': 5 } });
  assert.ok(again.ok);
  assert.equal(again.value.placement.basis, 'affinity');
  assert.equal(again.value.playSecondsRemaining, 870);
  assert.equal(f.prepared.length, 1, 'no second prepare');
  assert.deepEqual(f.ended, []);
});

test('a forged resume token, an unknown session and an ended one are refused', async () => {
  const f = fleet();
  const first = await f.play({ 'edge-a': 5 });
  assert.ok(first.ok);
  const forged = f.placement.resume(first.value.sessionId, first.value.resumeToken.slice(0, -2) + 'xx');
  assert.equal(forged.ok || forged.code, 'unauthorized');
  f.book.endedByEdge('edge-a', first.value.sessionId, 'user-left', 10);
  const ended = f.placement.resume(first.value.sessionId, first.value.resumeToken);
  assert.equal(ended.ok || ended.code, 'session-ended');
  f.book.tick();
  const gone = f.placement.resume(first.value.sessionId, first.value.resumeToken);
  assert.equal(gone.ok || gone.code, 'unknown-session');
});

test('an edge that refuses is skipped and one that times out is told to drop the session; the third edge gets it', async () => {
  const f = fleet();
  f.answers.set('edge-a', async () => ({ ok: false, code: 'start-failed', message: 'no game' }));
  f.answers.set('edge-b', async () => ({ ok: false, code: 'timeout', message: 'no answer' }));
  const placed = await f.play({ 'edge-a': 5, 'edge-b': 10, 'edge-c': 20 });
  assert.ok(placed.ok);
  assert.equal(placed.value.edgeId, 'edge-c');
  assert.deepEqual(
    f.prepared.map((p) => p.edgeId),
    ['edge-a', 'edge-b', 'edge-c'],
  );
  assert.deepEqual(f.ended, [{ edgeId: 'edge-b', sessionId: placed.value.sessionId, reason: 'start-failed' }]);
});

test('when no edge takes a play, the page is told the fleet is busy and the play is given back to the link', async () => {
  const f = fleet();
  const link = await f.demoLinks.create('pub', { titleId: 'paddle-demo', maxPlays: 1 }, 'http://broker.test');
  assert.ok(link.ok);
  for (const id of ['edge-a', 'edge-b', 'edge-c']) f.answers.set(id, async () => ({ ok: false, code: 'no-capacity', message: 'full' }));
  const refused = await f.play({ 'edge-a': 5 }, link.value.id);
  assert.equal(refused.ok || refused.code, 'no-capacity');
  assert.equal(f.prepared.length, 3, 'three edges tried, no more');
  f.answers.clear();
  const placed = await f.play({ 'edge-a': 5 }, link.value.id);
  assert.ok(placed.ok, 'the only play of the link was refunded');
  const usedUp = await f.placement.offer(link.value.id, undefined);
  assert.equal(usedUp.ok || usedUp.code, 'link-used-up');
});

test('an offer is single use, and one reported too late is refused', async () => {
  const f = fleet();
  const offer = await f.placement.offer('demo', undefined);
  assert.ok(offer.ok);
  assert.ok((await f.placement.place(offer.value.placementId, { rtts: {} })).ok);
  const reused = await f.placement.place(offer.value.placementId, { rtts: {} });
  assert.equal(reused.ok || reused.code, 'unknown-placement');
  const late = await f.placement.offer('demo', undefined);
  assert.ok(late.ok);
  f.clock.advance(10_001);
  const expired = await f.placement.place(late.value.placementId, { rtts: {} });
  assert.equal(expired.ok || expired.code, 'placement-expired');
});

test('a session whose grace ran out while an edge prepared its resume is dropped at that edge, not revived', async () => {
  const f = fleet();
  const first = await f.play({ 'edge-a': 5 });
  assert.ok(first.ok);
  const offer = f.placement.resume(first.value.sessionId, first.value.resumeToken);
  assert.ok(offer.ok);
  let answer: (o: PrepareOutcome) => void = () => {};
  f.answers.set('edge-b', () => new Promise((resolve) => (answer = resolve)));
  const placing = f.placement.place(offer.value.placementId, { rtts: { 'edge-b': 5 } });
  f.clock.advance(RESUME_GRACE_MS + 1);
  f.book.tick();
  answer({ ok: true });
  const placed = await placing;
  assert.equal(placed.ok || placed.code, 'session-ended');
  assert.deepEqual(f.ended.at(-1), { edgeId: 'edge-b', sessionId: first.value.sessionId, reason: 'start-failed' });
  assert.equal(f.book.get(first.value.sessionId), undefined);
});

test('plays from one address are bounded while they are pending, and a failed one frees its place', async () => {
  const f = fleet();
  const offers = await Promise.all([1, 2, 3, 4].map(() => f.placement.offer('demo', undefined, '203.0.113.7')));
  assert.ok(offers.every((o) => o.ok));
  const fifth = await f.placement.offer('demo', undefined, '203.0.113.7');
  assert.equal(fifth.ok || fifth.code, 'rate-limited');
  assert.ok((await f.placement.offer('demo', undefined, '198.51.100.1')).ok, 'another address is not held back');
  for (const id of ['edge-a', 'edge-b', 'edge-c']) f.answers.set(id, async () => ({ ok: false, code: 'no-capacity', message: 'full' }));
  const failed = must(offers[0], 'offers[0]');
  assert.ok(failed.ok);
  assert.equal((await f.placement.place(failed.value.placementId, { rtts: {} })).ok, false);
  assert.ok((await f.placement.offer('demo', undefined, '203.0.113.7')).ok, 'the failed play no longer counts');
});

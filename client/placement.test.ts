import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlacedSession, PlacementOffer } from '../protocol/fleet.ts';
import { completePlacement, readPlacedSession, readPlacementOffer, requestPlacement, requestResume, safeHttpUrl } from './placement.ts';

type Call = { url: string; init: RequestInit };
const PAGE = 'http://broker.test/play/demo';
const SID = '0f8fad5b-d9cb-469f-a165-70867728950e';

const reply =
  (status: number, body: unknown, calls: Call[]) =>
  async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };

const OFFER: PlacementOffer = {
  placementId: 'pl-1',
  candidates: [
    { edgeId: 'edge-a', region: 'eu-west', probeUrl: 'http://10.0.1.2:8081/edge/probe' },
    { edgeId: 'edge-b', region: 'us-east', probeUrl: 'http://10.0.2.2:8081/edge/probe' },
  ],
  probeBudgetMs: 1000,
};

const PLACED: PlacedSession = {
  sessionId: SID,
  titleId: 'paddle-demo',
  signalUrl: `ws://10.0.1.2:8081/edge/signal?session=${SID}&ticket=abc`,
  ticket: 'abc',
  edgeId: 'edge-a',
  placement: { edgeId: 'edge-a', region: 'eu-west', basis: 'rtt', reason: 'lowest RTT (5 ms)', rttMs: 5 },
  playSecondsRemaining: 900,
  endScreenUrl: 'https://publisher.example/buy',
  resumeToken: 'rt-1',
  video: { width: 1280, height: 720, fps: 30, codec: 'H264', encoder: 'libx264' },
};

test('POST /api/play/<link>: {} without a location hint, {location} with one', async () => {
  const calls: Call[] = [];
  const r = await requestPlacement('demo', undefined, { fetch: reply(200, OFFER, calls), pageHref: PAGE });
  assert.deepEqual(r, { ok: true, value: OFFER });
  assert.equal(calls[0]?.url, '/api/play/demo');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.body, '{}');
  await requestPlacement('demo', { lat: 52.5, lon: 13.4 }, { fetch: reply(200, OFFER, calls), pageHref: PAGE });
  assert.deepEqual(JSON.parse(String(calls[1]?.init.body)), { location: { lat: 52.5, lon: 13.4 } });
});

test('refused links come back as their code, for the page to explain', async () => {
  for (const [status, code] of [
    [404, 'unknown-link'],
    [410, 'link-revoked'],
    [410, 'link-expired'],
    [410, 'link-used-up'],
    [503, 'no-capacity'],
  ] as const) {
    const r = await requestPlacement('x', undefined, { fetch: reply(status, { code, message: 'm' }, []), pageHref: PAGE });
    assert.deepEqual(r, { ok: false, error: { code, message: 'm', status } });
  }
});

test('POST /api/sessions/<id>/resume carries the resume token', async () => {
  const calls: Call[] = [];
  const r = await requestResume(SID, 'rt-1', { fetch: reply(200, OFFER, calls), pageHref: PAGE });
  assert.equal(r.ok, true);
  assert.equal(calls[0]?.url, `/api/sessions/${SID}/resume`);
  assert.deepEqual(JSON.parse(String(calls[0].init.body)), { resumeToken: 'rt-1' });
});

test('completePlacement: probes the candidates, then reports {rtts, location?} to /api/placements/<id>', async () => {
  const calls: Call[] = [];
  let probed: unknown;
  const r = await completePlacement(OFFER, { lat: 1, lon: 2 }, (rtts) => (probed = rtts), {
    fetch: reply(201, PLACED, calls),
    probe: async (candidates, budget) => {
      assert.deepEqual(candidates, OFFER.candidates);
      assert.equal(budget, 1000);
      return { 'edge-a': 5.2, 'edge-b': null };
    },
  });
  assert.deepEqual(r, { ok: true, value: PLACED });
  assert.deepEqual(probed, { 'edge-a': 5.2, 'edge-b': null });
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.url, '/api/placements/pl-1');
  assert.deepEqual(JSON.parse(String(calls[0].init.body)), { rtts: { 'edge-a': 5.2, 'edge-b': null }, location: { lat: 1, lon: 2 } });

  const noHint: Call[] = [];
  await completePlacement(OFFER, undefined, () => undefined, { fetch: reply(201, PLACED, noHint), probe: async () => ({}) });
  assert.deepEqual(JSON.parse(String(noHint[0]?.init.body)), { rtts: {} });
});

test('offers: bad candidates are dropped, relative probe URLs resolved, junk refused', () => {
  const offer = readPlacementOffer(
    {
      placementId: 'p',
      probeBudgetMs: 800,
      candidates: [
        { edgeId: 'a', region: 'r', probeUrl: '/edge/probe' },
        { edgeId: 'b', probeUrl: 'javascript:alert(1)' },
        { edgeId: '', probeUrl: 'http://x/' },
        'nonsense',
        { edgeId: 'c', probeUrl: 'https://c.example/probe' },
      ],
    },
    PAGE,
  );
  assert.deepEqual(offer, {
    placementId: 'p',
    probeBudgetMs: 800,
    candidates: [
      { edgeId: 'a', region: 'r', probeUrl: 'http://broker.test/edge/probe' },
      { edgeId: 'c', region: '', probeUrl: 'https://c.example/probe' },
    ],
  });
  assert.equal(readPlacementOffer({ candidates: [] }, PAGE), undefined);
  assert.equal(readPlacementOffer({ placementId: 'p' }, PAGE), undefined);
  assert.equal(readPlacementOffer([], PAGE), undefined);
  assert.ok(Number.isNaN(readPlacementOffer({ placementId: 'p', candidates: [] }, PAGE)?.probeBudgetMs));
});

test('placed sessions: TURN servers are passed on when well-formed, dropped whole otherwise', () => {
  const ice = [
    {
      urls: ['turn:relay.example:3478?transport=udp', 'turns:relay.example:443?transport=tcp'],
      username: `1700000600:${SID}`,
      credential: 'joC1A1oeguoMqoDoJVICGu06SaM=',
    },
  ];
  assert.deepEqual(readPlacedSession({ ...PLACED, iceServers: ice })?.iceServers, ice);
  assert.equal(readPlacedSession(PLACED)?.iceServers, undefined, 'no TURN configured: none');
  assert.equal(readPlacedSession({ ...PLACED, iceServers: [] })?.iceServers, undefined);
  assert.equal(readPlacedSession({ ...PLACED, iceServers: [{ ...ice[0], urls: ['javascript:alert(1)'] }] })?.iceServers, undefined);
  assert.equal(readPlacedSession({ ...PLACED, iceServers: [{ urls: ice[0]?.urls }] })?.iceServers, undefined, 'no credentials');
  assert.ok(readPlacedSession({ ...PLACED, iceServers: 'turn:x' }), 'a bad list does not refuse the session');
});

test('placed sessions: the essentials are required, the rest is checked or left out', () => {
  assert.deepEqual(readPlacedSession(PLACED), PLACED);
  assert.equal(readPlacedSession({ ...PLACED, sessionId: 7 }), undefined);
  assert.equal(readPlacedSession({ ...PLACED, signalUrl: '' }), undefined);
  const loose = readPlacedSession({
    sessionId: SID,
    signalUrl: 'ws://e/s',
    placement: { edgeId: 'e', basis: 'magic' },
    playSecondsRemaining: -1,
    endScreenUrl: 'javascript:alert(1)',
  });
  assert.ok(loose);
  assert.equal(loose.placement, undefined);
  assert.equal(loose.playSecondsRemaining, undefined, 'no countdown rather than a wrong one');
  assert.equal(loose.endScreenUrl, undefined);
  assert.equal(loose.resumeToken, '', 'not resumable');
  assert.equal(loose.video, undefined);
  assert.equal(readPlacedSession({ ...PLACED, playSecondsRemaining: 0 })?.playSecondsRemaining, 0);
  assert.equal(safeHttpUrl('https://p.example/x?y=1'), 'https://p.example/x?y=1');
  assert.equal(safeHttpUrl('data:text/html,hi'), undefined);
  assert.equal(safeHttpUrl('/relative'), undefined);
});

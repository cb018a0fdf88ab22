import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlacementCandidate } from '../../protocol/fleet.ts';
import { PhoneApi, isAuthFailure, readInstanceView, readPhoneHome } from './phoneApi.ts';
import { formatLastUsed, phaseLabel, phoneErrorText } from './phoneMessages.ts';

type Call = { url: string; method: string; headers: Record<string, string>; body?: string };
type Answer = { status: number; body: unknown };

/** A fetch that records every call and answers from a table of `METHOD path` → answer. */
function fakeBroker(answers: Record<string, Answer>) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const call: Call = { url, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) } };
    if (typeof init.body === 'string') call.body = init.body;
    calls.push(call);
    const a = answers[`${call.method} ${url}`];
    if (!a) return new Response('<h1>no route</h1>', { status: 404 });
    return new Response(typeof a.body === 'string' ? a.body : JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

const INSTANCE = {
  instanceId: 'i-1',
  name: 'Work',
  createdAt: '2025-01-01T00:00:00Z',
  lastUsedAt: '2025-01-02T00:00:00Z',
  phase: 'running',
  connected: false,
  edgeId: 'e1',
};
const OFFER = { placementId: 'p-1', candidates: [{ edgeId: 'e1', region: 'eu', probeUrl: 'https://edge1.example/probe' }], probeBudgetMs: 500 };
const PLACED = {
  sessionId: 's-1',
  titleId: 'cloud-phone',
  signalUrl: 'wss://edge1.example/signal?ticket=t',
  ticket: 't',
  edgeId: 'e1',
  resumeToken: 'r',
  playSecondsRemaining: 0,
  placement: { edgeId: 'e1', region: 'eu', basis: 'affinity', reason: 'data' },
};

test('every call carries the bearer token; list, create, stop and delete read their answers', async () => {
  const { fetch, calls } = fakeBroker({
    'GET /api/phone/instances': { status: 200, body: { subscriberId: 'sub', maxInstances: 3, instances: [INSTANCE, { instanceId: 'broken' }] } },
    'POST /api/phone/instances': { status: 201, body: { ...INSTANCE, instanceId: 'i-2', name: 'Games', phase: 'stopped' } },
    'POST /api/phone/instances/i-1/stop': { status: 200, body: { ...INSTANCE, phase: 'stopped', lastStopReason: 'user' } },
    'DELETE /api/phone/instances/i-1': { status: 200, body: { instanceId: 'i-1' } },
  });
  const api = new PhoneApi('tok.en', { fetch });
  const home = await api.home();
  assert.ok(home.ok);
  assert.equal(home.value.maxInstances, 3);
  assert.deepEqual(
    home.value.instances.map((i) => i.instanceId),
    ['i-1'],
    'a malformed instance is dropped, not the list',
  );
  const created = await api.create('Games');
  assert.ok(created.ok && created.value.name === 'Games');
  const stopped = await api.stop('i-1');
  assert.ok(stopped.ok && stopped.value.phase === 'stopped' && stopped.value.lastStopReason === 'user');
  assert.deepEqual(await api.remove('i-1'), { ok: true, value: 'i-1' });
  assert.ok(calls.every((c) => c.headers.authorization === 'Bearer tok.en'));
  assert.equal(calls[1]?.body, '{"name":"Games"}');
  assert.equal(calls[0]?.body, undefined, 'GET has no body');
  assert.equal(calls[3]?.method, 'DELETE');
});

test('instance ids are escaped in paths', async () => {
  const { fetch, calls } = fakeBroker({});
  await new PhoneApi('t', { fetch }).stop('a/../b');
  assert.equal(calls[0]?.url, '/api/phone/instances/a%2F..%2Fb/stop');
});

test('{code, message} refusals come back as values with their status', async () => {
  const { fetch } = fakeBroker({
    'POST /api/phone/instances': { status: 409, body: { code: 'name-taken', message: 'You already have a phone called "Work".' } },
    'POST /api/phone/instances/gone/open': { status: 404, body: { code: 'unknown-instance', message: 'No such instance.' } },
    'GET /api/phone/instances': { status: 401, body: { code: 'token-expired', message: 'The access token has expired; ask for a new one.' } },
  });
  const api = new PhoneApi('t', { fetch });
  const taken = await api.create('Work');
  assert.deepEqual(taken, { ok: false, error: { code: 'name-taken', message: 'You already have a phone called "Work".', status: 409 } });
  const gone = await api.open('gone');
  assert.ok(!gone.ok && gone.error.code === 'unknown-instance' && !isAuthFailure(gone.error));
  const expired = await api.home();
  assert.ok(!expired.ok && isAuthFailure(expired.error));
  assert.ok(isAuthFailure({ code: 'weird', message: '', status: 401 }), 'any 401 is an auth failure');
});

test('limit errors, broken answers and a dead network', async () => {
  const { fetch } = fakeBroker({
    'POST /api/phone/instances': { status: 409, body: { code: 'instance-limit', message: 'You have 3 of 3 phones.' } },
    'GET /api/phone/instances': { status: 200, body: { instances: 'nope' } },
  });
  const api = new PhoneApi('t', { fetch });
  const limit = await api.create('x');
  assert.ok(!limit.ok && limit.error.code === 'instance-limit');
  const broken = await api.home();
  assert.ok(!broken.ok && broken.error.code === 'bad-response');
  const down = await new PhoneApi('t', {
    fetch: async () => {
      throw new TypeError('fetch failed');
    },
  }).home();
  assert.ok(!down.ok && down.error.code === 'network');
});

test('open then place: the token goes to the broker, never to the probed edges', async () => {
  const { fetch, calls } = fakeBroker({
    'POST /api/phone/instances/i-1/open': { status: 200, body: OFFER },
    'POST /api/placements/p-1': { status: 201, body: PLACED },
  });
  const probed: PlacementCandidate[][] = [];
  const api = new PhoneApi('secret', {
    fetch,
    pageHref: 'https://broker.example/phone',
    probe: async (c) => {
      probed.push([...c]);
      return { e1: 12 };
    },
  });
  const offer = await api.open('i-1', { lat: 1, lon: 2 });
  assert.ok(offer.ok);
  assert.equal(calls[0]?.body, '{"location":{"lat":1,"lon":2}}');
  let seen: unknown;
  const placed = await api.place(offer.value, undefined, (r) => (seen = r));
  assert.ok(placed.ok);
  assert.equal(placed.value.signalUrl, PLACED.signalUrl);
  assert.deepEqual(seen, { e1: 12 });
  assert.equal(probed[0]?.[0]?.probeUrl, 'https://edge1.example/probe');
  const report = calls[1];
  assert.equal(report?.url, '/api/placements/p-1');
  assert.equal(report.headers.authorization, 'Bearer secret');
  assert.equal(report.headers['content-type'], 'application/json', 'the JSON headers are kept');
  assert.deepEqual(JSON.parse(report.body ?? '{}'), { rtts: { e1: 12 } });
  assert.ok(
    calls.every((c) => !c.url.includes('edge1.example')),
    'probes do not go through the authorised fetch',
  );
});

test('readers: instance views and the home', () => {
  assert.equal(readInstanceView({ ...INSTANCE, phase: 'exploded' }), undefined);
  assert.equal(readInstanceView({ ...INSTANCE, instanceId: '' }), undefined);
  assert.deepEqual(readInstanceView({ instanceId: 'x', name: '', phase: 'stopped' }), {
    instanceId: 'x',
    name: '',
    createdAt: '',
    lastUsedAt: '',
    phase: 'stopped',
  });
  assert.equal(readPhoneHome({ instances: [], maxInstances: -1 }), undefined);
  assert.equal(readPhoneHome([]), undefined);
});

test("texts: phone codes, fallback to the player texts, and the server's message as detail", () => {
  assert.equal(phoneErrorText('name-taken', '').title, 'Name already used');
  assert.equal(phoneErrorText('name-taken', 'Called "Work" already.').detail, 'Called "Work" already.');
  assert.equal(phoneErrorText('network', '').title, "Can't reach the server");
  assert.equal(phoneErrorText('mystery', '').detail, 'Error: mystery');
  assert.equal(phaseLabel({ phase: 'running', connected: true }), 'Running · in use');
  assert.equal(phaseLabel({ phase: 'stopped', lastStopReason: 'grace-expired' }), 'Stopped (left unattended)');
  const now = Date.parse('2025-03-10T12:00:00Z');
  assert.equal(formatLastUsed('2025-03-10T11:59:30Z', now), 'just now');
  assert.equal(formatLastUsed('2025-03-10T11:15:00Z', now), '45 min ago');
  assert.equal(formatLastUsed('2025-03-10T02:00:00Z', now), '10 h ago');
  assert.equal(formatLastUsed('2025-03-09T10:00:00Z', now), 'yesterday');
  assert.equal(formatLastUsed('2025-03-06T10:00:00Z', now), '4 days ago');
  assert.equal(formatLastUsed('2025-01-01T10:00:00Z', now), '2025-01-01');
  assert.equal(formatLastUsed('', now), '');
});

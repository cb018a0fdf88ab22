import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlacementCandidate } from '../protocol/fleet.ts';
import { DEFAULT_PROBE_BUDGET_MS, MAX_PROBE_BUDGET_MS, minRtt, probeBudget, probeCandidates, sampleRtts } from './probe.ts';

type Call = { url: string; init: RequestInit };

/** A fetch answering after `delayMs(url, n)` real ms (n = that URL's call number), or hanging when it returns null; aborts like the real one. */
function timedFetch(delayMs: (url: string, n: number) => number | null, calls: Call[] = [], status = 200) {
  const counts = new Map<string, number>();
  return (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    const n = counts.get(url) ?? 0;
    counts.set(url, n + 1);
    const delay = delayMs(url, n);
    if (delay !== null && delay < 0) return Promise.reject(new TypeError('Failed to fetch'));
    return new Promise((resolve, reject) => {
      const timer = delay === null ? undefined : setTimeout(() => resolve(new Response('ok', { status })), delay);
      init.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      });
    });
  };
}

test('minRtt: the fastest valid sample, rounded to 0.1 ms; null when there is none', () => {
  assert.equal(minRtt([12.34, 8.06, 9]), 8.1);
  assert.equal(minRtt([null, 40, null]), 40);
  assert.equal(minRtt([]), null);
  assert.equal(minRtt([null, null]), null);
  assert.equal(minRtt([Number.NaN, -1, Number.POSITIVE_INFINITY, 7]), 7);
  assert.equal(minRtt([0]), 0);
});

test('probeBudget: the broker figure, capped; the default when missing or absurd', () => {
  assert.equal(probeBudget(800), 800);
  assert.equal(probeBudget(60_000), MAX_PROBE_BUDGET_MS);
  for (const bad of [undefined, null, 0, -5, Number.NaN, '1000']) assert.equal(probeBudget(bad), DEFAULT_PROBE_BUDGET_MS);
});

test('sampleRtts: sequential GETs with cache no-store and CORS, each timed from request to response', async () => {
  let clock = 0;
  const rtts = [30, 10, 20];
  const calls: Call[] = [];
  const fetchImpl = async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    clock += rtts[calls.length - 1] ?? 0; // the virtual clock moves by this sample's round trip
    return new Response('');
  };
  const samples = await sampleRtts('http://e1/probe', 3, new AbortController().signal, fetchImpl, () => clock);
  assert.deepEqual(samples, [30, 10, 20]);
  assert.equal(minRtt(samples), 10, 'the first (connection set-up) sample does not count against the edge');
  assert.equal(calls.length, 3);
  for (const c of calls) {
    assert.equal(c.url, 'http://e1/probe');
    assert.equal(c.init.cache, 'no-store');
    assert.equal(c.init.mode, 'cors');
    assert.ok(c.init.signal);
  }
});

test('sampleRtts: a failure (refused, CORS, HTTP error) is null and ends the sampling', async () => {
  const refused = await sampleRtts(
    'u',
    3,
    new AbortController().signal,
    async () => Promise.reject(new TypeError('Failed to fetch')),
    () => 0,
  );
  assert.deepEqual(refused, [null]);
  let n = 0;
  const httpError = await sampleRtts(
    'u',
    3,
    new AbortController().signal,
    async () => new Response('', { status: n++ === 0 ? 200 : 502 }),
    () => 0,
  );
  assert.deepEqual(httpError, [0, null]);
  const aborted = new AbortController();
  aborted.abort();
  assert.deepEqual(
    await sampleRtts(
      'u',
      3,
      aborted.signal,
      async () => new Response(''),
      () => 0,
    ),
    [],
  );
});

test('probeCandidates: every candidate in parallel, min of 3 each, unreachable edges null', async () => {
  const calls: Call[] = [];
  const candidates: PlacementCandidate[] = [
    { edgeId: 'near', region: 'a', probeUrl: 'http://near/probe' },
    { edgeId: 'far', region: 'b', probeUrl: 'http://far/probe' },
    { edgeId: 'down', region: 'c', probeUrl: 'http://down/probe' },
  ];
  // The near edge's first request is slow (connection set-up), then fast.
  const delays: Record<string, number[]> = { 'http://near/probe': [80, 5, 5], 'http://far/probe': [60, 60, 60] };
  const started = performance.now();
  const rtts = await probeCandidates(candidates, 2000, {
    fetch: timedFetch((url, n) => (url === 'http://down/probe' ? -1 : (delays[url]?.[n] ?? 0)), calls),
  });
  const took = performance.now() - started;
  assert.deepEqual(Object.keys(rtts).sort(), ['down', 'far', 'near']);
  assert.equal(rtts.down, null);
  assert.ok(rtts.near !== null && rtts.near !== undefined && rtts.near < 50, `near ${rtts.near}`);
  assert.ok(rtts.far !== null && rtts.far !== undefined && rtts.far >= 55, `far ${rtts.far}`);
  assert.equal(calls.filter((c) => c.url === 'http://near/probe').length, 3);
  assert.equal(calls.filter((c) => c.url === 'http://far/probe').length, 3);
  assert.equal(calls.filter((c) => c.url === 'http://down/probe').length, 1);
  // In parallel: about the slowest candidate's 180 ms, not the sum of all of them, and not the budget.
  assert.ok(took < 1000, `took ${took} ms`);
});

test('probeCandidates: the budget cuts hanging probes off; samples already taken still count', async () => {
  const candidates: PlacementCandidate[] = [
    { edgeId: 'hangs', region: '', probeUrl: 'http://hangs/' },
    { edgeId: 'once', region: '', probeUrl: 'http://once/' },
    { edgeId: 'ok', region: '', probeUrl: 'http://ok/' },
  ];
  const started = performance.now();
  const rtts = await probeCandidates(candidates, 300, {
    fetch: timedFetch((url, n) => (url === 'http://hangs/' ? null : url === 'http://once/' ? (n === 0 ? 10 : null) : 10)),
  });
  const took = performance.now() - started;
  assert.equal(rtts.hangs, null);
  assert.ok(typeof rtts.once === 'number' && rtts.once >= 5, `once ${rtts.once}`);
  assert.ok(typeof rtts.ok === 'number', `ok ${rtts.ok}`);
  assert.ok(took >= 290 && took < 1000, `took ${took} ms for a 300 ms budget`);
});

test('probeCandidates: duplicate and awkward edge ids, no candidates', async () => {
  const calls: Call[] = [];
  const rtts = await probeCandidates(
    [
      { edgeId: 'constructor', region: '', probeUrl: 'http://x/1' },
      { edgeId: 'constructor', region: '', probeUrl: 'http://x/2' },
      { edgeId: '__proto__', region: '', probeUrl: 'http://x/3' },
    ],
    500,
    { fetch: timedFetch(() => 1, calls) },
  );
  assert.deepEqual(Object.keys(rtts).sort(), ['__proto__', 'constructor']);
  assert.equal(typeof rtts.constructor, 'number');
  assert.equal(calls.filter((c) => c.url === 'http://x/2').length, 0, 'the first entry for an edge wins');
  assert.equal(JSON.parse(JSON.stringify(rtts)).__proto__ !== undefined, true, 'survives JSON for the report');
  assert.deepEqual(await probeCandidates([], 500, { fetch: timedFetch(() => 1) }), {});
});

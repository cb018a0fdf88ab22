import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EdgeTier, GeoPoint } from '../../protocol/index.ts';
import type { EdgeView } from './edgeRegistry.ts';
import { edgeView, type EdgeSpec } from './edgeFixture.ts';
import { candidatesFor, chooseEdge, sanitizeRttMs, type PlacementRequest } from './placement.ts';
import { haversineKm as haversine } from './geo.ts';

const PARIS: GeoPoint = { lat: 48.86, lon: 2.35 };
const FRANKFURT: GeoPoint = { lat: 50.11, lon: 8.68 };
const VIRGINIA: GeoPoint = { lat: 38.9, lon: -77.04 };
const TOKYO: GeoPoint = { lat: 35.68, lon: 139.69 };

type Spec = Omit<EdgeSpec, 'at'> & { at?: GeoPoint };
/** Edges default to Paris in these tables. */
const edge = (s: Spec): EdgeView => edgeView({ ...s, at: s.at ?? PARIS });

const WEST = edge({ id: 'eu-west', at: PARIS });
const CENTRAL = edge({ id: 'eu-central', at: FRANKFURT });
const EAST = edge({ id: 'us-east', at: VIRGINIA });
const THREE = [WEST, CENTRAL, EAST];
const ALL: EdgeTier[] = ['enterprise', 'community'];
const rtts3 = { 'eu-west': 5, 'eu-central': 40, 'us-east': 120 };

type Row = { name: string; edges: EdgeView[]; req: Partial<PlacementRequest>; want: string | undefined; basis?: string; order?: string[] };

const rows: Row[] = [
  { name: 'lowest RTT wins', edges: THREE, req: { rtts: rtts3 }, want: 'eu-west', basis: 'rtt', order: ['eu-central', 'us-east'] },
  {
    name: 'RTT beats geography',
    edges: THREE,
    req: { rtts: { 'eu-west': 90, 'us-east': 20 }, location: PARIS },
    want: 'us-east',
    basis: 'rtt',
    order: ['eu-west', 'eu-central'],
  },
  { name: 'full edge skipped', edges: [edge({ id: 'eu-west', used: 10 }), CENTRAL, EAST], req: { rtts: rtts3 }, want: 'eu-central', basis: 'rtt' },
  {
    name: 'RTT tie within 2 ms breaks on load',
    edges: [edge({ id: 'a', used: 8 }), edge({ id: 'b', used: 2 }), edge({ id: 'c', used: 0 })],
    req: { rtts: { a: 10, b: 11.5, c: 30 } },
    want: 'b',
    basis: 'rtt',
    order: ['a', 'c'],
  },
  { name: 'RTT gap over 2 ms is not a tie', edges: [edge({ id: 'a', used: 8 }), edge({ id: 'b', used: 0 })], req: { rtts: { a: 10, b: 12.5 } }, want: 'a' },
  { name: 'exact tie and equal load: stable by id', edges: [edge({ id: 'b' }), edge({ id: 'a' })], req: { rtts: { a: 7, b: 7 } }, want: 'a' },
  {
    name: 'unmeasured edges rank after measured ones',
    edges: THREE,
    req: { rtts: { 'us-east': 120 }, location: PARIS },
    want: 'us-east',
    basis: 'rtt',
    order: ['eu-west', 'eu-central'],
  },
  {
    name: 'no RTT: nearest by distance',
    edges: THREE,
    req: { rtts: {}, location: { lat: 50, lon: 8 } },
    want: 'eu-central',
    basis: 'distance',
    order: ['eu-west', 'us-east'],
  },
  {
    name: 'no RTT, no location: least loaded',
    edges: [edge({ id: 'a', used: 5 }), edge({ id: 'b', used: 1 }), edge({ id: 'c', used: 3 })],
    req: { rtts: {} },
    want: 'b',
    basis: 'load',
    order: ['c', 'a'],
  },
  { name: 'no capacity anywhere', edges: [edge({ id: 'a', used: 10 }), edge({ id: 'b', max: 0 })], req: { rtts: { a: 1, b: 1 } }, want: undefined },
  { name: 'no edges', edges: [], req: { rtts: {} }, want: undefined },
  { name: 'draining edge skipped', edges: [edge({ id: 'eu-west', draining: true }), CENTRAL], req: { rtts: rtts3 }, want: 'eu-central' },
  {
    name: 'lost and disconnected edges skipped',
    edges: [edge({ id: 'eu-west', status: 'lost' }), edge({ id: 'eu-central', status: 'disconnected' }), EAST],
    req: { rtts: rtts3 },
    want: 'us-east',
  },
  {
    name: 'tier not allowed',
    edges: [edge({ id: 'eu-west', tier: 'community' }), edge({ id: 'us-east', tier: 'enterprise' })],
    req: { rtts: rtts3, allowedTiers: ['enterprise'] },
    want: 'us-east',
  },
  {
    name: 'SLA required: only SLA-eligible enterprise edges',
    edges: [edge({ id: 'eu-west', tier: 'enterprise', sla: false }), edge({ id: 'eu-central', tier: 'enterprise', sla: true }), edge({ id: 'us-east' })],
    req: { rtts: rtts3, slaRequired: true },
    want: 'eu-central',
    order: [],
  },
  {
    name: 'SLA required, none eligible',
    edges: [edge({ id: 'eu-west', tier: 'enterprise', sla: false })],
    req: { rtts: rtts3, slaRequired: true },
    want: undefined,
  },
  { name: 'excluded edge (lost or refused) skipped', edges: THREE, req: { rtts: rtts3, exclude: ['eu-west'] }, want: 'eu-central', order: ['us-east'] },
  {
    name: 'affinity wins when eligible',
    edges: THREE,
    req: { rtts: rtts3, preferEdgeId: 'us-east' },
    want: 'us-east',
    basis: 'affinity',
    order: ['eu-west', 'eu-central'],
  },
  {
    name: 'affinity ignored when the edge is full',
    edges: [WEST, edge({ id: 'us-east', used: 10 })],
    req: { rtts: rtts3, preferEdgeId: 'us-east' },
    want: 'eu-west',
    basis: 'rtt',
  },
  {
    name: 'reservations in flight use up the last slot',
    edges: [edge({ id: 'eu-west', used: 9 }), CENTRAL],
    req: { rtts: rtts3, reservedOn: (id) => (id === 'eu-west' ? 1 : 0) },
    want: 'eu-central',
  },
  {
    name: 'garbage RTTs never win nor crash',
    edges: [edge({ id: 'a' }), edge({ id: 'b' }), edge({ id: 'c' }), edge({ id: 'd' }), edge({ id: 'e' }), edge({ id: 'f', used: 0 }), edge({ id: 'g' })],
    req: { rtts: { a: -1, b: Number.NaN, c: Infinity, d: 1e9, e: '3' as unknown as number, f: 80, g: null } },
    want: 'f',
    basis: 'rtt',
  },
  { name: 'RTT map that is not an object', edges: THREE, req: { rtts: 'fast' as unknown as Record<string, number> }, want: 'eu-central', basis: 'load' },
  {
    name: 'garbage location ignored',
    edges: [edge({ id: 'a', used: 3 }), edge({ id: 'b', used: 1 })],
    req: { rtts: {}, location: { lat: 1000, lon: 0 } },
    want: 'b',
    basis: 'load',
  },
  {
    name: '__proto__ keys are just unknown edges',
    edges: THREE,
    req: { rtts: JSON.parse('{"__proto__": 0, "constructor": 0, "us-east": 9}') as Record<string, number> },
    want: 'us-east',
  },
];

for (const row of rows) {
  test(`placement: ${row.name}`, () => {
    const d = chooseEdge(row.edges, { allowedTiers: ALL, rtts: {}, ...row.req });
    assert.equal(d?.edgeId, row.want, row.name);
    if (row.basis) assert.equal(d?.basis, row.basis, row.name);
    if (row.order)
      assert.deepEqual(
        d?.fallbacks.map((f) => f.edgeId),
        row.order,
        row.name,
      );
    if (d) {
      assert.ok(!d.fallbacks.some((f) => f.edgeId === d.edgeId), `${row.name}: the chosen edge is not its own fallback`);
      assert.ok(d.reason.length > 0, row.name);
    }
  });
}

test('the decision says why, in words and numbers', () => {
  const d = chooseEdge(THREE, { allowedTiers: ALL, rtts: rtts3 });
  assert.equal(d?.reason, 'lowest RTT 5 ms of 3 edges (eu-west 5 ms, eu-central 40 ms, us-east 120 ms)');
  assert.equal(d.rttMs, 5);
  const geo = chooseEdge(THREE, { allowedTiers: ALL, rtts: {}, location: PARIS });
  assert.equal(geo?.basis, 'distance');
  assert.equal(geo.distanceKm, 0);
  assert.match(geo.reason, /^no RTT measured; nearest at 0 km of 3 edges \(eu-west 0 km, eu-central \d+ km, us-east \d+ km\)$/);
  const tie = chooseEdge([edge({ id: 'a', used: 8 }), edge({ id: 'b', used: 2 })], { allowedTiers: ALL, rtts: { a: 10, b: 11 } });
  assert.match(tie?.reason ?? '', /tie within 2 ms broken on load 20%/);
});

test('RTT values are sanitized', () => {
  const rows: [unknown, number | undefined][] = [
    [0, 0],
    [12.5, 12.5],
    [60_000, 60_000],
    [60_001, undefined],
    [-0.1, undefined],
    [Number.NaN, undefined],
    [Infinity, undefined],
    ['5', undefined],
    [null, undefined],
    [undefined, undefined],
  ];
  for (const [v, want] of rows) assert.equal(sanitizeRttMs(v), want, String(v));
});

test('probe candidates: eligible only, nearest first, two per region before more, capped', () => {
  const edges = [
    edge({ id: 'par-1', region: 'eu-west', at: PARIS }),
    edge({ id: 'par-2', region: 'eu-west', at: { lat: 48.9, lon: 2.4 } }),
    edge({ id: 'par-3', region: 'eu-west', at: { lat: 48.95, lon: 2.45 } }),
    edge({ id: 'fra-1', region: 'eu-central', at: FRANKFURT }),
    edge({ id: 'fra-full', region: 'eu-central', at: FRANKFURT, used: 10 }),
    edge({ id: 'iad-1', region: 'us-east', at: VIRGINIA }),
    edge({ id: 'tyo-1', region: 'ap-ne', at: TOKYO, draining: true }),
  ];
  const near = candidatesFor(edges, { allowedTiers: ALL, location: PARIS }, 8).map((e) => e.edgeId);
  assert.deepEqual(near, ['par-1', 'par-2', 'fra-1', 'iad-1', 'par-3']);
  assert.deepEqual(
    candidatesFor(edges, { allowedTiers: ALL, location: PARIS }, 3).map((e) => e.edgeId),
    ['par-1', 'par-2', 'fra-1'],
  );
  const anywhere = candidatesFor(edges, { allowedTiers: ALL }, 3).map((e) => e.edgeId);
  assert.equal(new Set(anywhere.map((id) => edges.find((e) => e.edgeId === id)?.region)).size, 3, 'one per region without a location');
  assert.deepEqual(
    candidatesFor(edges, { allowedTiers: ALL, location: PARIS, exclude: ['par-1'] }, 2).map((e) => e.edgeId),
    ['par-2', 'par-3'],
  );
  assert.deepEqual(candidatesFor(edges, { allowedTiers: ['enterprise'] }), []);
});

test('fallbacks are the next best edges, capped, as a full sort would order them', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const many = Array.from({ length: 300 }, (_, i) =>
    edge({ id: `e${String(i).padStart(3, '0')}`, region: `r${i % 7}`, at: { lat: rand() * 120 - 60, lon: rand() * 340 - 170 }, used: Math.floor(rand() * 11) }),
  );
  const rtts = { e010: 30, e020: 31, e030: 90, e040: 'x' as unknown as number };
  for (const location of [PARIS, undefined]) {
    const d = chooseEdge(many, { allowedTiers: ALL, rtts, ...(location ? { location } : {}), maxFallbacks: 5 });
    const free = many.filter((e) => e.freeSlots > 0);
    const unmeasured = free
      .filter((e) => !['e010', 'e020', 'e030'].includes(e.edgeId))
      .map((e) => ({ id: e.edgeId, d: location ? haversine(location, e.location) : 0, load: e.capacity.sessionsInUse / 10 }))
      .sort((a, b) => a.d - b.d || a.load - b.load || (a.id < b.id ? -1 : 1));
    const measuredOrder = ['e010', 'e020', 'e030'].filter((id) => free.some((e) => e.edgeId === id));
    const expected = [...measuredOrder, ...unmeasured.map((u) => u.id)];
    // e010 and e020 are 1 ms apart, a tie: the less loaded of the two leads.
    const [a, b] = ['e010', 'e020'].map((id) => many.find((e) => e.edgeId === id)?.capacity.sessionsInUse ?? 0);
    if ((b ?? 0) < (a ?? 0) && measuredOrder[0] === 'e010' && measuredOrder[1] === 'e020') expected.splice(0, 2, 'e020', 'e010');
    assert.deepEqual([d?.edgeId, ...(d?.fallbacks.map((f) => f.edgeId) ?? [])], expected.slice(0, 6), `location ${location ? 'known' : 'unknown'}`);
    assert.match(d?.reason ?? '', new RegExp(`of ${free.length} edges`));
  }
});

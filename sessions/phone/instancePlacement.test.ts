import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GeoPoint } from '../../protocol/index.ts';
import type { EdgeView } from '../fleet/edgeRegistry.ts';
import { edgeView } from '../fleet/edgeFixture.ts';
import { placeInstance } from './instancePlacement.ts';

const PARIS: GeoPoint = { lat: 48.86, lon: 2.35 };
const FRANKFURT: GeoPoint = { lat: 50.11, lon: 8.68 };
const TOKYO: GeoPoint = { lat: 35.68, lon: 139.69 };
const DIR = 'phones/sub-1/AAAAAAAAAAAAAAAAAAAAAA';

const edge = (edgeId: string, at: GeoPoint, o: { used?: number; status?: EdgeView['status']; draining?: boolean } = {}): EdgeView =>
  edgeView({ id: edgeId, at, max: 4, sla: false, ...o });

const request = { allowedTiers: ['community' as const], rtts: {}, location: PARIS };

test('a new instance goes to the nearest edge, with no data to move', () => {
  const r = placeInstance([edge('tokyo', TOKYO), edge('paris', PARIS)], { dataDir: DIR }, request);
  assert.ok(r.ok);
  assert.equal(r.placement.edgeId, 'paris');
  assert.equal(r.dataMove, undefined);
});

test('an instance goes back to the edge holding its data, even when another is nearer', () => {
  const r = placeInstance([edge('paris', PARIS), edge('frankfurt', FRANKFURT, { used: 3 })], { edgeId: 'frankfurt', dataDir: DIR }, request);
  assert.ok(r.ok);
  assert.equal(r.placement.edgeId, 'frankfurt');
  assert.equal(r.placement.basis, 'affinity');
  assert.equal(r.dataMove, undefined);
});

test('the data edge down: nearest edge, and the data must move (source unreachable)', () => {
  for (const status of ['lost', 'disconnected'] as const) {
    const r = placeInstance([edge('paris', PARIS, { status }), edge('frankfurt', FRANKFURT), edge('tokyo', TOKYO)], { edgeId: 'paris', dataDir: DIR }, request);
    assert.ok(r.ok, status);
    assert.equal(r.placement.edgeId, 'frankfurt', status);
    assert.deepEqual(r.dataMove, { from: 'paris', to: 'frankfurt', dataDir: DIR, sourceUp: false }, status);
  }
  const gone = placeInstance([edge('frankfurt', FRANKFURT)], { edgeId: 'paris', dataDir: DIR }, request);
  assert.ok(gone.ok);
  assert.deepEqual(gone.dataMove, { from: 'paris', to: 'frankfurt', dataDir: DIR, sourceUp: false }, 'an edge no longer registered');
});

test('the data edge up but full or draining: the data can be copied from it', () => {
  for (const o of [{ used: 4 }, { draining: true }]) {
    const r = placeInstance([edge('paris', PARIS, o), edge('frankfurt', FRANKFURT)], { edgeId: 'paris', dataDir: DIR }, request);
    assert.ok(r.ok);
    assert.deepEqual(r.dataMove, { from: 'paris', to: 'frankfurt', dataDir: DIR, sourceUp: true });
  }
});

test('no edge at all', () => {
  const r = placeInstance([edge('paris', PARIS, { used: 4 })], { edgeId: 'paris', dataDir: DIR }, request);
  assert.equal(r.ok ? 'ok' : r.code, 'no-capacity');
  assert.ok(!r.ok && r.error.length > 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEdgeToBroker, parseBrokerToEdge, parsePlacementReport } from './fleetMessages.ts';
import type { EdgeToBroker } from './fleetMessages.ts';

const sid = '3b241101-e2bb-4255-8caf-4136c566a962';
const capacity = { maxSessions: 8, sessionsInUse: 1, encoder: 'libx264', encoderKind: 'software', nvencSessionsFree: 0 } as const;
const register: EdgeToBroker = {
  type: 'register',
  secret: 's3cret',
  edgeId: 'eu-west-1',
  region: 'eu-west',
  location: { lat: 53.3, lon: -6.2 },
  publicUrl: 'http://10.0.0.1:8081',
  tier: 'community',
  capacity,
  sessions: [sid],
  video: { width: 1280, height: 720, fps: 60, codec: 'H264', encoder: 'libx264' },
};

test('edge messages round-trip', () => {
  const msgs: EdgeToBroker[] = [
    register,
    { type: 'heartbeat', capacity, sessions: [], streamedSeconds: { [sid]: 12.5 } },
    { type: 'heartbeat', capacity, sessions: [sid], playersConnected: [sid] },
    { type: 'prepared', requestId: 'r1', ok: true },
    { type: 'prepared', requestId: 'r2', ok: false, code: 'no-capacity', message: 'full' },
    { type: 'session-ended', sessionId: sid, reason: 'time-limit', secondsStreamed: 60 },
  ];
  for (const m of msgs) assert.deepEqual(parseEdgeToBroker(JSON.stringify(m)), { ok: true, value: m });
});

test('malformed registrations and heartbeats are refused with a reason', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ ...register, capacity: { ...capacity, maxSessions: -1 } }, /maxSessions/],
    [{ ...register, capacity: { ...capacity, maxSessions: 1e9 } }, /maxSessions/],
    [{ ...register, capacity: { ...capacity, sessionsInUse: 1.5 } }, /sessionsInUse/],
    [{ ...register, location: { lat: 200, lon: 0 } }, /location/],
    [{ ...register, edgeId: '../../x' }, /edgeId/],
    [{ ...register, publicUrl: 'javascript:alert(1)' }, /publicUrl/],
    [{ ...register, tier: 'gold' }, /tier/],
    [{ ...register, sessions: ['nope'] }, /sessions/],
    [{ ...register, secret: '' }, /secret/],
    [{ ...register, video: { width: 1280, height: 720, fps: 60, codec: 'AV2', encoder: 'x' } }, /video/],
    [{ type: 'heartbeat', capacity, sessions: [], streamedSeconds: { nope: 1 } }, /streamedSeconds/],
    [{ type: 'heartbeat' }, /capacity/],
    [{ type: 'prepared', requestId: 'r', ok: false, code: 'whatever' }, /code/],
    [{ type: 'launch-missiles' }, /unknown/],
  ];
  for (const [msg, why] of cases) {
    const r = parseEdgeToBroker(JSON.stringify(msg));
    assert.equal(r.ok, false, JSON.stringify(msg).slice(0, 80));
    assert.match(r.error, why);
  }
  assert.equal(parseEdgeToBroker('"hello"').ok, false);
  assert.equal(parseEdgeToBroker('{').ok, false);
  assert.equal(parseEdgeToBroker('x'.repeat(300_000)).ok, false);
});

test('malformed registrations are refused with a message naming the field', () => {
  const rows: [string, unknown, RegExp][] = [
    ['negative capacity', { ...register, capacity: { ...capacity, maxSessions: -1 } }, /maxSessions.*-1/],
    ['fractional capacity', { ...register, capacity: { ...capacity, maxSessions: 2.5 } }, /maxSessions/],
    ['absurd capacity', { ...register, capacity: { ...capacity, maxSessions: 10_001 } }, /maxSessions.*10001/],
    ['NaN in use', { ...register, capacity: { ...capacity, sessionsInUse: Number.NaN } }, /sessionsInUse/],
    ['string nvenc free', { ...register, capacity: { ...capacity, nvencSessionsFree: '3' } }, /nvencSessionsFree/],
    ['unknown encoder kind', { ...register, capacity: { ...capacity, encoderKind: 'quantum' } }, /encoderKind/],
    ['encoder name over 64', { ...register, capacity: { ...capacity, encoder: 'x'.repeat(65) } }, /capacity\.encoder/],
    ['no capacity', { ...register, capacity: null }, /capacity must be an object/],
    ['latitude 91', { ...register, location: { lat: 91, lon: 0 } }, /lat/],
    ['location as string', { ...register, location: '48,2' }, /location/],
    ['edge id with a slash', { ...register, edgeId: 'a/b' }, /edgeId/],
    ['empty region', { ...register, region: '' }, /region/],
    ['region not a slug', { ...register, region: 'eu west' }, /region must be 1\.\.64 of/],
    ['ftp public URL', { ...register, publicUrl: 'ftp://x' }, /publicUrl must be http/],
    ['not a URL', { ...register, publicUrl: 'edge one' }, /publicUrl is not a URL/],
    ['unknown tier', { ...register, tier: 'gold' }, /tier/],
    ['sessions not ids', { ...register, sessions: ['x'] }, /sessions.*"x"/],
    ['heartbeat sessions not a list', { type: 'heartbeat', capacity, sessions: 'all' }, /sessions/],
    ['heartbeat absurd capacity', { type: 'heartbeat', capacity: { ...capacity, maxSessions: 1e9 }, sessions: [] }, /maxSessions/],
  ];
  for (const [name, msg, message] of rows) {
    const r = parseEdgeToBroker(JSON.stringify(msg));
    assert.equal(r.ok, false, name);
    assert.match(r.error, message, name);
  }
});

test('broker messages are checked by the edge', () => {
  assert.deepEqual(parseBrokerToEdge(JSON.stringify({ type: 'drain', draining: true })), { ok: true, value: { type: 'drain', draining: true } });
  assert.equal(parseBrokerToEdge(JSON.stringify({ type: 'prepare', requestId: 'r', sessionId: 'x', titleId: 't', playSeconds: 1, deadlineMs: 1 })).ok, false);
});

test('garbage RTTs become unmeasured instead of winning or failing', () => {
  const r = parsePlacementReport({ rtts: { a: 5, b: -3, c: 'fast', d: 1e9, e: null, 'bad id!': 1 } });
  assert.deepEqual(r, { ok: true, value: { rtts: { a: 5, b: null, c: null, d: null, e: null } } });
  assert.equal(parsePlacementReport('rtts').ok, false);
  assert.equal(parsePlacementReport({ rtts: [] }).ok, false);
  assert.equal(parsePlacementReport({ rtts: {}, location: { lat: 'x' } }).ok, false);
  assert.deepEqual(parsePlacementReport({}), { ok: true, value: { rtts: {} } });
});

test('a phone prepare carries exactly the data dir its ids name; anything else is refused', () => {
  const phone = { subscriberId: 'alice', instanceId: 'AbC_12-x', dataDir: 'phones/alice/AbC_12-x', name: 'Work' };
  const prepare = { type: 'prepare', requestId: 'r', sessionId: sid, titleId: 'cloud-phone', playSeconds: 0, phone, deadlineMs: 5000 };
  assert.deepEqual(parseBrokerToEdge(JSON.stringify(prepare)), { ok: true, value: prepare });
  const del = { type: 'delete-phone-data', phone };
  assert.deepEqual(parseBrokerToEdge(JSON.stringify(del)), { ok: true, value: del });
  const bad = [
    { ...phone, dataDir: 'phones/alice/../bob/x' },
    { ...phone, dataDir: '/etc' },
    { ...phone, subscriberId: '../alice', dataDir: 'phones/../alice/AbC_12-x' },
    { ...phone, instanceId: 'a/b', dataDir: 'phones/alice/a/b' },
    { ...phone, name: 42 },
    'phones/alice/x',
  ];
  for (const p of bad) {
    assert.equal(parseBrokerToEdge(JSON.stringify({ ...prepare, phone: p })).ok, false, JSON.stringify(p));
    assert.equal(parseBrokerToEdge(JSON.stringify({ type: 'delete-phone-data', phone: p })).ok, false, JSON.stringify(p));
  }
});

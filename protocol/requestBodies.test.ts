/** The broker API's request bodies: what the wire refuses, and what it tells the caller. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDemoLinkSchema, DrainRequestSchema, PlayRequestSchema, ResumeRequestSchema } from './fleetMessages.ts';
import { IssueTokenSchema, ProvisionSubscriberSchema, SubscriberUpdateSchema } from './phone.ts';
import { check } from './wire.ts';

test('demo link create requests: each mistake is refused with a clear error', () => {
  const rows: [unknown, RegExp][] = [
    [null, /JSON object/],
    [[], /JSON object/],
    [{ titleId: 'paddle-demo', maxPlay: 3 }, /unknown field "maxPlay"/],
    [{}, /titleId/],
    [{ titleId: '../etc' }, /titleId/],
    [{ titleId: 'paddle-demo', playSeconds: 9 }, /playSeconds must be an integer in 10\.\.86400 \(got 9\)/],
    [{ titleId: 'paddle-demo', playSeconds: 86_401 }, /playSeconds/],
    [{ titleId: 'paddle-demo', playSeconds: 60.5 }, /playSeconds/],
    [{ titleId: 'paddle-demo', playSeconds: '900' }, /playSeconds/],
    [{ titleId: 'paddle-demo', playSeconds: null }, /playSeconds must be an integer .*\(got null\)/],
    [{ titleId: 'paddle-demo', maxPlays: null }, /maxPlays/],
    [{ titleId: 'paddle-demo', expiresAt: 'tomorrow' }, /expiresAt must be an ISO date/],
    [{ titleId: 'paddle-demo', expiresAt: '1' }, /expiresAt must be an ISO date/],
    [{ titleId: 'paddle-demo', expiresAt: 1893456000000 }, /expiresAt must be an ISO date/],
    [{ titleId: 'paddle-demo', maxPlays: 0 }, /maxPlays must be an integer in 1\.\./],
    [{ titleId: 'paddle-demo', maxPlays: -3 }, /maxPlays/],
    [{ titleId: 'paddle-demo', endScreenUrl: 'javascript:alert(1)' }, /endScreenUrl must be http or https/],
    [{ titleId: 'paddle-demo', endScreenUrl: 'not a url' }, /endScreenUrl is not a URL/],
    [{ titleId: 'paddle-demo', endScreenUrl: `https://x.example/${'a'.repeat(3000)}` }, /endScreenUrl must be a URL string/],
  ];
  for (const [body, message] of rows) {
    const r = check(CreateDemoLinkSchema, body);
    assert.equal(r.ok, false, JSON.stringify(body));
    assert.match(r.error, message);
  }
  const ok = check(CreateDemoLinkSchema, { titleId: 'paddle-demo', expiresAt: '2030-01-02', maxPlays: 3, endScreenUrl: 'https://publisher.example/buy' });
  assert.deepEqual(ok, { ok: true, value: { titleId: 'paddle-demo', expiresAt: '2030-01-02', maxPlays: 3, endScreenUrl: 'https://publisher.example/buy' } });
});

test('provision request validation table', () => {
  const rows: [string, unknown, boolean][] = [
    ['minimal', { subscriberId: 'sub-1' }, true],
    ['with a limit', { subscriberId: 'sub-1', maxInstances: 20 }, true],
    ['limit 0', { subscriberId: 'sub-1', maxInstances: 0 }, false],
    ['limit 21', { subscriberId: 'sub-1', maxInstances: 21 }, false],
    ['limit 1.5', { subscriberId: 'sub-1', maxInstances: 1.5 }, false],
    ['limit as string', { subscriberId: 'sub-1', maxInstances: '3' }, false],
    ['limit null (not the default)', { subscriberId: 'sub-1', maxInstances: null }, false],
    ['typo key', { subscriberId: 'sub-1', maxInstance: 3 }, false],
    ['telcoId in body', { subscriberId: 'sub-1', telcoId: 'other' }, false],
    ['path in id', { subscriberId: '../etc' }, false],
    ['slash in id', { subscriberId: 'a/b' }, false],
    ['empty id', { subscriberId: '' }, false],
    ['no id', {}, false],
    ['array', [], false],
    ['null', null, false],
    ['string', 'sub-1', false],
  ];
  for (const [name, body, ok] of rows) {
    const r = check(ProvisionSubscriberSchema, body);
    assert.equal(r.ok, ok, name);
    if (!r.ok) assert.ok(r.error.length > 0, name);
  }
  const typo = check(ProvisionSubscriberSchema, { subscriberId: 'sub-1', maxInstance: 3 });
  assert.ok(!typo.ok && typo.error.includes('maxInstance'));
  assert.deepEqual(check(SubscriberUpdateSchema, { maxInstances: 5 }), { ok: true, value: { maxInstances: 5 } });
  assert.equal(check(SubscriberUpdateSchema, {}).ok, false);
  assert.equal(check(SubscriberUpdateSchema, { maxInstances: null }).ok, false, 'null is not a limit');
  assert.equal(check(SubscriberUpdateSchema, { maxInstances: 5, subscriberId: 'x' }).ok, false);
});

test('small bodies: a silly token TTL, a location off the globe, a drain that is not a boolean, a resume without its token', () => {
  assert.equal(check(IssueTokenSchema, { ttlSeconds: 5 }).ok, false, 'a silly TTL is refused');
  assert.deepEqual(check(IssueTokenSchema, {}), { ok: true, value: {} });
  assert.match(String(!check(PlayRequestSchema, { location: { lat: 91, lon: 0 } }).ok && 'location.lat'), /location\.lat/);
  assert.deepEqual(check(PlayRequestSchema, { location: { lat: 48.8, lon: 2.3 } }), { ok: true, value: { location: { lat: 48.8, lon: 2.3 } } });
  const drain = check(DrainRequestSchema, { draining: 'yes' });
  assert.ok(!drain.ok && /draining/.test(drain.error));
  assert.equal(check(ResumeRequestSchema, {}).ok, false);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionIceServers, turnCredential, turnLifetimeSeconds, turnPassword } from './turnCredentials.ts';

const SESSION = '6f1c2b9e-4a3d-4c5e-9f70-1a2b3c4d5e6f';

test('username is expiry:sessionId, password is base64 HMAC-SHA1 of the username (coturn REST API scheme)', () => {
  const c = turnCredential('north-secret', { sessionId: SESSION, lifetimeSeconds: 600, nowMs: 1_700_000_000_000 });
  assert.equal(c.username, `1700000600:${SESSION}`);
  assert.equal(c.expiresAtMs, 1_700_000_600_000);
  // Reference value computed independently: printf '1700000600:<id>' | openssl dgst -sha1 -hmac north-secret -binary | base64
  assert.equal(c.credential, 'joC1A1oeguoMqoDoJVICGu06SaM=');
  assert.equal(c.credential, turnPassword('north-secret', c.username));
});

test('the expiry is rounded up, never handing out less than the lifetime', () => {
  const c = turnCredential('s', { sessionId: SESSION, lifetimeSeconds: 10, nowMs: 1_000_000_000_400 });
  assert.equal(c.username.split(':')[0], '1000000011');
});

test('another secret or another session gives another password', () => {
  const a = turnCredential('secret-a', { sessionId: SESSION, lifetimeSeconds: 60, nowMs: 0 });
  const b = turnCredential('secret-b', { sessionId: SESSION, lifetimeSeconds: 60, nowMs: 0 });
  const other = turnCredential('secret-a', { sessionId: 'aaaaaaaa-4a3d-4c5e-9f70-1a2b3c4d5e6f', lifetimeSeconds: 60, nowMs: 0 });
  assert.notEqual(a.credential, b.credential);
  assert.notEqual(a.credential, other.credential);
});

test("no TURN configured: no ICE servers (today's behaviour)", () => {
  assert.deepEqual(sessionIceServers({ urls: [], secret: 's' }, { sessionId: SESSION, lifetimeSeconds: 60, nowMs: 0 }), []);
  assert.deepEqual(sessionIceServers({ urls: ['turn:127.0.0.1:3478'], secret: '' }, { sessionId: SESSION, lifetimeSeconds: 60, nowMs: 0 }), []);
});

test("TURN configured: one entry with every URL and the session's credentials", () => {
  const servers = sessionIceServers(
    { urls: ['turn:t.example:3478?transport=udp', 'turns:t.example:443?transport=tcp'], secret: 'sec' },
    { sessionId: SESSION, lifetimeSeconds: 60, nowMs: 5_000 },
  );
  assert.equal(servers.length, 1);
  assert.deepEqual(servers[0]?.urls, ['turn:t.example:3478?transport=udp', 'turns:t.example:443?transport=tcp']);
  assert.equal(servers[0]?.username, `65:${SESSION}`);
  assert.equal(servers[0]?.credential, turnPassword('sec', `65:${SESSION}`));
});

test("lifetime: a demo's ticket window plus its play time left; a phone's the configured lifetime", () => {
  assert.equal(turnLifetimeSeconds({ ticketTtlMs: 30_000, playSecondsLeft: 900, noLimitSeconds: 14_400 }), 930);
  assert.equal(
    turnLifetimeSeconds({ ticketTtlMs: 30_500, playSecondsLeft: 0, noLimitSeconds: 14_400 }),
    31,
    'a session with no time left: the ticket window only',
  );
  assert.equal(turnLifetimeSeconds({ ticketTtlMs: 30_000, playSecondsLeft: undefined, noLimitSeconds: 14_400 }), 14_400);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClientSignal, parseEdgeSignal, MAX_SIGNAL_MESSAGE_BYTES, type ClientToEdge } from './signalling.ts';
import { isSessionId } from './ids.ts';

test('client signalling messages round-trip', () => {
  const msgs: ClientToEdge[] = [
    { type: 'answer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' },
    { type: 'ice', candidate: { candidate: 'candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
    { type: 'bye' },
  ];
  for (const m of msgs) assert.deepEqual(parseClientSignal(JSON.stringify(m)), { ok: true, value: m });
});

test('malformed client signalling is refused, never thrown', () => {
  for (const raw of [
    '',
    '{',
    '"answer"',
    '{"type":"answer"}',
    '{"type":"answer","sdp":"hello"}',
    '{"type":"ice","candidate":{}}',
    '{"type":"ice","candidate":{"candidate":"c","sdpMLineIndex":-1}}',
    '{"type":"offer","sdp":"v=0"}',
    'x'.repeat(MAX_SIGNAL_MESSAGE_BYTES + 1),
  ]) {
    assert.equal(parseClientSignal(raw).ok, false, raw.slice(0, 40));
  }
});

test('edge messages are checked by the browser', () => {
  assert.deepEqual(parseEdgeSignal('{"type":"offer","sdp":"v=0"}'), { ok: true, value: { type: 'offer', sdp: 'v=0' } });
  assert.equal(parseEdgeSignal('{"type":"offer"}').ok, false);
  assert.equal(parseEdgeSignal('{"type":"surprise"}').ok, false);
});

test('session ids are UUID v4', () => {
  assert.ok(isSessionId('3b241101-e2bb-4255-8caf-4136c566a962'));
  for (const bad of ['', 'abc', '../../etc/passwd', '3b241101-e2bb-1255-8caf-4136c566a962', 42]) assert.equal(isSessionId(bad), false);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInputMessage, encodeInputEvent, channelFor, INPUT_CHANNELS, type InputEvent } from './input.ts';
import { must } from './must.ts';

const ts = 1_763_000_000_000;
const samples: InputEvent[] = [
  { t: 'key', ts, down: true, code: 'KeyW' },
  { t: 'move', ts, x: 0.5, y: 0.25, dx: -3, dy: 4 },
  { t: 'button', ts, down: false, button: 2, x: 0, y: 1 },
  { t: 'wheel', ts, dx: 0, dy: -120 },
  { t: 'touch', ts, phase: 'move', id: 3, x: 0.1, y: 0.9 },
  { t: 'pad', ts, index: 0, buttons: [0, 1, 0.5], axes: [-1, 0.25] },
  { t: 'text', ts, text: 'héllo' },
];

test('every input event survives an encode/parse round trip', () => {
  for (const ev of samples) assert.deepEqual(parseInputMessage(encodeInputEvent(ev)), { ok: true, value: ev });
  const bytes = new TextEncoder().encode(encodeInputEvent(must(samples[0], 'samples[0]')));
  assert.deepEqual(parseInputMessage(bytes), { ok: true, value: samples[0] });
});

test('unknown fields are not passed through', () => {
  const r = parseInputMessage(JSON.stringify({ t: 'key', ts, down: true, code: 'KeyA', evil: 'x'.repeat(10) }));
  assert.deepEqual(r, { ok: true, value: { t: 'key', ts, down: true, code: 'KeyA' } });
});

test('malformed messages are refused with a reason, never thrown', () => {
  const bad: Array<[unknown, RegExp]> = [
    ['not json', /not JSON/],
    ['[1,2]', /not an object/],
    ['null', /not an object/],
    [JSON.stringify({ t: 'key', down: true, code: 'KeyA' }), /ts/],
    [JSON.stringify({ t: 'key', ts: 'now', down: true, code: 'KeyA' }), /ts/],
    [JSON.stringify({ t: 'key', ts, down: 'yes', code: 'KeyA' }), /key/],
    [JSON.stringify({ t: 'key', ts, down: true, code: '<script>' }), /key/],
    [JSON.stringify({ t: 'move', ts, x: 1.5, y: 0, dx: 0, dy: 0 }), /move/],
    [JSON.stringify({ t: 'move', ts, x: 0, y: 0, dx: 1e9, dy: 0 }), /move/],
    [JSON.stringify({ t: 'button', ts, down: true, button: 9, x: 0, y: 0 }), /button/],
    [JSON.stringify({ t: 'touch', ts, phase: 'hover', id: 1, x: 0, y: 0 }), /touch/],
    [JSON.stringify({ t: 'touch', ts, phase: 'start', id: -1, x: 0, y: 0 }), /touch/],
    [JSON.stringify({ t: 'pad', ts, index: 0, buttons: new Array(40).fill(0), axes: [] }), /too many/],
    [JSON.stringify({ t: 'pad', ts, index: 0, buttons: [2], axes: [] }), /0\.\.1/],
    [JSON.stringify({ t: 'pad', ts, index: 0, buttons: [], axes: [NaN] }), /-1\.\.1/],
    [JSON.stringify({ t: 'text', ts, text: '' }), /text/],
    [JSON.stringify({ t: 'teleport', ts }), /unknown event type/],
    ['{"t":"text","ts":1763000000000,"text":"' + 'a'.repeat(2000) + '"}', /too large/],
  ];
  for (const [raw, why] of bad) {
    const r = parseInputMessage(raw as string);
    assert.equal(r.ok, false, `accepted ${String(raw).slice(0, 60)}`);
    assert.match(r.error, why);
  }
});

test('pointer motion and gamepad state go on the lossy channel, the rest on the reliable one', () => {
  assert.equal(channelFor(must(samples[1], 'samples[1]')), INPUT_CHANNELS.fast);
  assert.equal(channelFor(must(samples[5], 'samples[5]')), INPUT_CHANNELS.fast);
  for (const i of [0, 2, 3, 4, 6]) assert.equal(channelFor(must(samples[i], 'samples[i]')), INPUT_CHANNELS.reliable);
});

test('phone navigation events: back, home and recents only', () => {
  for (const action of ['back', 'home', 'recents']) {
    assert.deepEqual(parseInputMessage(JSON.stringify({ t: 'nav', ts, action })), { ok: true, value: { t: 'nav', ts, action } });
  }
  for (const action of ['reboot', '', undefined, 1]) assert.equal(parseInputMessage(JSON.stringify({ t: 'nav', ts, action })).ok, false);
  assert.equal(channelFor({ t: 'nav', ts, action: 'home' }), INPUT_CHANNELS.reliable);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_INPUT_MESSAGE_BYTES, encodeInputEvent, parseInputMessage } from '../../protocol/input.ts';
import { TEXT_CHUNK_CODE_POINTS, beforeInputEvents, isPrintableKey, keyCodeOf, textEvents } from './keyInput.ts';

const TS = 1_700_000_000_000;

test('typed text becomes text events; Enter and deletions become key taps', () => {
  assert.deepEqual(beforeInputEvents('insertText', 'é', TS), [{ t: 'text', ts: TS, text: 'é' }]);
  assert.deepEqual(beforeInputEvents('insertReplacementText', 'hello', TS), [{ t: 'text', ts: TS, text: 'hello' }], 'autocorrect replacements');
  assert.deepEqual(beforeInputEvents('insertText', null, TS), []);
  assert.deepEqual(beforeInputEvents('insertLineBreak', null, TS), [
    { t: 'key', ts: TS, down: true, code: 'Enter' },
    { t: 'key', ts: TS, down: false, code: 'Enter' },
  ]);
  assert.deepEqual(
    beforeInputEvents('deleteContentBackward', null, TS)?.map((e) => e.t === 'key' && `${e.code}:${e.down}`),
    ['Backspace:true', 'Backspace:false'],
  );
  assert.equal(
    beforeInputEvents('deleteContentForward', null, TS)?.[0]?.t === 'key' &&
      (beforeInputEvents('deleteContentForward', null, TS)?.[0] as { code: string }).code,
    'Delete',
  );
  assert.equal(beforeInputEvents('insertCompositionText', 'wor', TS), undefined, 'compositions are read at their end');
  assert.equal(beforeInputEvents('formatBold', null, TS), undefined);
});

test('long pastes are split into events the edge accepts, without splitting a character', () => {
  const emoji = '😀'.repeat(150);
  const events = textEvents(emoji, TS);
  assert.equal(events.length, Math.ceil(150 / TEXT_CHUNK_CODE_POINTS));
  let joined = '';
  for (const ev of events) {
    const wire = encodeInputEvent(ev);
    assert.ok(Buffer.byteLength(wire) <= MAX_INPUT_MESSAGE_BYTES);
    assert.ok(parseInputMessage(wire).ok, 'valid on the wire');
    joined += ev.t === 'text' ? ev.text : '';
  }
  assert.equal(joined, emoji);
  assert.deepEqual(textEvents('', TS), []);
  const quotes = textEvents('"\\'.repeat(200), TS);
  for (const ev of quotes) assert.ok(parseInputMessage(encodeInputEvent(ev)).ok, 'escaped characters stay within a message');
});

test("key codes: real codes pass, Android's empty codes fall back to a few named keys", () => {
  assert.equal(keyCodeOf({ code: 'KeyA', key: 'a' }), 'KeyA');
  assert.equal(keyCodeOf({ code: 'ArrowLeft', key: 'ArrowLeft' }), 'ArrowLeft');
  assert.equal(keyCodeOf({ code: '', key: 'Backspace' }), 'Backspace');
  assert.equal(keyCodeOf({ code: '', key: 'Unidentified' }), undefined);
  assert.equal(keyCodeOf({ code: '', key: 'a' }), undefined);
});

test('printable keys go the text way while the hidden field has focus', () => {
  assert.equal(isPrintableKey({ key: 'a', ctrlKey: false, metaKey: false }), true);
  assert.equal(isPrintableKey({ key: '😀', ctrlKey: false, metaKey: false }), true);
  assert.equal(isPrintableKey({ key: 'a', ctrlKey: true, metaKey: false }), false, 'shortcuts stay keys');
  assert.equal(isPrintableKey({ key: 'Backspace', ctrlKey: false, metaKey: false }), false);
});

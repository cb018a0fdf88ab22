import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputTsTracker } from './inputTs.ts';

test('a ts becomes the applied one only when an input event arrives', () => {
  const t = new InputTsTracker();
  assert.equal(t.applied, 0);
  assert.equal(t.setPending(1_733_000_000_001), true);
  assert.equal(t.applied, 0, 'setInputTs alone changes nothing on screen');
  assert.equal(t.onInput(), true);
  assert.equal(t.applied, 1_733_000_000_001);
});

test('the other DOM events of the same input find nothing pending', () => {
  const t = new InputTsTracker();
  t.setPending(1_733_000_000_001);
  t.onInput(); // pointerdown
  assert.equal(t.onInput(), false); // touchstart
  assert.equal(t.applied, 1_733_000_000_001);
  assert.equal(t.pendingTs, undefined);
});

test('a newer pending ts replaces one whose input never reached the page', () => {
  const t = new InputTsTracker();
  t.setPending(1_733_000_000_001); // e.g. text inserted with no field focused: no event
  t.setPending(1_733_000_000_002);
  t.onInput();
  assert.equal(t.applied, 1_733_000_000_002);
});

test('values the stamp cannot carry are refused and leave the pending ts alone', () => {
  const t = new InputTsTracker();
  t.setPending(1_733_000_000_005);
  for (const bad of [-1, Number.NaN, Infinity, 2 ** 48, '1733000000000', null, undefined]) assert.equal(t.setPending(bad), false);
  assert.equal(t.pendingTs, 1_733_000_000_005);
  assert.equal(t.setPending(1_733_000_000_006.7), true);
  assert.equal(t.pendingTs, 1_733_000_000_006); // whole milliseconds, as the stamp holds them
});

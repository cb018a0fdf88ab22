import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containRect, moveCursor, normalisePoint } from './letterbox.ts';

test('a 16:9 picture in a tall box is letterboxed top and bottom', () => {
  const r = containRect({ left: 0, top: 0, width: 1000, height: 1000 }, 1280, 720);
  assert.deepEqual(r, { left: 0, top: 218.75, width: 1000, height: 562.5 });
});

test('a 16:9 picture in a wide box is pillarboxed left and right, offset by the box', () => {
  const r = containRect({ left: 10, top: 20, width: 2000, height: 720 }, 1280, 720);
  assert.deepEqual(r, { left: 370, top: 20, width: 1280, height: 720 });
});

test('without a known video size the whole box is the picture', () => {
  const box = { left: 5, top: 6, width: 300, height: 200 };
  assert.deepEqual(containRect(box, 0, 0), box);
});

test('points map to 0..1 of the picture and clamp on the bars', () => {
  const pic = containRect({ left: 0, top: 0, width: 1000, height: 1000 }, 1280, 720);
  assert.deepEqual(normalisePoint(500, 500, pic), { x: 0.5, y: 0.5 });
  assert.deepEqual(normalisePoint(0, 218.75, pic), { x: 0, y: 0 });
  assert.deepEqual(normalisePoint(1000, 781.25, pic), { x: 1, y: 1 });
  assert.deepEqual(normalisePoint(250, 10, pic), { x: 0.25, y: 0 }, 'on the top bar');
  assert.deepEqual(normalisePoint(-50, 990, pic), { x: 0, y: 1 });
  assert.deepEqual(normalisePoint(1, 1, { left: 0, top: 0, width: 0, height: 0 }), { x: 0.5, y: 0.5 });
});

test('a locked-pointer cursor moves by pixels of the displayed picture and stays inside', () => {
  const pic = { left: 0, top: 0, width: 200, height: 100 };
  assert.deepEqual(moveCursor({ x: 0.5, y: 0.5 }, 20, -10, pic), { x: 0.6, y: 0.4 });
  assert.deepEqual(moveCursor({ x: 0.9, y: 0.1 }, 100, -100, pic), { x: 1, y: 0 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YuvCanvas, textWidth, yuv420FrameSize, yuvColor } from './yuvCanvas.ts';

const W = 64;
const H = 48;
const canvas = (): YuvCanvas => new YuvCanvas(new Uint8Array(yuv420FrameSize(W, H)), W, H);
const lumaAt = (c: YuvCanvas, x: number, y: number): number | undefined => c.y[y * W + x];

test('BT.601 limited range colours', () => {
  assert.deepEqual(yuvColor(255, 255, 255), { y: 235, u: 128, v: 128 });
  assert.deepEqual(yuvColor(0, 0, 0), { y: 16, u: 128, v: 128 });
  const red = yuvColor(255, 0, 0);
  assert.equal(red.y, 81);
  assert.equal(red.v, 240);
});

test('frame layout: chroma planes are ceil(W/2) x ceil(H/2)', () => {
  assert.equal(yuv420FrameSize(1280, 720), 1280 * 720 * 1.5);
  assert.equal(yuv420FrameSize(5, 3), 15 + 2 * 3 * 2);
  assert.throws(() => new YuvCanvas(new Uint8Array(10), W, H), RangeError);
});

test('fill and rect cover exactly their pixels, clipped to the frame', () => {
  const c = canvas();
  const white = yuvColor(255, 255, 255);
  c.fill(yuvColor(0, 0, 0));
  c.rect(10, 4, 6, 3, white);
  assert.equal(lumaAt(c, 10, 4), 235);
  assert.equal(lumaAt(c, 15, 6), 235);
  assert.equal(lumaAt(c, 16, 6), 16);
  assert.equal(lumaAt(c, 10, 7), 16);
  assert.equal(lumaAt(c, 9, 4), 16);
  c.rect(-10, -10, 1000, 12, white); // clipped, must not throw or wrap
  assert.equal(lumaAt(c, W - 1, 1), 235);
  assert.equal(lumaAt(c, 0, 2), 16);
  c.rect(W + 5, 0, 10, 10, yuvColor(255, 0, 0)); // entirely outside
  assert.equal(
    c.u.every((u) => u === 128),
    true,
  );
});

test('circle is round-ish and colours the chroma under it', () => {
  const c = canvas();
  c.fill(yuvColor(0, 0, 0));
  const red = yuvColor(255, 0, 0);
  c.circle(32, 24, 8, red);
  assert.equal(lumaAt(c, 32, 24), red.y);
  assert.equal(lumaAt(c, 25, 24), red.y);
  assert.equal(lumaAt(c, 25, 17), 16, 'corner of the bounding box stays outside');
  assert.equal(c.v[12 * (W / 2) + 16], red.v);
  c.circle(0, 0, 5, red); // clipped at the corner
});

test('text draws glyph pixels and nothing for unknown characters', () => {
  const c = canvas();
  c.fill(yuvColor(0, 0, 0));
  c.text('1', 0, 0, 2, yuvColor(255, 255, 255));
  // "1": top row 0x04 → third column lit
  assert.equal(lumaAt(c, 4, 0), 235);
  assert.equal(lumaAt(c, 0, 0), 16);
  const before = c.y.slice();
  c.text('~', 20, 20, 2, yuvColor(255, 255, 255));
  assert.deepEqual(c.y, before);
  assert.equal(textWidth('AB', 3), (2 * 6 - 1) * 3);
});

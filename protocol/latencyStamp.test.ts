import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  STAMP_CELLS,
  STAMP_MAX_VALUE,
  decodeStampRow,
  encodeStampRow,
  readStampRows,
  readStampRowsLuma,
  stampCellSize,
  writeStampYuv420,
} from './latencyStamp.ts';
import { seededRandom as rng } from '../server/sources/seededRandom.ts';

const VALUES = [0, 1, 255, 256, 2 ** 32, 2 ** 32 + 7, 1_712_345_678_901, STAMP_MAX_VALUE];

/** A grey yuv420p frame; chroma planes are ceil(W/2) x ceil(H/2). */
function yuvFrame(width: number, height: number, luma = 90): Uint8Array {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const f = new Uint8Array(width * height + 2 * cw * ch);
  f.fill(luma, 0, width * height);
  // A saturated colour elsewhere, so the test notices if the stamp's chroma is left coloured.
  f.fill(60, width * height, width * height + cw * ch);
  f.fill(200, width * height + cw * ch);
  return f;
}

/** Tiny BT.601 conversion as a browser would do it; `limited` expands 16..235 to 0..255 first. */
function yuvToRgba(frame: Uint8Array, width: number, height: number, limited: boolean): Uint8ClampedArray {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ci = (y >> 1) * cw + (x >> 1);
      const yy = frame[y * width + x] ?? 0;
      const u = (frame[width * height + ci] ?? 128) - 128;
      const v = (frame[width * height + cw * ch + ci] ?? 128) - 128;
      const l = limited ? 1.164 * (yy - 16) : yy;
      const k = limited ? 1.138 : 1; // chroma scale 255/224
      const p = (y * width + x) * 4;
      out[p] = l + 1.402 * k * v;
      out[p + 1] = l - 0.344 * k * u - 0.714 * k * v;
      out[p + 2] = l + 1.772 * k * u;
      out[p + 3] = 255;
    }
  }
  return out;
}

test('cell size is floor(W/64), 0 below 384 px', () => {
  assert.equal(stampCellSize(1280), 20);
  assert.equal(stampCellSize(1920), 30);
  assert.equal(stampCellSize(384), 6);
  assert.equal(stampCellSize(383), 0);
  assert.equal(stampCellSize(320), 0);
});

test('row layout: syncs, value MSB first, check byte', () => {
  const cells = encodeStampRow(1);
  assert.equal(cells.length, STAMP_CELLS);
  assert.deepEqual(cells.slice(0, 4), [true, false, true, false]);
  assert.deepEqual(cells.slice(60), [false, true, false, true]);
  assert.equal(cells[51], true); // least significant value bit
  assert.equal(cells.slice(4, 51).some(Boolean), false);
  assert.deepEqual(cells.slice(52, 60), [false, false, false, false, false, false, false, true]);
  // 0x01_02_03_04_05_06: check = 21
  const v = 0x010203040506;
  const check = encodeStampRow(v)
    .slice(52, 60)
    .reduce((n, b) => n * 2 + (b ? 1 : 0), 0);
  assert.equal(check, 21);
});

test('encode/decode round trip', () => {
  for (const v of [...VALUES, Date.now()]) assert.equal(decodeStampRow(encodeStampRow(v)), v, `value ${v}`);
});

test('encode rejects values outside 0..2^48-1', () => {
  for (const v of [-1, 0.5, 2 ** 48, Number.NaN]) assert.throws(() => encodeStampRow(v), RangeError);
});

test('corrupted rows are rejected', () => {
  const good = encodeStampRow(1_712_345_678_901);
  const flip = (i: number): boolean[] => good.map((b, j) => (j === i ? !b : b));
  for (const i of [4, 30, 51]) assert.equal(decodeStampRow(flip(i)), undefined, `value bit ${i}`);
  for (const i of [52, 59]) assert.equal(decodeStampRow(flip(i)), undefined, `check bit ${i}`);
  for (const i of [0, 3, 60, 63]) assert.equal(decodeStampRow(flip(i)), undefined, `sync bit ${i}`);
  assert.equal(decodeStampRow(good.slice(0, 63)), undefined);
  assert.equal(decodeStampRow(new Array<boolean>(64).fill(false)), undefined);
  assert.equal(decodeStampRow(new Array<boolean>(64).fill(true)), undefined);
});

test('write into yuv420p, convert to RGBA, read back', () => {
  for (const [w, h] of [
    [1280, 720],
    [384, 216],
    [641, 361], // odd sizes: c = 10, chroma planes rounded up
  ] as const) {
    for (const limited of [false, true]) {
      const frame = yuvFrame(w, h);
      writeStampYuv420(frame, w, h, 1_712_345_678_901, 1_712_345_678_850);
      const rgba = yuvToRgba(frame, w, h, limited);
      assert.deepEqual(readStampRows(rgba, w, h), { row0: 1_712_345_678_901, row1: 1_712_345_678_850 }, `${w}x${h}`);
      // Only the top 2c rows are needed by the reader.
      const c = stampCellSize(w);
      assert.deepEqual(readStampRows(rgba.subarray(0, w * 2 * c * 4), w, 2 * c).row0, 1_712_345_678_901);
    }
  }
});

test('stamp cells are pure grey and nothing below the rows is touched', () => {
  const [w, h] = [1280, 720];
  const frame = yuvFrame(w, h);
  const before = frame.slice();
  writeStampYuv420(frame, w, h, STAMP_MAX_VALUE, 0);
  const c = stampCellSize(w);
  assert.deepEqual(frame.subarray(2 * c * w, w * h), before.subarray(2 * c * w, w * h));
  const cw = w / 2;
  assert.equal(frame[w * h], 128);
  assert.equal(frame[w * h + cw * (h / 2)], 128);
  assert.equal(frame[w * h + c * cw], 60, 'chroma below the rows unchanged');
});

test('narrow frames carry no stamp', () => {
  const [w, h] = [320, 240];
  const frame = yuvFrame(w, h);
  const before = frame.slice();
  writeStampYuv420(frame, w, h, 123, 456);
  assert.deepEqual(frame, before);
  assert.deepEqual(readStampRows(yuvToRgba(frame, w, h, false), w, h), {});
});

test('reads through ±40 noise on every pixel', () => {
  const [w, h] = [1280, 720];
  const frame = yuvFrame(w, h);
  writeStampYuv420(frame, w, h, 1_712_345_678_901, 42);
  const rgba = yuvToRgba(frame, w, h, true);
  const rand = rng(7);
  for (let i = 0; i < rgba.length; i++) if (i % 4 !== 3) rgba[i] = (rgba[i] ?? 0) + Math.round(rand() * 80 - 40);
  assert.deepEqual(readStampRows(rgba, w, h), { row0: 1_712_345_678_901, row1: 42 });
});

test('each row is validated independently', () => {
  const [w, h] = [1280, 720];
  const frame = yuvFrame(w, h);
  writeStampYuv420(frame, w, h, 1000, 2000);
  const rgba = yuvToRgba(frame, w, h, false);
  const c = stampCellSize(w);
  // Paint row 1's first sync cell (a 1) black: row 1 invalid, row 0 still read.
  for (let y = c; y < 2 * c; y++) rgba.fill(0, y * w * 4, (y * w + c) * 4);
  assert.deepEqual(readStampRows(rgba, w, h), { row0: 1000 });
  assert.deepEqual(readStampRows(new Uint8Array(10), w, h), {});
});

test('reads from a luma plane too', () => {
  const [w, h] = [1280, 720];
  const frame = yuvFrame(w, h);
  writeStampYuv420(frame, w, h, 1_712_345_678_901, 7);
  assert.deepEqual(readStampRowsLuma(frame.subarray(0, w * h), w, h), { row0: 1_712_345_678_901, row1: 7 });
  assert.deepEqual(readStampRowsLuma(frame.subarray(0, 100), w, h), {});
});

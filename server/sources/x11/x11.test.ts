import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRAME_RING_SIZE, FrameAssembler, yuv420pFrameSize } from './frameAssembler.ts';
import { buildKeysymTable, charToKeysym, codeToKeysym, padKeys, toPixel, wheelClicks, xButton } from './keymap.ts';
import { x11grabArgs } from './x11Capture.ts';
import { must } from '../../../protocol/must.ts';

test('frames are cut at exact sizes across any chunk boundaries', () => {
  const frames: Buffer[] = [];
  const a = new FrameAssembler(6, (f) => frames.push(f));
  const stream = Buffer.from(Array.from({ length: 20 }, (_, i) => i));
  a.push(stream.subarray(0, 4));
  a.push(stream.subarray(4, 5));
  a.push(stream.subarray(5, 17)); // ends frame 1, holds all of frame 2, starts frame 3
  a.push(stream.subarray(17, 20));
  assert.equal(frames.length, 3);
  assert.deepEqual([...must(frames[0], 'frames[0]')], [0, 1, 2, 3, 4, 5]);
  assert.deepEqual([...must(frames[2], 'frames[2]')], [12, 13, 14, 15, 16, 17]);
  assert.equal(a.pending, 2);
  must(frames[0], 'frames[0]')[0] = 99; // a handed-out frame stays intact while the next ones fill
  a.push(Buffer.alloc(4));
  assert.equal(must(frames[0], 'frames[0]')[0], 99);
});

test('frame buffers are reused in a ring instead of allocated per frame', () => {
  const frames: Buffer[] = [];
  const a = new FrameAssembler(4, (f) => frames.push(f), { reuse: true });
  a.push(Buffer.alloc(4 * (FRAME_RING_SIZE + 1), 7));
  assert.equal(frames.length, FRAME_RING_SIZE + 1);
  assert.equal(new Set(frames.slice(0, FRAME_RING_SIZE)).size, FRAME_RING_SIZE, 'distinct buffers within a ring turn');
  assert.equal(frames[FRAME_RING_SIZE], frames[0], 'then the first is reused');
  const fresh: Buffer[] = [];
  const b = new FrameAssembler(4, (f) => fresh.push(f));
  b.push(Buffer.alloc(4 * (FRAME_RING_SIZE + 1)));
  assert.equal(new Set(fresh).size, FRAME_RING_SIZE + 1, 'without reuse every frame is its own buffer');
});

test('a yuv420p frame is W*H*3/2 bytes, chroma rounded up', () => {
  assert.equal(yuv420pFrameSize(640, 480), 640 * 480 * 1.5);
  assert.equal(yuv420pFrameSize(3, 3), 9 + 2 * 4);
  assert.throws(() => new FrameAssembler(0, () => undefined));
});

test('KeyboardEvent.code maps to the unshifted US keysym', () => {
  assert.equal(codeToKeysym('KeyA'), 0x61);
  assert.equal(codeToKeysym('KeyZ'), 0x7a);
  assert.equal(codeToKeysym('Digit0'), 0x30);
  assert.equal(codeToKeysym('Space'), 0x20);
  assert.equal(codeToKeysym('ArrowLeft'), 0xff51);
  assert.equal(codeToKeysym('ArrowDown'), 0xff54);
  assert.equal(codeToKeysym('Enter'), 0xff0d);
  assert.equal(codeToKeysym('F1'), 0xffbe);
  assert.equal(codeToKeysym('F12'), 0xffc9);
  assert.equal(codeToKeysym('Numpad5'), 0xffb5);
  assert.equal(codeToKeysym('ShiftLeft'), 0xffe1);
  assert.equal(codeToKeysym('Slash'), 0x2f);
  assert.equal(codeToKeysym('Unidentified'), undefined);
  assert.equal(codeToKeysym('F99'), undefined);
});

test('typed characters map to keysyms (Latin-1 direct, the rest 0x01000000 + code point)', () => {
  assert.equal(charToKeysym('a'), 0x61);
  assert.equal(charToKeysym('A'), 0x41);
  assert.equal(charToKeysym('é'), 0xe9);
  assert.equal(charToKeysym('€'), 0x010020ac);
  assert.equal(charToKeysym('\n'), 0xff0d);
  assert.equal(charToKeysym('\u0007'), undefined);
});

test('the keyboard mapping prefers the unshifted column and marks shifted symbols', () => {
  // keycode 38: a A; keycode 50: Shift_L; keycode 10: 1 exclam; keycode 39: s S
  const rows: number[][] = [];
  const min = 8;
  for (let k = min; k <= 60; k++) rows.push([0, 0]);
  rows[38 - min] = [0x61, 0x41];
  rows[50 - min] = [0xffe1, 0];
  rows[10 - min] = [0x31, 0x21];
  rows[39 - min] = [0x41, 0x53]; // a later keycode also listing "A" unshifted: column 0 wins
  const t = buildKeysymTable(min, rows);
  assert.deepEqual(t.get(0x61), { keycode: 38, shift: false });
  assert.deepEqual(t.get(0x21), { keycode: 10, shift: true });
  assert.deepEqual(t.get(0xffe1), { keycode: 50, shift: false });
  assert.deepEqual(t.get(0x41), { keycode: 39, shift: false });
  assert.equal(t.get(0), undefined);
});

test('normalised coordinates map to clamped pixels', () => {
  assert.equal(toPixel(0, 640), 0);
  assert.equal(toPixel(1, 640), 639);
  assert.equal(toPixel(0.5, 480), 240);
  assert.equal(toPixel(-0.2, 480), 0);
  assert.equal(toPixel(7, 480), 479);
  assert.equal(toPixel(Number.NaN, 480), 0);
});

test('buttons, wheel and gamepad map to X terms', () => {
  assert.equal(xButton(0), 1);
  assert.equal(xButton(2), 3);
  assert.equal(xButton(7), undefined);
  assert.deepEqual(wheelClicks(0, -100), [{ button: 4, count: 1 }]);
  assert.deepEqual(wheelClicks(30, 1000), [
    { button: 5, count: 5 },
    { button: 7, count: 1 },
  ]);
  assert.deepEqual(wheelClicks(0, 0), []);
  assert.deepEqual([...padKeys({ buttons: [1], axes: [-0.9, 0] })].sort(), ['ArrowLeft', 'Space']);
  assert.deepEqual([...padKeys({ buttons: [], axes: [] })], []);
});

test('x11grab reads the display without the pointer and writes raw yuv420p to stdout', () => {
  const args = x11grabArgs({ display: ':101', width: 640, height: 480, fps: 30 }).join(' ');
  assert.match(args, /-f x11grab -draw_mouse 0 -framerate 30 -video_size 640x480 -i :101/);
  assert.match(args, /-pix_fmt yuv420p -f rawvideo pipe:1$/);
});

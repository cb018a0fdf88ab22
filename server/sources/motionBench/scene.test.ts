import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStampRowsLuma, stampCellSize } from '../../../protocol/index.ts';
import { MotionScene } from './scene.ts';

const W = 640;
const H = 360;
const TS = 1_700_000_000_000;

/** The Y plane below the stamp rows (the stamp carries the times, which differ run to run). */
const lumaBelowStamp = (frame: Buffer) => frame.subarray(2 * stampCellSize(W) * W, W * H);

test('the same seed gives the same pictures; another seed, other pictures (heavy mode)', () => {
  const a = new MotionScene({ width: W, height: H, mode: 'heavy', seed: 7 });
  const b = new MotionScene({ width: W, height: H, mode: 'heavy', seed: 7 });
  const c = new MotionScene({ width: W, height: H, mode: 'heavy', seed: 8 });
  for (let i = 0; i < 5; i++) {
    const fa = a.render(TS + i, 0);
    assert.ok(lumaBelowStamp(fa).equals(lumaBelowStamp(b.render(TS + 1000 + i, 0))), `frame ${i} replays`);
    assert.ok(!lumaBelowStamp(fa).equals(lumaBelowStamp(c.render(TS + i, 0))), `frame ${i} differs with another seed`);
  }
});

test('every frame carries the stamp: row 0 the frame time, row 1 the last input', () => {
  for (const mode of ['parity', 'heavy'] as const) {
    const s = new MotionScene({ width: W, height: H, mode, seed: 1 });
    const frame = s.render(TS, TS - 40);
    assert.deepEqual(readStampRowsLuma(frame.subarray(0, W * H), W, H), { row0: TS, row1: TS - 40 }, mode);
  }
});

test('the picture moves everywhere: consecutive frames differ across the whole frame', () => {
  const s = new MotionScene({ width: W, height: H, mode: 'parity', seed: 1 });
  const f1 = lumaBelowStamp(s.render(TS, 0));
  const f2 = lumaBelowStamp(s.render(TS + 33, 0));
  let changedRows = 0;
  const rows = f1.length / W;
  for (let r = 0; r < rows; r++) if (!f1.subarray(r * W, (r + 1) * W).equals(f2.subarray(r * W, (r + 1) * W))) changedRows++;
  assert.equal(changedRows, rows, 'the background scrolls on every row');
});

test('input moves the marker: an arrow key changes the picture at once, as the demo game does', () => {
  const still = new MotionScene({ width: W, height: H, mode: 'parity', seed: 1 });
  const moved = new MotionScene({ width: W, height: H, mode: 'parity', seed: 1 });
  still.render(TS, 0);
  moved.render(TS, 0);
  moved.applyInput({ t: 'key', ts: TS, down: true, code: 'ArrowLeft' });
  assert.ok(!lumaBelowStamp(still.render(TS + 33, 0)).equals(lumaBelowStamp(moved.render(TS + 33, 0))));
  moved.applyInput({ t: 'key', ts: TS, down: false, code: 'ArrowLeft' });
  moved.applyInput({ t: 'touch', ts: TS, phase: 'start', id: 0, x: 0.1, y: 0.9 });
  moved.release();
  assert.equal(moved.render(TS + 66, 0).length, W * H * 1.5);
});

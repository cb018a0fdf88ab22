import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStampRow, readStampRowsLuma, stampCellSize, STAMP_CELLS } from '../../protocol/index.ts';
import { DemoGame } from './demoGame.ts';
import { renderFrame } from './render.ts';
import { yuv420FrameSize } from './yuvCanvas.ts';

const NOW = 1_712_345_678_901;
const INPUT_TS = 1_712_345_678_850;

/** Reads one stamp row straight from the Y plane, one sample at each cell centre. */
function rowAtCentres(frame: Uint8Array, width: number, row: 0 | 1): number | undefined {
  const c = stampCellSize(width);
  const y = row * c + Math.floor(c / 2);
  const cells: boolean[] = [];
  for (let i = 0; i < STAMP_CELLS; i++) cells.push((frame[y * width + i * c + Math.floor(c / 2)] ?? 0) >= 128);
  return decodeStampRow(cells);
}

test('a rendered frame is a whole yuv420p frame carrying the stamp', () => {
  const game = new DemoGame({ width: 1280, height: 720 });
  const frame = renderFrame(game, NOW, INPUT_TS);
  assert.equal(frame.length, yuv420FrameSize(1280, 720));
  assert.equal(rowAtCentres(frame, 1280, 0), NOW);
  assert.equal(rowAtCentres(frame, 1280, 1), INPUT_TS);
  assert.deepEqual(readStampRowsLuma(frame, 1280, 720), { row0: NOW, row1: INPUT_TS });
});

test('row 1 is 0 before any input; fractional times are floored', () => {
  const game = new DemoGame({ width: 640, height: 360 });
  assert.deepEqual(readStampRowsLuma(renderFrame(game, NOW + 0.7, 0), 640, 360), { row0: NOW, row1: 0 });
});

test('only the stamp is drawn in the two stamp rows', () => {
  const game = new DemoGame({ width: 1280, height: 720 });
  const frame = renderFrame(game, NOW, INPUT_TS);
  const c = stampCellSize(1280);
  for (let y = 0; y < 2 * c; y++) {
    for (let x = 0; x < STAMP_CELLS * c; x++) {
      const v = frame[y * 1280 + x];
      assert.ok(v === 0 || v === 255, `pixel ${x},${y} is ${v}`);
    }
  }
});

test('a single key press changes the next frame', () => {
  const game = new DemoGame({ width: 1280, height: 720 });
  const c = stampCellSize(1280);
  const picture = (f: Buffer): Buffer => f.subarray(2 * c * 1280); // without the stamp rows
  const before = picture(renderFrame(game, NOW, 0));
  for (const code of ['ArrowLeft', 'KeyQ', 'ArrowLeft']) {
    const prev = picture(renderFrame(game, NOW, 0));
    game.applyInput({ t: 'key', ts: INPUT_TS, down: true, code });
    game.applyInput({ t: 'key', ts: INPUT_TS, down: false, code });
    assert.notDeepEqual(picture(renderFrame(game, NOW, INPUT_TS)), prev, code);
  }
  assert.notDeepEqual(picture(renderFrame(game, NOW, 0)), before);
});

test('narrow frames render without a stamp', () => {
  const game = new DemoGame({ width: 320, height: 240 });
  const frame = renderFrame(game, NOW, INPUT_TS);
  assert.equal(frame.length, yuv420FrameSize(320, 240));
  assert.deepEqual(readStampRowsLuma(frame, 320, 240), {});
});

test('render time at 1280x720 (printed, not asserted)', (t) => {
  const game = new DemoGame({ width: 1280, height: 720, autoServeMs: 100 });
  for (let i = 0; i < 30; i++) renderFrame(game, NOW, 0); // warm up the JIT
  const n = 300;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    game.step(1000 / 60);
    renderFrame(game, NOW + i, INPUT_TS);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / n;
  t.diagnostic(`render 1280x720: ${ms.toFixed(3)} ms/frame`);
});

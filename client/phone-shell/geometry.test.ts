import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeStampRow, encodeStampRow, readStampRows } from '../../protocol/latencyStamp.ts';
import { cellRuns, dpPx, stampGeometry } from './geometry.ts';
import { must } from '../../protocol/must.ts';

test('the stamp band at 720 wide and 1x is 22 px: cells of 11 px across 704 px', () => {
  assert.deepEqual(stampGeometry(720, 1), { cellPx: 11, canvasWidthPx: 704, canvasHeightPx: 22, bandCssPx: 22, canvasCssWidth: 704 });
  assert.equal(stampGeometry(1280, 1).bandCssPx, 40); // landscape
  assert.equal(stampGeometry(360, 1).cellPx, 0); // c = 5 < 6: too narrow, no stamp
  assert.equal(stampGeometry(360, 1).bandCssPx, 0);
});

test('at 2x the cells are measured in device pixels (the captured frame is 2x wide)', () => {
  const g = stampGeometry(360, 2);
  assert.equal(g.cellPx, 11);
  assert.equal(g.canvasWidthPx, 704);
  assert.equal(g.bandCssPx, 11);
  assert.equal(g.canvasCssWidth, 352);
  assert.equal(stampGeometry(720, Number.NaN).cellPx, 11); // a broken ratio counts as 1x
});

test('cell runs cover the row exactly and alternate colours', () => {
  const cells = encodeStampRow(1_733_000_000_123);
  const runs = cellRuns(cells);
  assert.equal(
    runs.reduce((n, r) => n + r.length, 0),
    64,
  );
  for (let i = 1; i < runs.length; i++) {
    assert.notEqual(must(runs[i], 'runs[i]').white, must(runs[i - 1], 'runs[i - 1]').white);
    assert.equal(must(runs[i], 'runs[i]').start, must(runs[i - 1], 'runs[i - 1]').start + must(runs[i - 1], 'runs[i - 1]').length);
  }
  const back: boolean[] = runs.flatMap((r) => Array<boolean>(r.length).fill(r.white));
  assert.equal(decodeStampRow(back), 1_733_000_000_123);
});

test('rows painted from the runs read back with the protocol reader', () => {
  const { cellPx: c, canvasWidthPx: w } = stampGeometry(720, 1);
  const width = 720;
  const rgba = new Uint8ClampedArray(width * 2 * c * 4); // black, alpha 0 is ignored by the reader
  [1_733_000_000_456, 1_732_999_999_001].forEach((value, r) => {
    for (const run of cellRuns(encodeStampRow(value))) {
      if (!run.white) continue;
      for (let y = r * c; y < (r + 1) * c; y++) rgba.fill(255, (y * width + run.start * c) * 4, (y * width + (run.start + run.length) * c) * 4);
    }
  });
  assert.ok(w <= width);
  assert.deepEqual(readStampRows(rgba, width, 2 * c), { row0: 1_733_000_000_456, row1: 1_732_999_999_001 });
});

test('one dp is the short side over 360', () => {
  assert.equal(dpPx(720, 1280), 2);
  assert.equal(dpPx(1280, 720), 2);
  assert.equal(dpPx(360, 640), 1);
});

/**
 * Where things sit on the phone's screen. Pure.
 *
 * The top 2c device-pixel rows belong to the latency stamp
 * (docs/latency-stamp.md): the edge captures the screen, so the frame width
 * W is the window's width in device pixels and c = floor(W / 64). The rest
 * of the layout is sized in "dp": 1/360 of the short side, so the shell
 * looks like a 360 dp phone whatever the pixel size of the window.
 */
import { STAMP_CELLS, stampCellSize } from '../../protocol/latencyStamp.ts';

export type StampGeometry = {
  /** Cell edge in device pixels (0: the window is too narrow to carry a stamp). */
  cellPx: number;
  /** Canvas backing store: 64c x 2c device pixels. */
  canvasWidthPx: number;
  canvasHeightPx: number;
  /** Height of the band reserved for the stamp, in CSS pixels (2c / devicePixelRatio). */
  bandCssPx: number;
  /** Width of the canvas in CSS pixels. */
  canvasCssWidth: number;
};

export function stampGeometry(cssWidth: number, devicePixelRatio: number): StampGeometry {
  const dpr = devicePixelRatio > 0 && Number.isFinite(devicePixelRatio) ? devicePixelRatio : 1;
  const framePx = Math.round(cssWidth * dpr);
  const c = stampCellSize(framePx);
  return {
    cellPx: c,
    canvasWidthPx: STAMP_CELLS * c,
    canvasHeightPx: 2 * c,
    bandCssPx: (2 * c) / dpr,
    canvasCssWidth: (STAMP_CELLS * c) / dpr,
  };
}

export type CellRun = { start: number; length: number; white: boolean };

/** Consecutive equal cells merged, so a row paints with a handful of rectangles. */
export function cellRuns(cells: readonly boolean[]): CellRun[] {
  const runs: CellRun[] = [];
  for (let i = 0; i < cells.length; i++) {
    const white = cells[i] === true;
    const last = runs.at(-1);
    if (last && last.white === white) last.length++;
    else runs.push({ start: i, length: 1, white });
  }
  return runs;
}

/** Fixed parts of the layout, in dp (1 dp = short side / 360). */
export const STATUS_BAR_DP = 24;
export const NAV_BAR_DP = 48;
export const DP_PER_SHORT_SIDE = 360;

/** CSS pixels per dp for a window of this size. */
export function dpPx(cssWidth: number, cssHeight: number): number {
  return Math.min(cssWidth, cssHeight) / DP_PER_SHORT_SIDE;
}

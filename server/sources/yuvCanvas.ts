/**
 * Minimal drawing into one planar yuv420p frame (Y plane W*H, then U and V
 * planes ceil(W/2) x ceil(H/2), the layout ffmpeg's rawvideo demuxer
 * expects for `-pix_fmt yuv420p`).
 *
 * Speed matters (1280x720 at 60 fps on two cores): every shape is drawn as
 * horizontal spans with TypedArray.fill, which is a memset, so the cost
 * grows with the number of rows touched, not with the number of pixels.
 */

export type YuvColor = { readonly y: number; readonly u: number; readonly v: number };

/**
 * BT.601 studio-swing (limited-range) YUV for an RGB colour. x264 does not
 * signal full range by default, so players decode as limited range; using
 * 16..235 here keeps the colours true on screen. Compute once per colour.
 */
export function yuvColor(r: number, g: number, b: number): YuvColor {
  const clamp = (n: number): number => Math.max(0, Math.min(255, Math.round(n)));
  return {
    y: clamp(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255),
    u: clamp(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255),
    v: clamp(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255),
  };
}

/** Bytes in one yuv420p frame. */
export function yuv420FrameSize(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/** 5x7 glyphs, one number per row, bit 4 = leftmost column. */
const FONT: Record<string, readonly number[]> = {
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  A: [0x0e, 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11],
  B: [0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e],
  C: [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e],
  D: [0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c],
  E: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f],
  F: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10],
  G: [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f],
  H: [0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
  I: [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e],
  J: [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c],
  K: [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
  L: [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f],
  M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11],
  N: [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
  O: [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  P: [0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10],
  Q: [0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d],
  R: [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11],
  S: [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e],
  T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
  U: [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  V: [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04],
  W: [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a],
  X: [0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11],
  Y: [0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04],
  Z: [0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f],
  ':': [0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00],
  '-': [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00],
  '.': [0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c],
  '!': [0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04],
  '/': [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00],
  ' ': [0, 0, 0, 0, 0, 0, 0],
};
const GLYPH_W = 5;
const GLYPH_H = 7;
/** Advance per character in font pixels: glyph plus one column of spacing. */
const GLYPH_ADVANCE = GLYPH_W + 1;

/** Pixel width of `text` drawn at `scale` (no trailing spacing). */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;
}
export const textHeight = (scale: number): number => GLYPH_H * scale;
/** Pen movement after drawing `text` (monospace), i.e. where the next string starts. */
export const textAdvance = (text: string, scale: number): number => text.length * GLYPH_ADVANCE * scale;

export class YuvCanvas {
  readonly y: Uint8Array;
  readonly u: Uint8Array;
  readonly v: Uint8Array;
  private readonly cw: number;
  private readonly ch: number;

  /** Draws into `frame` in place (a Buffer works too); it must hold a whole yuv420p frame. */
  constructor(
    readonly frame: Uint8Array,
    readonly width: number,
    readonly height: number,
  ) {
    this.cw = Math.ceil(width / 2);
    this.ch = Math.ceil(height / 2);
    const ySize = width * height;
    const cSize = this.cw * this.ch;
    if (frame.length < ySize + 2 * cSize) throw new RangeError('frame buffer smaller than a yuv420p frame');
    this.y = frame.subarray(0, ySize);
    this.u = frame.subarray(ySize, ySize + cSize);
    this.v = frame.subarray(ySize + cSize, ySize + 2 * cSize);
  }

  fill(c: YuvColor): void {
    this.y.fill(c.y);
    this.u.fill(c.u);
    this.v.fill(c.v);
  }

  /** Axis-aligned rectangle, clipped; fractional edges round to the nearest pixel. */
  rect(x: number, y: number, w: number, h: number, c: YuvColor): void {
    const x0 = Math.max(0, Math.round(x));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y0 = Math.max(0, Math.round(y));
    const y1 = Math.min(this.height, Math.round(y + h));
    if (x0 >= x1 || y0 >= y1) return;
    for (let row = y0; row < y1; row++) this.y.fill(c.y, row * this.width + x0, row * this.width + x1);
    // A chroma sample covers 2x2 luma pixels; odd edges take the shape's colour (slight bleed, invisible).
    const cx0 = x0 >> 1;
    const cx1 = (x1 + 1) >> 1;
    for (let row = y0 >> 1; row < (y1 + 1) >> 1; row++) {
      this.u.fill(c.u, row * this.cw + cx0, row * this.cw + cx1);
      this.v.fill(c.v, row * this.cw + cx0, row * this.cw + cx1);
    }
  }

  /** Filled disc. */
  circle(cx: number, cy: number, r: number, c: YuvColor): void {
    if (r <= 0) return;
    const y0 = Math.max(0, Math.floor(cy - r));
    const y1 = Math.min(this.height - 1, Math.ceil(cy + r));
    for (let row = y0; row <= y1; row++) {
      const span = this.span(cx, cy, r, row + 0.5, 1);
      if (span) this.y.fill(c.y, row * this.width + span[0], row * this.width + span[1]);
    }
    for (let row = y0 >> 1; row <= Math.min(this.ch - 1, y1 >> 1); row++) {
      const span = this.span(cx / 2, cy / 2, r / 2, row + 0.5, 2);
      if (!span) continue;
      this.u.fill(c.u, row * this.cw + span[0], row * this.cw + span[1]);
      this.v.fill(c.v, row * this.cw + span[0], row * this.cw + span[1]);
    }
  }

  /** Uppercase text in the 5x7 font, each font pixel a scale x scale block; unknown characters are blank. */
  text(str: string, x: number, y: number, scale: number, c: YuvColor): void {
    const s = Math.max(1, Math.round(scale));
    let penX = Math.round(x);
    const top = Math.round(y);
    for (const ch of str.toUpperCase()) {
      const glyph = FONT[ch];
      if (glyph) {
        for (let gy = 0; gy < GLYPH_H; gy++) {
          const bits = glyph[gy] ?? 0;
          // Merge runs of set bits into one rect per run.
          let gx = 0;
          while (gx < GLYPH_W) {
            if (!(bits & (1 << (GLYPH_W - 1 - gx)))) {
              gx++;
              continue;
            }
            const start = gx;
            while (gx < GLYPH_W && bits & (1 << (GLYPH_W - 1 - gx))) gx++;
            this.rect(penX + start * s, top + gy * s, (gx - start) * s, s, c);
          }
        }
      }
      penX += GLYPH_ADVANCE * s;
    }
  }

  /** Clipped [start, end) of a disc's chord at row centre `py` in a plane `planeScale` times subsampled. */
  private span(cx: number, cy: number, r: number, py: number, planeScale: number): [number, number] | undefined {
    const dy = py - cy;
    const d = r * r - dy * dy;
    if (d < 0) return undefined;
    const half = Math.sqrt(d);
    const limit = planeScale === 1 ? this.width : this.cw;
    const start = Math.max(0, Math.round(cx - half));
    const end = Math.min(limit, Math.round(cx + half));
    return start < end ? [start, end] : undefined;
  }
}

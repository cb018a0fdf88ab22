/**
 * Latency stamp writer and reader (docs/latency-stamp.md).
 *
 * A frame source draws two rows of 64 square cells across the top of each
 * frame: row 0 = when the frame was produced, row 1 = the client `ts` of
 * the latest applied input. Any receiver that decodes the video can read
 * them back, so glass-to-glass and input-to-photon latency are measured
 * on the picture itself rather than trusted from metadata.
 *
 * Shared by Node (writer) and the browser (reader): no I/O, no Buffer.
 * Values reach 2^48 - 1, beyond 32-bit bit operators, so all bit and byte
 * extraction below is done with floor/modulo arithmetic on doubles (exact
 * for integers below 2^53).
 */

export const STAMP_CELLS = 64;
/** Smallest cell the reader can sample reliably after encoding; below it frames carry no stamp. */
export const STAMP_MIN_CELL_PX = 6;
export const STAMP_VALUE_BITS = 48;
export const STAMP_MAX_VALUE = 2 ** STAMP_VALUE_BITS - 1;

const SYNC_HEAD = [true, false, true, false] as const;
const SYNC_TAIL = [false, true, false, true] as const;
const VALUE_START = 4;
const CHECK_START = VALUE_START + STAMP_VALUE_BITS; // 52
const TAIL_START = CHECK_START + 8; // 60

/** Cell edge in pixels for a frame `width` wide; 0 means the frame carries no stamp. */
export function stampCellSize(width: number): number {
  const c = Math.floor(width / STAMP_CELLS);
  return c < STAMP_MIN_CELL_PX ? 0 : c;
}

/** Sum of the six bytes of a 48-bit value, mod 256. */
function checkByte(value: number): number {
  let sum = 0;
  let rest = value;
  for (let i = 0; i < 6; i++) {
    sum += rest % 256;
    rest = Math.floor(rest / 256);
  }
  return sum % 256;
}

/** Pushes `bits` bits of `value`, most significant first. */
function pushBits(out: boolean[], value: number, bits: number): void {
  for (let i = bits - 1; i >= 0; i--) out.push(Math.floor(value / 2 ** i) % 2 === 1);
}

/** The 64 cells of one row; true = white ("1"). Throws on values outside 0..2^48-1 (a caller bug). */
export function encodeStampRow(value: number): boolean[] {
  if (!Number.isInteger(value) || value < 0 || value > STAMP_MAX_VALUE) {
    throw new RangeError(`stamp value must be an integer in 0..2^48-1, got ${value}`);
  }
  const cells: boolean[] = [...SYNC_HEAD];
  pushBits(cells, value, STAMP_VALUE_BITS);
  pushBits(cells, checkByte(value), 8);
  cells.push(...SYNC_TAIL);
  return cells;
}

/** The row's value, or undefined unless both sync groups and the check byte match. */
export function decodeStampRow(cells: readonly boolean[]): number | undefined {
  if (cells.length !== STAMP_CELLS) return undefined;
  for (let i = 0; i < 4; i++) {
    if (cells[i] !== SYNC_HEAD[i] || cells[TAIL_START + i] !== SYNC_TAIL[i]) return undefined;
  }
  let value = 0;
  for (let i = VALUE_START; i < CHECK_START; i++) value = value * 2 + (cells[i] ? 1 : 0);
  let check = 0;
  for (let i = CHECK_START; i < TAIL_START; i++) check = check * 2 + (cells[i] ? 1 : 0);
  return check === checkByte(value) ? value : undefined;
}

/**
 * Draws both rows into a planar yuv420p frame (Y plane, then U, then V).
 * Chroma planes are ceil(W/2) x ceil(H/2), as ffmpeg lays out rawvideo.
 * Cells are full-swing Y=0/255: after limited-range decoding they clamp to
 * pure black/white, so the reader's 128 threshold has the widest margin.
 * U=V=128 under the cells keeps them grey even where a chroma sample
 * straddles the scene below. Does nothing on frames too narrow for a stamp.
 */
export function writeStampYuv420(frame: Uint8Array, width: number, height: number, row0: number, row1: number): void {
  const c = stampCellSize(width);
  if (c === 0 || height < 2 * c) return;
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  if (frame.length < width * height + 2 * cw * ch) throw new RangeError('frame buffer smaller than a yuv420p frame');
  const rows = [encodeStampRow(row0), encodeStampRow(row1)];
  for (let r = 0; r < 2; r++) {
    const cells = rows[r] as boolean[];
    for (let y = r * c; y < (r + 1) * c; y++) {
      const line = y * width;
      for (let i = 0; i < STAMP_CELLS; i++) frame.fill(cells[i] ? 255 : 0, line + i * c, line + (i + 1) * c);
    }
  }
  // 64*c is even, so the cells cover exactly chroma columns 0..32c-1 and rows 0..c-1.
  const uStart = width * height;
  const vStart = uStart + cw * ch;
  for (let y = 0; y < c; y++) {
    frame.fill(128, uStart + y * cw, uStart + y * cw + 32 * c);
    frame.fill(128, vStart + y * cw, vStart + y * cw + 32 * c);
  }
}

export type StampRows = { row0?: number; row1?: number };

/**
 * Reads both rows from RGBA pixels (an ImageData buffer holding at least
 * the top 2c rows of the decoded frame at its full width), using the mean
 * of R, G and B. Each row is left out when invalid.
 */
export function readStampRows(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): StampRows {
  return readRows(rgba, width, height, 4);
}

/**
 * Same as readStampRows, from a luma (Y) plane of one byte per pixel, e.g.
 * the first W*H bytes of a yuv420p frame that ffmpeg decoded (for
 * full-swing stamps the 128 threshold holds for limited-range Y as well).
 */
export function readStampRowsLuma(luma: Uint8Array, width: number, height: number): StampRows {
  return readRows(luma, width, height, 1);
}

/**
 * Samples the middle third of each cell so that codec ringing and chroma
 * bleed at cell edges cannot flip a bit; `channels` is 4 for RGBA (mean of
 * the first three) or 1 for luma.
 */
function readRows(px: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: 1 | 4): StampRows {
  const c = stampCellSize(width);
  if (c === 0 || height < 2 * c || px.length < width * 2 * c * channels) return {};
  const used = channels === 4 ? 3 : 1;
  const lo = Math.floor(c / 3);
  const hi = c - lo; // exclusive; at least 2 pixels wide since c >= 6
  const result: StampRows = {};
  for (let r = 0; r < 2; r++) {
    const cells: boolean[] = [];
    for (let i = 0; i < STAMP_CELLS; i++) {
      let sum = 0;
      let n = 0;
      for (let y = r * c + lo; y < r * c + hi; y++) {
        for (let x = i * c + lo; x < i * c + hi; x++) {
          const p = (y * width + x) * channels;
          for (let k = 0; k < used; k++) sum += px[p + k] ?? 0;
          n += used;
        }
      }
      cells.push(sum / n >= 128);
    }
    const value = decodeStampRow(cells);
    if (value !== undefined) {
      if (r === 0) result.row0 = value;
      else result.row1 = value;
    }
  }
  return result;
}

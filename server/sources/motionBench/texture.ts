/**
 * The motion benchmark's backgrounds, computed once per size and mode as
 * yuv420p planes wider (and, for the heavy mode, taller) than the frame, so
 * a frame is a window of them copied row by row (memcpy), never per-pixel
 * JavaScript.
 *
 * `parity`: the same class of picture as the GStreamer peer's Scene
 * (peers/gst-webrtc/server.py): horizontal and vertical gradients, diagonal
 * stripes 24 px wide and a 64 px checker, scrolled 4 px a frame. Written
 * here from that description, in YUV, with our own code.
 *
 * `heavy`: fine detail everywhere (per-pixel seeded noise over an 8 px
 * checker, scrolled diagonally), for capacity and congestion work.
 */
import { seededRandom } from '../seededRandom.ts';
import { yuvColor } from '../yuvCanvas.ts';

export type MotionMode = 'parity' | 'heavy';

/** Horizontal scroll period (px): the texture is this much wider than the frame. */
export const SCROLL_PERIOD = 256;

export type Texture = {
  /** Width and height of the planes in luma pixels (width = frame width + SCROLL_PERIOD; heavy: height too). */
  width: number;
  height: number;
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
};

/** BT.601 limited range, per pixel: yuvColor without its object (the texture has a million pixels). */
function toY(r: number, g: number, b: number): number {
  return Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
}

function parityRgb(x: number, y: number, h: number): [number, number, number] {
  const stripes = (Math.floor((x + y) / 24) % 2) * 60;
  const checker = ((Math.floor(x / 64) + Math.floor(y / 64)) % 2) * 40;
  const b = Math.floor((((x * 255) / SCROLL_PERIOD) % 256) / 2) + stripes;
  const g = Math.floor((y * 255) / Math.max(1, h - 1) / 2) + checker;
  const r = Math.floor((255 - (x % SCROLL_PERIOD)) / 2) + checker / 2;
  return [Math.min(255, r), Math.min(255, g), Math.min(255, b)];
}

function heavyRgb(x: number, y: number, noise: number): [number, number, number] {
  // Tuned with x264 (ultrafast, zerolatency, our 2-frame VBV) at 720p60: PSNR Y 24.8 dB at
  // 4 Mbit/s, 35.9 at 8 and 40.0 at 12, where the parity title has 37.9 at 4.
  const checker = ((x >> 3) + (y >> 3)) % 2;
  const n = Math.floor(noise * 16);
  return [Math.min(255, n + 30 * checker), Math.min(255, 40 + 50 * checker + (n >> 1)), Math.min(255, 255 - n - 50 * checker)];
}

const cache = new Map<string, Texture>();

/** The texture for a frame size and mode (cached: every session of a size shares it, read-only). */
export function motionTexture(frameWidth: number, frameHeight: number, mode: MotionMode, seed: number): Texture {
  const key = `${frameWidth}x${frameHeight}:${mode}:${mode === 'heavy' ? seed : 0}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const width = frameWidth + SCROLL_PERIOD;
  const height = mode === 'heavy' ? frameHeight + SCROLL_PERIOD : frameHeight;
  const cw = width >> 1;
  const ch = height >> 1;
  const tex: Texture = { width, height, y: new Uint8Array(width * height), u: new Uint8Array(cw * ch), v: new Uint8Array(cw * ch) };
  const random = seededRandom(seed);
  // Chroma from the top-left pixel of each 2x2 block: exact enough for a benchmark picture, and one pass.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = mode === 'parity' ? parityRgb(x, y, frameHeight) : heavyRgb(x, y, random());
      tex.y[y * width + x] = toY(r, g, b);
      if ((x & 1) === 0 && (y & 1) === 0 && x >> 1 < cw && y >> 1 < ch) {
        const c = yuvColor(r, g, b);
        tex.u[(y >> 1) * cw + (x >> 1)] = c.u;
        tex.v[(y >> 1) * cw + (x >> 1)] = c.v;
      }
    }
  }
  cache.set(key, tex);
  return tex;
}

/**
 * The motion benchmark's picture: a window of the precomputed texture
 * (texture.ts) scrolled every frame, boxes bouncing over it, the player's
 * marker that the arrow keys, mouse, touch and gamepad move, and the latency
 * stamp on top. Deterministic from the seed: the same seed and frame number
 * give the same picture (the stamp's times aside).
 *
 * The heavy mode adds 48 boxes and, each frame, 150 small blocks of seeded
 * "sparkle" at random places: detail no motion search can predict, so a
 * clean picture needs a high bit rate.
 */
import { writeStampYuv420, stampCellSize, type InputEvent } from '../../../protocol/index.ts';
import { seededRandom } from '../seededRandom.ts';
import { YuvCanvas, yuv420FrameSize, yuvColor, type YuvColor } from '../yuvCanvas.ts';
import { stampValue } from '../render.ts';
import { SCROLL_PERIOD, motionTexture, type MotionMode, type Texture } from './texture.ts';

type Box = { x: number; y: number; vx: number; vy: number; size: number };

const MARKER = yuvColor(255, 255, 255);
const MARKER_EDGE = yuvColor(0, 0, 0);
/** Sparkle blocks per frame in heavy mode, each 8x8 px. */
const SPARKLES = 150;
const ARROW_STEPS: Partial<Record<string, readonly [number, number]>> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const SPARKLE_PX = 8;

export class MotionScene {
  readonly width: number;
  readonly height: number;
  private readonly tex: Texture;
  private readonly boxes: Box[] = [];
  private readonly random: () => number;
  private readonly top: number;
  private frameNo = 0;
  /** The player's marker, in pixels; input moves it. */
  private marker: { x: number; y: number };
  private held = { x: 0, y: 0 };

  private readonly mode: MotionMode;

  constructor(o: { width: number; height: number; mode: MotionMode; seed: number }) {
    this.mode = o.mode;
    this.width = o.width;
    this.height = o.height;
    this.tex = motionTexture(o.width, o.height, o.mode, o.seed);
    this.random = seededRandom(o.seed ^ 0x9e3779b9);
    // Nothing moves over the stamp's two rows.
    this.top = 2 * Math.max(1, stampCellSize(o.width));
    const count = o.mode === 'parity' ? 1 : 48;
    for (let i = 0; i < count; i++) {
      const size = o.mode === 'parity' ? Math.max(16, Math.floor(o.height / 6)) : Math.max(8, Math.floor(o.height / (10 + this.random() * 20)));
      this.boxes.push({
        x: o.mode === 'parity' ? Math.floor(o.width / 3) : this.random() * (o.width - size),
        y: o.mode === 'parity' ? Math.floor(o.height / 3) : this.top + this.random() * (o.height - size - this.top),
        vx: o.mode === 'parity' ? Math.max(2, Math.floor(o.width / 160)) : ((this.random() - 0.5) * o.width) / 40,
        vy: o.mode === 'parity' ? Math.max(2, Math.floor(o.height / 120)) : ((this.random() - 0.5) * o.height) / 30,
        size,
      });
    }
    this.marker = { x: o.width / 2, y: o.height * 0.75 };
  }

  /** Moves the marker as the demo game moves its paddle: keys and d-pad hold a direction; pointer and touch place it. */
  applyInput(ev: InputEvent): void {
    switch (ev.t) {
      case 'key': {
        const d = ARROW_STEPS[ev.code];
        if (!d) return;
        if (ev.down) {
          const [x, y] = d;
          this.held = { x, y };
          this.nudge(x, y);
        } else this.held = { x: 0, y: 0 };
        return;
      }
      case 'move':
      case 'button':
      case 'touch':
        this.marker = { x: ev.x * this.width, y: ev.y * this.height };
        return;
      case 'pad':
        this.held = { x: Math.round(ev.axes[0] ?? 0), y: Math.round(ev.axes[1] ?? 0) };
        return;
      default:
        return;
    }
  }

  /** Lets go of everything (the player left). */
  release(): void {
    this.held = { x: 0, y: 0 };
  }

  /** One frame: a fresh Buffer (the encoder may still hold earlier ones). */
  render(producedAtMs: number, lastInputTs: number): Buffer {
    const { width: w, height: h, tex } = this;
    const frame = Buffer.allocUnsafe(yuv420FrameSize(w, h));
    const n = this.frameNo++;
    const dx = (n * 4) % SCROLL_PERIOD; // even, so chroma moves by whole samples
    const dy = this.mode === 'heavy' ? (n * 2) % SCROLL_PERIOD : 0;
    const cw = w >> 1;
    const tcw = tex.width >> 1;
    for (let row = 0; row < h; row++) {
      const src = (row + dy) * tex.width + dx;
      frame.set(tex.y.subarray(src, src + w), row * w);
    }
    const uBase = w * h;
    const vBase = uBase + cw * (h >> 1);
    for (let row = 0; row < h >> 1; row++) {
      const src = (row + (dy >> 1)) * tcw + (dx >> 1);
      frame.set(tex.u.subarray(src, src + cw), uBase + row * cw);
      frame.set(tex.v.subarray(src, src + cw), vBase + row * cw);
    }
    const cv = new YuvCanvas(frame, w, h);
    for (const [i, b] of this.boxes.entries()) {
      this.move(b);
      cv.rect(b.x, b.y, b.size, b.size, this.boxColor(n, i));
    }
    if (this.mode === 'heavy') this.sparkle(cv);
    this.stepMarker();
    const m = Math.max(8, Math.floor(h / 24));
    cv.rect(this.marker.x - m, this.marker.y - m, 2 * m, 2 * m, MARKER_EDGE);
    cv.rect(this.marker.x - m + 2, this.marker.y - m + 2, 2 * m - 4, 2 * m - 4, MARKER);
    writeStampYuv420(frame, w, h, stampValue(producedAtMs), stampValue(lastInputTs));
    return frame;
  }

  private boxColor(n: number, i: number): YuvColor {
    // As the peer's box: its colour changes every frame.
    return { y: 16 + ((n * 7 + i * 31) % 220), u: (255 - ((n * 5 + i * 17) % 256)) & 0xff, v: 200 };
  }

  private move(b: Box): void {
    b.x += b.vx;
    b.y += b.vy;
    if (b.x < 0 || b.x + b.size > this.width) {
      b.vx = -b.vx;
      b.x = Math.max(0, Math.min(this.width - b.size, b.x));
    }
    if (b.y < this.top || b.y + b.size > this.height) {
      b.vy = -b.vy;
      b.y = Math.max(this.top, Math.min(this.height - b.size, b.y));
    }
  }

  private sparkle(cv: YuvCanvas): void {
    const { width: w, height: h } = this;
    for (let i = 0; i < SPARKLES; i++) {
      const x = Math.floor(this.random() * (w - SPARKLE_PX));
      const y = this.top + Math.floor(this.random() * (h - SPARKLE_PX - this.top));
      const l = 16 + Math.floor(this.random() * 220);
      cv.rect(x, y, SPARKLE_PX, SPARKLE_PX, { y: l, u: 128 + ((l * 3) & 63) - 32, v: 128 - ((l * 5) & 63) + 32 });
    }
  }

  private nudge(dx: number, dy: number): void {
    const step = Math.max(4, this.width / 40);
    this.marker = { x: clamp(this.marker.x + dx * step, 0, this.width), y: clamp(this.marker.y + dy * step, this.top, this.height) };
  }

  private stepMarker(): void {
    if (this.held.x === 0 && this.held.y === 0) return;
    const step = Math.max(2, this.width / 160);
    this.marker = { x: clamp(this.marker.x + this.held.x * step, 0, this.width), y: clamp(this.marker.y + this.held.y * step, this.top, this.height) };
  }
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/**
 * Reads the latency stamp (docs/latency-stamp.md) from every presented
 * frame: glass-to-glass latency from row 0, input-to-photon latency from
 * row 1 matched against the `ts` of inputs this page sent. Only the top 2c
 * rows of each frame are copied out of the video, at its native width.
 */
import { readStampRows, stampCellSize } from '../protocol/latencyStamp.ts';
import { recordG2g, recordInputToPhoton } from './hook.ts';
import type { EdgeplayHook } from './hook.ts';
import { SampleWindow, SentInputLog } from './samples.ts';

type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export type StampMeterOptions = {
  /** Called on the first presented frame of each source (see newSource). */
  onFirstFrame?: () => void;
};

export class StampMeter {
  /** Timed glass-to-glass samples (Date.now() of presentation, latency) for windowed percentiles. */
  readonly g2g = new SampleWindow(4096);
  readonly inputToPhoton = new SampleWindow(1024);
  lastInputToPhotonMs: number | undefined;
  private canvas: HTMLCanvasElement | OffscreenCanvas | undefined;
  private ctx: Ctx2D | undefined;
  private handle: number | undefined;
  private usesVideoFrames = false;
  private stopped = false;
  private lastMediaTime = -1;
  /** Frames counted before the current source (frames of earlier edges). */
  private earlierFrames = 0;
  /** The current source's frame count; presentedFrames at its first callback (a baseline, in case the element does not restart its count). */
  private sourceFrames = 0;
  private sourceCallbacks = 0;
  /** 0 for the element's first stream: its count starts with it. */
  private sourceBase: number | undefined = 0;
  private sourceSeen = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly hook: EdgeplayHook,
    private readonly sent: SentInputLog,
    private readonly opts: StampMeterOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.usesVideoFrames = typeof this.video.requestVideoFrameCallback === 'function';
    if (this.usesVideoFrames) {
      this.handle = this.video.requestVideoFrameCallback(this.onVideoFrame);
    } else {
      this.handle = requestAnimationFrame(this.onAnimationFrame); // fallback: detect new frames by media time
    }
  }

  /**
   * The video element got a new stream (a resumed session on another
   * edge): frame counting continues from the current total, and the next
   * frame is reported as a first frame again.
   */
  newSource(): void {
    this.earlierFrames = this.hook.framesPresented;
    this.sourceFrames = 0;
    this.sourceCallbacks = 0;
    this.sourceBase = undefined;
    this.sourceSeen = false;
    this.lastMediaTime = -1;
    // Re-register: a frame callback pending on the old stream is not guaranteed to survive the switch.
    if (!this.stopped) {
      this.stop();
      this.start();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.handle === undefined) return;
    if (this.usesVideoFrames) this.video.cancelVideoFrameCallback(this.handle);
    else cancelAnimationFrame(this.handle);
    this.handle = undefined;
  }

  private readonly onVideoFrame = (_now: DOMHighResTimeStamp, meta: VideoFrameCallbackMetadata): void => {
    if (this.stopped) return;
    this.handle = this.video.requestVideoFrameCallback(this.onVideoFrame);
    this.onFrame(Date.now(), meta.width, meta.presentedFrames);
  };

  private readonly onAnimationFrame = (): void => {
    if (this.stopped) return;
    this.handle = requestAnimationFrame(this.onAnimationFrame);
    const t = this.video.currentTime;
    if (this.video.readyState < 2 || t === this.lastMediaTime) return;
    this.lastMediaTime = t;
    this.onFrame(Date.now(), this.video.videoWidth, undefined);
  };

  private onFrame(presentedAt: number, metaWidth: number, presentedFrames: number | undefined): void {
    const hook = this.hook;
    this.sourceCallbacks++;
    // The compositor's own count also includes frames presented while the page was too busy for a callback.
    // Counted from this source's first callback, so a new stream on the same element neither resets nor double-counts.
    if (presentedFrames !== undefined) this.sourceBase ??= presentedFrames - 1;
    const own = presentedFrames !== undefined && this.sourceBase !== undefined ? presentedFrames - this.sourceBase : 0;
    this.sourceFrames = Math.max(this.sourceFrames, own, this.sourceCallbacks);
    hook.framesPresented = this.earlierFrames + this.sourceFrames;
    hook.firstFrameAtMs ??= performance.now();
    if (!this.sourceSeen) {
      this.sourceSeen = true;
      this.opts.onFirstFrame?.();
    }
    const width = this.video.videoWidth || metaWidth;
    const c = stampCellSize(width);
    if (c === 0 || this.video.videoHeight < 2 * c) return;
    hook.stampFramesRead++;
    const rgba = this.grabTop(width, 2 * c);
    if (!rgba) return;
    const { row0, row1 } = readStampRows(rgba, width, 2 * c);
    if (row0 === undefined) return;
    hook.stampFramesValid++;
    hook.lastRow0 = row0;
    const g2g = presentedAt - row0;
    this.g2g.push(presentedAt, g2g);
    recordG2g(hook, g2g);
    if (row1 === undefined) return;
    hook.lastRow1 = row1;
    if (row1 > 0 && this.sent.take(row1)) {
      const i2p = presentedAt - row1;
      this.lastInputToPhotonMs = i2p;
      this.inputToPhoton.push(presentedAt, i2p);
      recordInputToPhoton(hook, i2p);
    }
  }

  /** The top `height` rows of the current frame as RGBA, or undefined when the frame cannot be read yet. */
  private grabTop(width: number, height: number): Uint8ClampedArray | undefined {
    const ctx = this.context(width, height);
    if (!ctx) return undefined;
    try {
      ctx.drawImage(this.video, 0, 0, width, height, 0, 0, width, height);
      return ctx.getImageData(0, 0, width, height).data;
    } catch {
      return undefined; // no decodable frame at this instant
    }
  }

  private context(width: number, height: number): Ctx2D | undefined {
    if (this.canvas && this.ctx && this.canvas.width === width && this.canvas.height === height) return this.ctx;
    const settings: CanvasRenderingContext2DSettings = { willReadFrequently: true, alpha: false };
    if (typeof OffscreenCanvas === 'function') {
      const canvas = new OffscreenCanvas(width, height);
      this.canvas = canvas;
      this.ctx = canvas.getContext('2d', settings) ?? undefined;
    } else {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      this.canvas = canvas;
      this.ctx = canvas.getContext('2d', settings) ?? undefined;
    }
    return this.ctx;
  }
}

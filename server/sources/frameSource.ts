/**
 * The demo game as a frame source: owns a DemoGame and a frame timer and
 * hands out raw yuv420p frames (a fresh Buffer each, see render.ts) at a
 * fixed rate, stamped for latency measurement (docs/latency-stamp.md).
 *
 * Timing: tick n is due at start + n * interval, so scheduling error does
 * not accumulate (a setTimeout that re-arms itself with a fixed interval
 * drifts late by every callback's lateness). When the process falls behind,
 * missed ticks are skipped instead of produced in a burst: a burst would
 * only fill the encoder's pipe with stale pictures and add latency.
 */
import type { InputEvent } from '../../protocol/index.ts';
import { DemoGame } from './demoGame.ts';
import type { DemoGameOptions } from './demoGame.ts';
import { renderFrame } from './render.ts';
import { DemoSynth } from './demoSounds.ts';
import { DemoAudioSource } from './audioSource.ts';

export type FrameHandler = (frame: Buffer, producedAtMs: number) => void;

/** The two timer calls the source uses; tests pass a fake, production uses setTimeout. */
export type FrameTimers = {
  set(fn: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
};

export type DemoGameSourceOptions = {
  width?: number;
  height?: number;
  fps?: number;
  /** Wall clock in ms since the epoch (row 0 of the stamp); Date.now by default. */
  now?: () => number;
  timers?: FrameTimers;
  /** Passed to the game (e.g. seed, autoServeMs). */
  game?: Omit<DemoGameOptions, 'width' | 'height'>;
};

const realTimers: FrameTimers = {
  set: (fn, delayMs) => setTimeout(fn, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class DemoGameSource {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly game: DemoGame;
  /** The game's sound effects as a PCM stream; its own timer, started by the session. */
  readonly audio: DemoAudioSource;
  readonly synth = new DemoSynth();
  /** Frames handed to onFrame since construction. */
  framesProduced = 0;
  /** Ticks dropped because the process was late (see the note at the top). */
  ticksSkipped = 0;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly timers: FrameTimers;
  private onFrame: FrameHandler | undefined;
  private timer: unknown;
  private startMs = 0;
  private tick = 0;
  private lastStepMs = 0;
  private lastInputTs = 0;

  constructor(o: DemoGameSourceOptions = {}) {
    this.width = o.width ?? 1280;
    this.height = o.height ?? 720;
    this.fps = o.fps ?? 60;
    if (!(this.fps > 0 && this.fps <= 240)) throw new RangeError(`fps must be in (0, 240], got ${this.fps}`);
    this.intervalMs = 1000 / this.fps;
    this.now = o.now ?? Date.now;
    this.timers = o.timers ?? realTimers;
    this.game = new DemoGame({ ...o.game, width: this.width, height: this.height });
    this.game.onSound = (sound) => this.synth.trigger(sound);
    this.audio = new DemoAudioSource({ synth: this.synth, now: this.now, timers: this.timers });
  }

  get running(): boolean {
    return this.onFrame !== undefined;
  }

  /** Client ts of the latest applied input (row 1 of the next frame's stamp); 0 before any. */
  get lastInputTimestamp(): number {
    return this.lastInputTs;
  }

  /** Produces the first frame on the next turn of the event loop, then one per interval. */
  start(onFrame: FrameHandler): void {
    if (this.onFrame) throw new Error('DemoGameSource already started');
    this.onFrame = onFrame;
    this.startMs = this.now();
    this.lastStepMs = this.startMs;
    this.tick = 0;
    this.timer = this.timers.set(this.run, 0);
  }

  /** Idempotent; no frame is delivered after it returns. */
  stop(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.onFrame = undefined;
  }

  /**
   * Applies the event to the game at once rather than at the next tick,
   * and remembers its ts so the very next frame echoes it in row 1.
   */
  applyInput(ev: InputEvent): void {
    this.game.applyInput(ev);
    this.lastInputTs = ev.ts;
  }

  private readonly run = (): void => {
    this.timer = undefined;
    const onFrame = this.onFrame;
    if (!onFrame) return;
    const now = this.now();
    this.game.step(now - this.lastStepMs); // the game clamps negative and huge steps
    this.lastStepMs = now;
    const producedAtMs = Math.floor(now);
    const frame = renderFrame(this.game, producedAtMs, this.lastInputTs);
    this.framesProduced++;
    onFrame(frame, producedAtMs);
    if (this.onFrame !== onFrame) return; // stopped (or restarted) from inside the handler
    this.scheduleNext();
  };

  private scheduleNext(): void {
    const now = this.now();
    // The first tick due strictly after now; any in between were missed.
    const next = Math.max(this.tick + 1, Math.floor((now - this.startMs) / this.intervalMs) + 1);
    this.ticksSkipped += next - this.tick - 1;
    this.tick = next;
    let delay = this.startMs + next * this.intervalMs - now;
    if (delay > 2 * this.intervalMs) {
      // The wall clock jumped backwards: re-anchor instead of stalling.
      this.startMs = now;
      this.tick = 1;
      delay = this.intervalMs;
    }
    this.timer = this.timers.set(this.run, Math.max(0, delay));
  }
}

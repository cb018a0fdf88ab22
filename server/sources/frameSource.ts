/**
 * The demo game as a frame source: owns a DemoGame and a frame clock
 * (frameClock.ts) and hands out raw yuv420p frames (a fresh Buffer each,
 * see render.ts) at a fixed rate, stamped for latency measurement
 * (docs/latency-stamp.md).
 */
import type { InputEvent } from '../../protocol/index.ts';
import { DemoGame } from './demoGame.ts';
import type { DemoGameOptions } from './demoGame.ts';
import { renderFrame } from './render.ts';
import { DemoSynth } from './demoSounds.ts';
import { DemoAudioSource } from './audioSource.ts';
import { FrameClock, realTimers, type FrameTimers } from './frameClock.ts';

export type { FrameTimers } from './frameClock.ts';

export type FrameHandler = (frame: Buffer, producedAtMs: number) => void;

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
  private readonly clock: FrameClock;
  private lastStepMs = 0;
  private lastInputTs = 0;

  constructor(o: DemoGameSourceOptions = {}) {
    this.width = o.width ?? 1280;
    this.height = o.height ?? 720;
    this.fps = o.fps ?? 60;
    const now = o.now ?? Date.now;
    const timers = o.timers ?? realTimers;
    this.clock = new FrameClock(this.fps, now, timers);
    this.game = new DemoGame({ ...o.game, width: this.width, height: this.height });
    this.game.onSound = (sound) => this.synth.trigger(sound);
    this.audio = new DemoAudioSource({ synth: this.synth, now, timers });
    this.lastStepMs = now();
  }

  get running(): boolean {
    return this.clock.running;
  }

  /** Ticks dropped because the process was late. */
  get ticksSkipped(): number {
    return this.clock.ticksSkipped;
  }

  /** Client ts of the latest applied input (row 1 of the next frame's stamp); 0 before any. */
  get lastInputTimestamp(): number {
    return this.lastInputTs;
  }

  /** Produces the first frame on the next turn of the event loop, then one per interval. */
  start(onFrame: FrameHandler): void {
    if (this.clock.running) throw new Error('DemoGameSource already started');
    let first = true;
    this.clock.start((now) => {
      if (first) {
        this.lastStepMs = now;
        first = false;
      }
      this.game.step(now - this.lastStepMs); // the game clamps negative and huge steps
      this.lastStepMs = now;
      const producedAtMs = Math.floor(now);
      const frame = renderFrame(this.game, producedAtMs, this.lastInputTs);
      this.framesProduced++;
      onFrame(frame, producedAtMs);
    });
  }

  /** Idempotent; no frame is delivered after it is called. */
  stop(): Promise<void> {
    this.clock.stop();
    return Promise.resolve();
  }

  /**
   * Applies the event to the game at once rather than at the next tick,
   * and remembers its ts so the very next frame echoes it in row 1.
   */
  applyInput(ev: InputEvent): void {
    this.game.applyInput(ev);
    this.lastInputTs = ev.ts;
  }
}

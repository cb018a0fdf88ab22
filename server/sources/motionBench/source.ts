/**
 * The motion benchmark as a frame source (issue 16): a MotionScene on the
 * shared frame clock, answering input like the demo game and echoing the
 * latest input's ts in row 1 of the stamp, so input-to-photon is measured
 * on it the same way. No sound.
 */
import type { InputEvent } from '../../../protocol/index.ts';
import { FrameClock, realTimers, type FrameTimers } from '../frameClock.ts';
import type { FrameHandler } from '../frameSource.ts';
import { MotionScene } from './scene.ts';
import type { MotionMode } from './texture.ts';

export type MotionBenchOptions = { width: number; height: number; fps: number; mode: MotionMode; seed: number; now?: () => number; timers?: FrameTimers };

export class MotionBenchSource {
  readonly scene: MotionScene;
  framesProduced = 0;
  private readonly clock: FrameClock;
  private lastInputTs = 0;

  constructor(o: MotionBenchOptions) {
    this.scene = new MotionScene(o);
    this.clock = new FrameClock(o.fps, o.now ?? Date.now, o.timers ?? realTimers);
  }

  start(onFrame: FrameHandler): void {
    this.clock.start((now) => {
      const producedAtMs = Math.floor(now);
      const frame = this.scene.render(producedAtMs, this.lastInputTs);
      this.framesProduced++;
      onFrame(frame, producedAtMs);
    });
  }

  stop(): Promise<void> {
    this.clock.stop();
    return Promise.resolve();
  }

  applyInput(ev: InputEvent): void {
    this.scene.applyInput(ev);
    this.lastInputTs = ev.ts;
  }

  releaseInput(): void {
    this.scene.release();
  }
}

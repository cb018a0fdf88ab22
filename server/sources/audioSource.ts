/**
 * The demo game's sound as a continuous PCM stream (48 kHz s16le stereo):
 * one chunk per interval on a drift-free timer, silence between effects, so
 * the Opus encoder and the browser's jitter buffer see a steady real-time
 * stream.
 *
 * Timing: chunk n is due at start + n * interval (as the frame timer does).
 * Unlike frames, late chunks are not skipped but produced together in one
 * buffer: the encoder stamps audio by sample count, so every sample that is
 * missing would make RTP timestamps lag real time. Only after a long stall
 * (over MAX_CATCH_UP_MS) the timer re-anchors instead of sending a burst.
 */
import type { AudioSource } from '../edge/ports.ts';
import { AUDIO_SAMPLE_RATE, type DemoSynth } from './demoSounds.ts';
import type { FrameTimers } from './frameSource.ts';

export type DemoAudioSourceOptions = {
  synth: DemoSynth;
  /** Chunk length (default 20 ms, one Opus frame). */
  chunkMs?: number;
  now?: () => number;
  timers?: FrameTimers;
};

const MAX_CATCH_UP_MS = 200;

const realTimers: FrameTimers = {
  set: (fn, delayMs) => setTimeout(fn, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class DemoAudioSource implements AudioSource {
  readonly chunkMs: number;
  /** Sample frames handed out so far. */
  samplesProduced = 0;
  /** Chunks given up after a stall longer than MAX_CATCH_UP_MS. */
  chunksSkipped = 0;
  private readonly samplesPerChunk: number;
  private readonly now: () => number;
  private readonly timers: FrameTimers;
  private onChunk: ((pcm: Buffer) => void) | undefined;
  private timer: unknown;
  private startMs = 0;
  private chunks = 0;

  constructor(private readonly o: DemoAudioSourceOptions) {
    this.chunkMs = o.chunkMs ?? 20;
    this.samplesPerChunk = Math.round((AUDIO_SAMPLE_RATE * this.chunkMs) / 1000);
    if (!(this.samplesPerChunk > 0)) throw new RangeError(`chunkMs must be positive, got ${this.chunkMs}`);
    this.now = o.now ?? Date.now;
    this.timers = o.timers ?? realTimers;
  }

  start(onChunk: (pcm: Buffer) => void): void {
    if (this.onChunk) throw new Error('DemoAudioSource already started');
    this.onChunk = onChunk;
    this.startMs = this.now();
    this.chunks = 0;
    this.timer = this.timers.set(this.run, 0);
  }

  /** Idempotent; no chunk is delivered after it returns. */
  stop(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.onChunk = undefined;
  }

  private readonly run = (): void => {
    this.timer = undefined;
    const onChunk = this.onChunk;
    if (!onChunk) return;
    const now = this.now();
    let due = Math.floor((now - this.startMs) / this.chunkMs) + 1 - this.chunks;
    if (due * this.chunkMs > MAX_CATCH_UP_MS || due < 0) {
      // A long stall or a clock jump: re-anchor, one chunk now.
      if (due > 0) this.chunksSkipped += due - 1;
      this.startMs = now;
      this.chunks = 0;
      due = 1;
    }
    if (due > 0) {
      const frames = due * this.samplesPerChunk;
      this.chunks += due;
      this.samplesProduced += frames;
      onChunk(this.o.synth.render(frames));
      if (this.onChunk !== onChunk) return;
    }
    const delay = this.startMs + this.chunks * this.chunkMs - this.now();
    this.timer = this.timers.set(this.run, Math.max(0, delay));
  };
}

/**
 * Captures a virtual display with ffmpeg's x11grab into raw yuv420p frames
 * on stdout, cut into whole frames in Node. Capture stays a separate
 * process from the encoder, so the session's encoder pipeline (standby
 * encoders for keyframes on demand) treats these frames like the demo
 * game's.
 *
 * Supervised by SupervisedChild: ready on the first whole frame, a stderr
 * tail for the failure message, "failed to start" apart from "died later".
 */
import type { Logger } from 'pino';
import { SupervisedChild, describeExit, type ChildGroupRegistry } from '../../../encoder/supervisedChild.ts';
import { FrameAssembler, yuv420pFrameSize } from './frameAssembler.ts';

export type X11CaptureOptions = {
  ffmpegPath: string;
  display: string;
  width: number;
  height: number;
  fps: number;
  logger: Logger;
  readyTimeoutMs?: number;
  children?: ChildGroupRegistry;
};

export function x11grabArgs(o: Pick<X11CaptureOptions, 'display' | 'width' | 'height' | 'fps'>): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    // The pointer is the player's own; drawing it into the picture would show it twice.
    '-f',
    'x11grab',
    '-draw_mouse',
    '0',
    '-framerate',
    String(o.fps),
    '-video_size',
    `${o.width}x${o.height}`,
    '-i',
    o.display,
    '-pix_fmt',
    'yuv420p',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}

export class X11Capture {
  private child: SupervisedChild | undefined;
  private closing: Promise<void> | undefined;
  private diedHandlers: Array<(why: string) => void> = [];
  private readonly log: Logger;

  constructor(private readonly o: X11CaptureOptions) {
    this.log = o.logger.child({ module: 'x11-capture', display: o.display });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get stderrTail(): string[] {
    return this.child?.stderrTail ?? [];
  }

  /** Called when ffmpeg exits after its first frame without being closed. */
  onDied(cb: (why: string) => void): void {
    this.diedHandlers.push(cb);
  }

  /** Spawns ffmpeg; resolves on the first whole frame, rejects if none comes in time. */
  async start(onFrame: (frame: Buffer, capturedAtMs: number) => void): Promise<void> {
    const timeoutMs = this.o.readyTimeoutMs ?? 10_000;
    const child = new SupervisedChild({
      name: 'x11grab',
      command: this.o.ffmpegPath,
      args: x11grabArgs(this.o),
      logger: this.log,
      stdout: 'pipe',
      registry: this.o.children,
      readiness: {},
    });
    this.child = child;
    child.startReadyClock(timeoutMs, `no frame in ${timeoutMs} ms`);
    const assembler = new FrameAssembler(
      yuv420pFrameSize(this.o.width, this.o.height),
      (frame) => {
        child.markReady();
        onFrame(frame, Date.now());
      },
      { reuse: true },
    ); // frames go to the video encoders only (see frameAssembler.ts)
    child.process.stdout?.on('data', (chunk: Buffer) => {
      if (!this.closing) assembler.push(chunk);
    });
    child.onDied((exit) => {
      const why = `x11grab ${describeExit(exit)}: ${exit.stderrTail.slice(-3).join(' | ')}`;
      for (const h of this.diedHandlers) h(why);
    });
    await child.ready.catch((err: Error) => {
      throw new Error(`x11grab did not start: ${err.message}: ${child.stderrTail.slice(-3).join(' | ')}`);
    });
  }

  /** SIGTERM, then SIGKILL after 1 s; resolves when ffmpeg is gone. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.child?.stop() ?? Promise.resolve();
    return this.closing;
  }
}

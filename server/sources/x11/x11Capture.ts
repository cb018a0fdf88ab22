/**
 * Captures a virtual display with ffmpeg's x11grab into raw yuv420p frames
 * on stdout, cut into whole frames in Node. Capture stays a separate
 * process from the encoder, so the session's encoder pipeline (standby
 * encoders for keyframes on demand) treats these frames like the demo
 * game's.
 *
 * Supervised like encoder/ffmpegProcess.ts (which is built around stdin):
 * ready on the first whole frame, a stderr tail for the failure message,
 * "failed to start" apart from "died later", an idempotent close.
 */
import type { ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import { FrameAssembler, yuv420pFrameSize } from './frameAssembler.ts';
import { spawnGroup, stopGroup } from './processGroup.ts';

export type X11CaptureOptions = {
  ffmpegPath: string;
  display: string;
  width: number;
  height: number;
  fps: number;
  logger: Logger;
  readyTimeoutMs?: number;
};

export function x11grabArgs(o: Pick<X11CaptureOptions, 'display' | 'width' | 'height' | 'fps'>): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    // The pointer is the player's own; drawing it into the picture would show it twice.
    '-f', 'x11grab', '-draw_mouse', '0', '-framerate', String(o.fps), '-video_size', `${o.width}x${o.height}`, '-i', o.display,
    '-pix_fmt', 'yuv420p', '-f', 'rawvideo', 'pipe:1',
  ];
}

export class X11Capture {
  private child: ChildProcess | undefined;
  private closing: Promise<void> | undefined;
  private readonly tail: string[] = [];
  private diedHandlers: Array<(why: string) => void> = [];
  private readonly log: Logger;

  constructor(private readonly o: X11CaptureOptions) {
    this.log = o.logger.child({ module: 'x11-capture', display: o.display });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get stderrTail(): string[] {
    return [...this.tail];
  }

  /** Called when ffmpeg exits after its first frame without being closed. */
  onDied(cb: (why: string) => void): void {
    this.diedHandlers.push(cb);
  }

  /** Spawns ffmpeg; resolves on the first whole frame, rejects if none comes in time. */
  start(onFrame: (frame: Buffer, capturedAtMs: number) => void): Promise<void> {
    const child = spawnGroup(this.o.ffmpegPath, x11grabArgs(this.o), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let ready = false;
    return new Promise<void>((resolve, reject) => {
      const timeoutMs = this.o.readyTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        reject(new Error(`x11grab gave no frame in ${timeoutMs} ms: ${this.tail.join(' | ')}`));
        void this.close();
      }, timeoutMs);
      const assembler = new FrameAssembler(yuv420pFrameSize(this.o.width, this.o.height), (frame) => {
        if (!ready) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
        onFrame(frame, Date.now());
      }, { reuse: true }); // frames go to the video encoders only (see frameAssembler.ts)
      child.stdout?.on('data', (chunk: Buffer) => {
        if (!this.closing) assembler.push(chunk);
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (s: string) => {
        for (const line of s.split(/\r?\n|\r/)) if (line.trim()) this.tail.push(line);
        this.tail.splice(0, Math.max(0, this.tail.length - 20));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        const how = `x11grab ${signal ? `killed by ${signal}` : `exited with code ${code}`}: ${this.tail.slice(-3).join(' | ')}`;
        if (!ready) return reject(new Error(how));
        if (this.closing) return;
        this.log.warn({ code, signal, stderrTail: this.tail }, 'x11grab died');
        for (const h of this.diedHandlers) h(how);
      });
    });
  }

  /** SIGTERM, then SIGKILL after 1 s; resolves when ffmpeg is gone. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.child ? stopGroup(this.child) : Promise.resolve();
    return this.closing;
  }
}

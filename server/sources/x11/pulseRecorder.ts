/**
 * Records a null sink's monitor with `parec` and hands out 20 ms PCM chunks.
 *
 * Why parec and not ffmpeg `-f pulse`: it is a small libpulse client that
 * writes each fragment the server sends as it comes, and `--latency-msec`
 * sets both the fragment size and the null sink's render block, so chunks
 * arrive steadily every ~20 ms, silence included (the null sink renders on
 * its own clock while a recorder is attached). The stream is therefore real
 * time by construction; no timer in Node.
 *
 * Supervised like X11Capture: a stderr tail for the message, "died" reported
 * once unless closed, close() idempotent (SIGTERM to the group, then SIGKILL).
 */
import type { ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import { FrameAssembler } from './frameAssembler.ts';
import { PCM_CHUNK_BYTES, parecArgs } from './pulseArgs.ts';
import { spawnGroup, stopGroup } from './processGroup.ts';

export type PulseRecorderOptions = {
  parecPath: string;
  socketPath: string;
  sinkName: string;
  latencyMs: number;
  /** The recorder's whole environment (HOME inside the session's directory, so its cookie lands there). */
  env: Record<string, string>;
  logger: Logger;
};

export class PulseRecorder {
  private child: ChildProcess | undefined;
  private closing: Promise<void> | undefined;
  private readonly tail: string[] = [];
  /** Bytes received from parec (for tests and metrics). */
  bytesIn = 0;

  constructor(private readonly o: PulseRecorderOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns parec; `onDied` is called once if it ends (or cannot start) without close(). */
  start(onChunk: (pcm: Buffer) => void, onDied: (why: string) => void): void {
    if (this.child) throw new Error('PulseRecorder already started');
    const child = spawnGroup(this.o.parecPath, parecArgs(this.o), { env: this.o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // The same cutter as video frames: a fresh buffer per 20 ms chunk, whatever sizes the pipe delivers.
    const chunker = new FrameAssembler(PCM_CHUNK_BYTES, onChunk);
    child.stdout?.on('data', (data: Buffer) => {
      if (this.closing) return;
      this.bytesIn += data.length;
      chunker.push(data);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      for (const line of s.split(/\r?\n/)) if (line.trim()) this.tail.push(line.trim());
      this.tail.splice(0, Math.max(0, this.tail.length - 10));
    });
    let reported = false;
    const died = (why: string) => {
      if (reported || this.closing) return;
      reported = true;
      onDied(why);
    };
    child.once('error', (err) => died(`parec could not start: ${err.message}`));
    child.once('close', (code, signal) => died(`parec ${signal ? `killed by ${signal}` : `exited with code ${code}`}: ${this.tail.slice(-2).join(' | ')}`));
    this.o.logger.debug({ pid: child.pid }, 'audio recorder started');
  }

  /** Resolves when parec is gone. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.child ? stopGroup(this.child, 500) : Promise.resolve();
    return this.closing;
  }
}

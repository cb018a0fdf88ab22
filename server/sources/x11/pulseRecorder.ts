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
 * Supervised by SupervisedChild: a stderr tail for the message, "died"
 * reported once unless closed (a failed spawn included), close() idempotent.
 */
import type { Logger } from 'pino';
import { SupervisedChild, describeExit, type ChildGroupRegistry } from '../../../encoder/supervisedChild.ts';
import { FrameAssembler } from './frameAssembler.ts';
import { PCM_CHUNK_BYTES, parecArgs } from './pulseArgs.ts';

export type PulseRecorderOptions = {
  parecPath: string;
  socketPath: string;
  sinkName: string;
  latencyMs: number;
  /** The recorder's whole environment (HOME inside the session's directory, so its cookie lands there). */
  env: Record<string, string>;
  logger: Logger;
  children?: ChildGroupRegistry;
};

export class PulseRecorder {
  private child: SupervisedChild | undefined;
  private closing: Promise<void> | undefined;
  /** Bytes received from parec (for tests and metrics). */
  bytesIn = 0;

  constructor(private readonly o: PulseRecorderOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns parec; `onDied` is called once if it ends (or cannot start) without close(). */
  start(onChunk: (pcm: Buffer) => void, onDied: (why: string) => void): void {
    if (this.child) throw new Error('PulseRecorder already started');
    const child = new SupervisedChild({
      name: 'parec',
      command: this.o.parecPath,
      args: parecArgs(this.o),
      env: this.o.env,
      logger: this.o.logger,
      stdout: 'pipe',
      stderrLines: 10,
      registry: this.o.children,
    });
    this.child = child;
    // The same cutter as video frames: a fresh buffer per 20 ms chunk, whatever sizes the pipe delivers.
    const chunker = new FrameAssembler(PCM_CHUNK_BYTES, onChunk);
    child.process.stdout?.on('data', (data: Buffer) => {
      if (this.closing) return;
      this.bytesIn += data.length;
      chunker.push(data);
    });
    child.onDied((exit) => {
      if (exit.spawnError) return onDied(`parec could not start: ${exit.spawnError.message}`);
      onDied(`parec ${describeExit(exit)}: ${exit.stderrTail.slice(-2).join(' | ')}`);
    });
  }

  /** Resolves when parec is gone. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.child?.stop(500) ?? Promise.resolve();
    return this.closing;
  }
}

import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { EncoderError } from './errors.ts';
import { ChildStartError, SupervisedChild, describeExit, type ChildExit, type ChildGroupRegistry } from './supervisedChild.ts';

export type FfmpegProcessState = 'starting' | 'running' | 'closed';

export type FfmpegExit = Pick<ChildExit, 'code' | 'signal' | 'stderrTail'>;

export type FfmpegProcessEvents = {
  /** An unexpected exit after `markReady()` ("died later"); failures before it reject `ready`. */
  died: [info: FfmpegExit & { error: EncoderError }];
  /** Every exit, expected or not, once stdio is closed. */
  exit: [info: FfmpegExit];
};

export type FfmpegProcessOptions = {
  ffmpegPath: string;
  args: string[];
  logger: Logger;
  /** Time from the first written frame to `markReady()`; an idle process has no deadline. */
  readyTimeoutMs: number;
  /** Grace between SIGTERM and SIGKILL in `close()`. */
  killTimeoutMs?: number;
  stderrLines?: number;
  /** Where the process group is recorded while it lives (the edge's leftovers). */
  children?: ChildGroupRegistry;
};

/**
 * An ffmpeg encoder fed raw frames on stdin, supervised by SupervisedChild:
 * a readiness gate the owner opens with `markReady()` (it sees the first RTP
 * packet), whose clock starts at the first frame (ffmpeg opens its encoder
 * only when input arrives, and a standby may idle for minutes before that).
 *
 * Spawned with child_process rather than fluent-ffmpeg: fluent-ffmpeg pipes
 * an input stream into stdin, which queues frames under backpressure where we
 * must drop them, and it runs capability checks before every spawn.
 */
export class FfmpegProcess extends EventEmitter<FfmpegProcessEvents> {
  readonly ready: Promise<void>;
  /** Resolves once the child exists (or rejects if it could not be spawned). */
  readonly spawned: Promise<void>;
  private readonly child: SupervisedChild;
  private readonly killTimeoutMs: number;
  private readonly readyTimeoutMs: number;
  private writing = false;
  private framesWritten = 0;
  private closed: Promise<void> | undefined;

  constructor(o: FfmpegProcessOptions) {
    super();
    this.killTimeoutMs = o.killTimeoutMs ?? 1000;
    this.readyTimeoutMs = o.readyTimeoutMs;
    this.child = new SupervisedChild({
      name: 'ffmpeg',
      command: o.ffmpegPath,
      args: o.args,
      logger: o.logger,
      stdin: 'pipe',
      readiness: {},
      stderrLines: o.stderrLines ?? 30,
      registry: o.children,
    });
    this.spawned = this.child.spawned;
    this.ready = this.child.ready.catch((err: unknown) => {
      const exit = err instanceof ChildStartError ? err.exit : { stderrTail: this.child.stderrTail };
      throw new EncoderError(`ffmpeg failed to start: ${(err as Error).message}`, {
        phase: 'start',
        exitCode: exit.code,
        signal: exit.signal,
        stderrTail: exit.stderrTail,
        cause: exit.spawnError,
      });
    });
    // Nobody may be awaiting `ready` when a standby fails: never crash on it.
    this.ready.catch(() => undefined);
    // EPIPE when ffmpeg exits with a frame in flight: the exit is reported by the child.
    this.child.process.stdin?.on('error', () => undefined);
    this.child.onDied(({ code, signal, stderrTail }) => {
      const error = new EncoderError(`ffmpeg died: ${describeExit({ code, signal })}`, { phase: 'running', exitCode: code, signal, stderrTail });
      this.emit('died', { code, signal, stderrTail, error });
    });
    void this.child.exited.then(({ code, signal, stderrTail }) => this.emit('exit', { code, signal, stderrTail }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get state(): FfmpegProcessState {
    return this.child.exit ? 'closed' : this.child.isReady ? 'running' : 'starting';
  }

  get stderrTail(): string[] {
    return this.child.stderrTail;
  }

  /** Called by the owner when it sees ffmpeg's first output (the first RTP packet). */
  markReady(): void {
    this.child.markReady();
  }

  /**
   * Writes one raw frame, or drops it (returns false) while the previous one
   * is still being written: queued frames would only add latency.
   * The buffer must not be modified until the next frame is accepted.
   */
  writeFrame(frame: Buffer): boolean {
    const stdin = this.child.process.stdin;
    if (this.writing || this.closed || this.child.exit || !stdin || !stdin.writable) return false;
    this.writing = true;
    if (this.framesWritten++ === 0) this.child.startReadyClock(this.readyTimeoutMs, `no output ${this.readyTimeoutMs} ms after the first frame`);
    stdin.write(frame, () => {
      this.writing = false;
    });
    return true;
  }

  /** Ends stdin, sends SIGTERM, then SIGKILL after the grace period; resolves when the child is gone. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.child.process.stdin?.end();
      await this.child.stop(this.killTimeoutMs); // after 'exit' was emitted: its handler was registered first
    })();
    return this.closed;
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { EncoderError } from './errors.ts';

export type FfmpegProcessState = 'starting' | 'running' | 'closed';

export type FfmpegExit = { code: number | null; signal: NodeJS.Signals | null; stderrTail: string[] };

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
};

/**
 * A supervised ffmpeg child fed raw frames on stdin (after mediasoup's Worker):
 * a readiness gate the owner opens with `markReady()` (it sees the first RTP
 * packet), "failed to start" (ready rejects) kept apart from "died later"
 * ('died'), the last stderr lines kept for both, and an idempotent close.
 *
 * Spawned with child_process rather than fluent-ffmpeg: fluent-ffmpeg pipes
 * an input stream into stdin, which queues frames under backpressure where we
 * must drop them, and it runs capability checks before every spawn.
 */
export class FfmpegProcess extends EventEmitter<FfmpegProcessEvents> {
  readonly ready: Promise<void>;
  /** Resolves once the child exists (or rejects if it could not be spawned). */
  readonly spawned: Promise<void>;
  private readonly child: ChildProcess;
  private readonly log: Logger;
  private readonly tail: string[] = [];
  private readonly maxLines: number;
  private readonly killTimeoutMs: number;
  private readonly readyTimeoutMs: number;
  private stateValue: FfmpegProcessState = 'starting';
  private resolveReady!: () => void;
  private rejectReady!: (e: EncoderError) => void;
  private readyTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private startFailed = false;
  private writing = false;
  private framesWritten = 0;
  private closing = false;
  private closed: Promise<void> | undefined;
  private exitInfo: FfmpegExit | undefined;
  private partialLine = '';

  constructor(o: FfmpegProcessOptions) {
    super();
    this.maxLines = o.stderrLines ?? 30;
    this.killTimeoutMs = o.killTimeoutMs ?? 1000;
    this.readyTimeoutMs = o.readyTimeoutMs;
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody may be awaiting `ready` when a standby fails: never crash on it.
    this.ready.catch(() => undefined);
    this.child = spawn(o.ffmpegPath, o.args, { stdio: ['pipe', 'ignore', 'pipe'] });
    this.log = o.logger.child({ pid: this.child.pid });
    this.spawned = new Promise<void>((resolve, reject) => {
      this.child.once('spawn', resolve);
      this.child.once('error', reject);
    });
    this.spawned.catch(() => undefined);
    this.child.on('error', (err) => this.onExit(null, null, err));
    this.child.on('close', (code, signal) => this.onExit(code, signal));
    // EPIPE when ffmpeg exits with a frame in flight: the exit handler reports it.
    this.child.stdin?.on('error', (err) => this.log.debug({ err: err.message }, 'ffmpeg stdin error'));
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => this.onStderr(chunk));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get state(): FfmpegProcessState {
    return this.stateValue;
  }

  get stderrTail(): string[] {
    return [...this.tail];
  }

  /** Called by the owner when it sees ffmpeg's first output (the first RTP packet). */
  markReady(): void {
    if (this.stateValue !== 'starting' || this.startFailed) return;
    this.stateValue = 'running';
    clearTimeout(this.readyTimer);
    this.log.debug('ffmpeg ready');
    this.resolveReady();
  }

  /**
   * Writes one raw frame, or drops it (returns false) while the previous one
   * is still being written: queued frames would only add latency.
   * The buffer must not be modified until the next frame is accepted.
   */
  writeFrame(frame: Buffer): boolean {
    const stdin = this.child.stdin;
    if (this.writing || this.closing || this.exitInfo || !stdin || !stdin.writable) return false;
    this.writing = true;
    if (this.framesWritten++ === 0 && this.stateValue === 'starting') {
      // The clock starts with the first frame: ffmpeg opens its encoder only
      // when input arrives, and a standby may idle for minutes before that.
      this.readyTimer = setTimeout(() => this.failStart(`no output ${this.readyTimeoutMs} ms after the first frame`), this.readyTimeoutMs);
    }
    stdin.write(frame, () => {
      this.writing = false;
    });
    return true;
  }

  /** Ends stdin, sends SIGTERM, then SIGKILL after the grace period; resolves when the child is gone. */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    this.closing = true;
    this.closed = new Promise<void>((resolve) => {
      if (this.exitInfo) return resolve();
      this.once('exit', () => resolve());
      this.child.stdin?.end();
      this.child.kill('SIGTERM');
      this.killTimer = setTimeout(() => {
        this.log.warn('ffmpeg ignored SIGTERM, killing');
        this.child.kill('SIGKILL');
      }, this.killTimeoutMs);
    });
    return this.closed;
  }

  private failStart(why: string, o: Partial<FfmpegExit> & { cause?: unknown } = {}): void {
    if (this.stateValue !== 'starting' || this.startFailed) return;
    this.startFailed = true;
    clearTimeout(this.readyTimer);
    const error = new EncoderError(`ffmpeg failed to start: ${why}`, {
      phase: 'start', exitCode: o.code, signal: o.signal, stderrTail: this.stderrTail, cause: o.cause,
    });
    this.rejectReady(error);
    // A process that missed its deadline is useless: stop it.
    if (!this.exitInfo) void this.close();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void {
    if (this.exitInfo) return;
    this.flushPartialLine();
    const info: FfmpegExit = { code, signal, stderrTail: this.stderrTail };
    this.exitInfo = info;
    clearTimeout(this.killTimer);
    clearTimeout(this.readyTimer);
    const wasState = this.stateValue;
    const how = spawnError ? spawnError.message : signal ? `killed by ${signal}` : `exited with code ${code}`;
    if (wasState === 'starting') {
      this.failStart(this.closing ? `closed before ready (${how})` : how, { code, signal, cause: spawnError });
    } else if (wasState === 'running' && !this.closing) {
      const error = new EncoderError(`ffmpeg died: ${how}`, { phase: 'running', exitCode: code, signal, stderrTail: info.stderrTail });
      this.log.warn({ code, signal }, 'ffmpeg died');
      this.emit('died', { ...info, error });
    }
    this.stateValue = 'closed';
    this.log.debug({ code, signal, expected: this.closing }, 'ffmpeg exited');
    this.emit('exit', info);
  }

  private onStderr(chunk: string): void {
    // ffmpeg ends progress lines with \r; split on both.
    const lines = (this.partialLine + chunk).split(/\r\n|\r|\n/);
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.pushLine(line);
  }

  private flushPartialLine(): void {
    if (this.partialLine) this.pushLine(this.partialLine);
    this.partialLine = '';
  }

  private pushLine(line: string): void {
    if (line.trim() === '') return;
    this.log.debug({ line }, 'ffmpeg stderr');
    this.tail.push(line);
    if (this.tail.length > this.maxLines) this.tail.shift();
  }
}

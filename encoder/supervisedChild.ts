/**
 * One supervised child process: the pattern every child of an edge follows
 * (ffmpeg encoders, x11grab, Xvfb, PulseAudio, parec, the X11 program or
 * Chromium), after mediasoup's Worker.
 *
 * - Spawned in its own process group (setsid), so stopping it stops all it
 *   started, and a Ctrl-C meant for the edge does not reach it first.
 * - `ready`: opened by a stderr line (`readiness.line`) or by the owner
 *   (`markReady()`, when it sees the child's output), bounded by a deadline.
 *   Before it, an exit rejects `ready` ("failed to start"); after it, an exit
 *   nobody asked for is reported once through onDied ("died later"). A child
 *   without `readiness` is ready from the start: any end of it is a death.
 * - The last stderr lines are kept for both messages.
 * - stop(graceMs): SIGTERM to the group, SIGKILL after the grace, and SIGKILL
 *   for whatever of the group outlived its leader. Idempotent; resolves when
 *   the child is gone.
 * - While the group exists it is recorded in `registry`, so the groups of an
 *   edge killed with SIGKILL are found and killed at its next start
 *   (server/edge/leftoverGroups.ts).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Logger } from 'pino';

export type ChildExit = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string[];
  /** Set when the child could not be spawned at all. */
  spawnError?: Error;
};

/** Why `ready` rejected: the child exited, could not spawn, or missed its deadline. */
export class ChildStartError extends Error {
  override name = 'ChildStartError';
  constructor(
    message: string,
    readonly exit: Partial<ChildExit> & { stderrTail: string[] },
  ) {
    super(message, exit.spawnError ? { cause: exit.spawnError } : undefined);
  }
}

/** Where process groups are recorded while they live (the edge's data dir; see leftoverGroups.ts). */
export interface ChildGroupRegistry {
  /** The group `pgid` exists from now on; the function returned is called once it is gone. */
  record(group: { pgid: number; command: string; paths: string[] }): () => void;
}

export type SupervisedChildOptions = {
  /** For logs and messages: "ffmpeg", "Xvfb", "pulseaudio"... */
  name: string;
  command: string;
  args: string[];
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdin?: 'pipe' | 'ignore';
  stdout?: 'pipe' | 'ignore';
  /** A pipe on fd 3 too (Xvfb's -displayfd). */
  fd3?: boolean;
  readiness?: {
    /** A stderr line that says the child is ready; without it the owner calls markReady(). */
    line?: (line: string) => boolean;
    /** From spawn; without it the owner starts the clock with startReadyClock() (ffmpeg: at its first frame). */
    timeoutMs?: number;
  };
  /** stderr lines kept (default 20). */
  stderrLines?: number;
  /** Which stderr lines are worth keeping for a message (default: all that are not blank). */
  keepLine?: (line: string) => boolean;
  /** Sees every stderr line (after the readiness check). */
  onStderrLine?: (line: string) => void;
  registry?: ChildGroupRegistry;
  /** Files the owner removes after a stop; recorded so a killed edge's next start removes them. */
  leftoverPaths?: string[];
};

/** "killed by SIGKILL", "exited with code 3", or the spawn error. */
export function describeExit(e: Pick<ChildExit, 'code' | 'signal' | 'spawnError'>): string {
  if (e.spawnError) return e.spawnError.message;
  return e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`;
}

/** Signals a whole process group; false when nothing of it is left. */
export function signalGroup(pgid: number | undefined, signal: NodeJS.Signals): boolean {
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/** How long 'close' (stdio drained) may lag 'exit' before the exit is reported without it. */
const CLOSE_AFTER_EXIT_MS = 1000;

export class SupervisedChild {
  readonly ready: Promise<void>;
  /** Resolves once the child exists; rejects if it could not be spawned. */
  readonly spawned: Promise<void>;
  /** Resolves on every exit, expected or not, with the whole stderr tail. */
  readonly exited: Promise<ChildExit>;
  /** The child itself, for its stdin, stdout and fd 3. */
  readonly process: ChildProcess;
  private readonly log: Logger;
  private readonly ring: string[] = [];
  private readonly maxLines: number;
  private partialLine = '';
  private readyState: 'pending' | 'ready' | 'failed';
  private resolveReady: () => void = () => {};
  private rejectReady: (e: ChildStartError) => void = () => {};
  private resolveExited!: (e: ChildExit) => void;
  private readyTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private exitInfo: ChildExit | undefined;
  private death: ChildExit | undefined;
  private readonly diedHandlers: Array<(death: ChildExit) => void> = [];
  private unrecord: (() => void) | undefined;

  constructor(private readonly o: SupervisedChildOptions) {
    this.maxLines = o.stderrLines ?? 20;
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    if (o.readiness) {
      this.readyState = 'pending';
      this.ready = new Promise<void>((resolve, reject) => {
        this.resolveReady = resolve;
        this.rejectReady = reject;
      });
      // Nobody may be awaiting `ready` when a standby fails: never crash on it.
      this.ready.catch(() => undefined);
    } else {
      this.readyState = 'ready';
      this.ready = Promise.resolve();
    }
    const stdio: StdioOptions = [o.stdin ?? 'ignore', o.stdout ?? 'ignore', 'pipe', ...(o.fd3 ? ['pipe' as const] : [])];
    // detached: setsid(), making the child the leader of a new group whose id is its pid.
    this.process = spawn(o.command, o.args, { detached: true, stdio, env: o.env, cwd: o.cwd });
    this.log = o.logger.child({ child: o.name, pid: this.process.pid });
    this.spawned = new Promise<void>((resolve, reject) => {
      this.process.once('spawn', resolve);
      this.process.once('error', reject);
    });
    this.spawned.catch(() => undefined);
    this.process.once('spawn', () => {
      const pgid = this.process.pid;
      if (pgid !== undefined) this.unrecord = o.registry?.record({ pgid, command: o.command, paths: o.leftoverPaths ?? [] });
    });
    this.process.on('error', (err) => {
      if (this.process.pid === undefined) this.finish(null, null, err);
      else this.log.debug({ err: err.message }, 'child process error');
    });
    this.process.once('exit', () => {
      // The leader is gone: nothing it started may outlive it.
      signalGroup(this.process.pid, 'SIGKILL');
      // 'close' waits for stdio; a process that left the group could hold it open.
      this.closeTimer = setTimeout(() => this.finish(this.process.exitCode, this.process.signalCode), CLOSE_AFTER_EXIT_MS);
    });
    this.process.once('close', (code, signal) => this.finish(code, signal));
    this.process.stderr?.setEncoding('utf8');
    this.process.stderr?.on('data', (chunk: string) => this.onStderr(chunk));
    if (o.readiness?.timeoutMs !== undefined) this.startReadyClock(o.readiness.timeoutMs, `not ready in ${o.readiness.timeoutMs} ms`);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get stderrTail(): string[] {
    return [...this.ring];
  }

  /** Set once the child has exited (or could not spawn). */
  get exit(): ChildExit | undefined {
    return this.exitInfo;
  }

  get isReady(): boolean {
    return this.readyState === 'ready';
  }

  /** The owner saw the child's first output. */
  markReady(): void {
    if (this.readyState !== 'pending' || this.exitInfo) return;
    this.readyState = 'ready';
    clearTimeout(this.readyTimer);
    this.log.debug('child ready');
    this.resolveReady();
  }

  /** Starts the readiness deadline (the first call counts): missing it rejects `ready` with `why` and stops the child. */
  startReadyClock(ms: number, why: string): void {
    if (this.readyState !== 'pending' || this.readyTimer) return;
    this.readyTimer = setTimeout(() => this.failReady(why), ms);
  }

  /** Called once if the child ends after it was ready without stop(); at once if it already did. */
  onDied(cb: (death: ChildExit) => void): void {
    this.diedHandlers.push(cb);
    if (this.death) cb(this.death);
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the child is gone. Idempotent (the first grace counts). */
  stop(graceMs = 1000): Promise<void> {
    this.stopping ??= (async () => {
      const pgid = this.process.pid;
      if (!this.exitInfo && pgid !== undefined && this.process.exitCode === null && this.process.signalCode === null) {
        if (!signalGroup(pgid, 'SIGTERM')) this.process.kill('SIGTERM');
        this.killTimer = setTimeout(() => {
          this.log.warn({ graceMs }, 'child ignored SIGTERM, killing its group');
          signalGroup(pgid, 'SIGKILL');
        }, graceMs);
      }
      await this.exited;
      clearTimeout(this.killTimer);
    })();
    return this.stopping;
  }

  private failReady(why: string, exit?: ChildExit): void {
    if (this.readyState !== 'pending') return;
    this.readyState = 'failed';
    clearTimeout(this.readyTimer);
    this.rejectReady(new ChildStartError(why, exit ?? { stderrTail: this.stderrTail }));
    // A child that missed its deadline is useless: stop it.
    if (!this.exitInfo) void this.stop();
  }

  private finish(code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void {
    if (this.exitInfo) return;
    clearTimeout(this.closeTimer);
    clearTimeout(this.readyTimer);
    if (this.partialLine) this.onLine(this.partialLine);
    this.partialLine = '';
    const exit: ChildExit = { code, signal, stderrTail: this.stderrTail, ...(spawnError ? { spawnError } : {}) };
    this.exitInfo = exit;
    this.unrecord?.();
    const how = spawnError ? spawnError.message : describeExit(exit);
    if (this.readyState === 'pending') {
      this.failReady(this.stopping ? `closed before ready (${how})` : how, exit);
    } else if (!this.stopping) {
      this.death = exit;
      this.log.warn({ code, signal, stderrTail: exit.stderrTail }, 'child died');
      for (const h of this.diedHandlers) h(exit);
    }
    this.log.debug({ code, signal, expected: this.stopping !== undefined }, 'child exited');
    this.resolveExited(exit);
  }

  private onStderr(chunk: string): void {
    // ffmpeg ends progress lines with \r; split on both.
    const lines = (this.partialLine + chunk).split(/\r\n|\r|\n/);
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  private onLine(raw: string): void {
    const line = raw.trim();
    if (line === '') return;
    this.log.debug({ line }, 'child stderr');
    if (this.o.keepLine?.(line) ?? true) {
      this.ring.push(line);
      if (this.ring.length > this.maxLines) this.ring.shift();
    }
    if (this.readyState === 'pending' && this.o.readiness?.line?.(line)) this.markReady();
    this.o.onStderrLine?.(line);
  }
}

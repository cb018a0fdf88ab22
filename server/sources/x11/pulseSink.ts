/**
 * One private PulseAudio daemon per session: a null sink the program plays
 * into, and its monitor recorded as the session's AudioSource (48 kHz s16le
 * stereo, 20 ms chunks, silence included).
 *
 * Everything lives in a per-session 0700 temp directory (socket, runtime
 * dir, state, cookies), the daemon reads no user or system daemon.conf, loads
 * only the two modules it needs and no default script, and runs in its own
 * process group. As root it needs no `--system`: `--system=no` with its own
 * XDG_RUNTIME_DIR/HOME works (PulseAudio only warns).
 *
 * Readiness: the daemon's "Daemon startup complete." line on stderr (log
 * level info), written once its modules are loaded and the socket serves;
 * bounded by `readyTimeoutMs`. No polling, no sleeps.
 *
 * `audio` exists from construction: start() on it before the daemon is
 * ready only records the callback, and the recorder is spawned once it is.
 * A daemon or recorder dying later is reported once through onDied; the
 * audio then goes silent (no more chunks) and nothing else is touched: the
 * owner decides (a session keeps its video).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ChildStartError, SupervisedChild, type ChildGroupRegistry } from '../../../encoder/supervisedChild.ts';
import type { AudioSource } from '../../edge/ports.ts';
import {
  DEFAULT_SINK_NAME,
  PULSE_READY_LINE,
  findOnPath,
  programPulseEnv,
  pulseDaemonArgs,
  pulseDaemonEnv,
  recorderCreatedMarker,
  sinkClockRestartCommands,
} from './pulseArgs.ts';
import { runPulseCommands } from './pulseCli.ts';
import { PulseRecorder } from './pulseRecorder.ts';

export type PulseSinkOptions = {
  logger: Logger;
  pulseaudioPath?: string;
  parecPath?: string;
  sinkName?: string;
  /** Recorder fragment and null-sink block (default 20 ms). */
  latencyMs?: number;
  /** From spawn to the daemon's ready line (default 5000). */
  readyTimeoutMs?: number;
  /** PATH for the daemon and recorder (default /usr/local/bin:/usr/bin:/bin). */
  pathEnv?: string;
  /** Where the daemon's and the recorder's process groups are recorded while they live. */
  children?: ChildGroupRegistry;
};

const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

export class PulseSink {
  /** The sink's monitor as PCM; available at once, delivering from when the daemon is ready. */
  readonly audio: AudioSource;
  private dir: string | undefined;
  private daemon: SupervisedChild | undefined;
  private recorder: PulseRecorder | undefined;
  /** Recorders stopped by audio.stop() that close() must still wait for. */
  private readonly retiring = new Set<Promise<void>>();
  private onChunk: ((pcm: Buffer) => void) | undefined;
  private ready = false;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private diedHandlers: Array<(why: string) => void> = [];
  private death: string | undefined;
  private readonly sinkName: string;
  private readonly log: Logger;

  constructor(private readonly o: PulseSinkOptions) {
    this.sinkName = o.sinkName ?? DEFAULT_SINK_NAME;
    this.log = o.logger.child({ module: 'pulse-sink' });
    this.audio = {
      start: (onChunk) => {
        if (this.onChunk) throw new Error('PulseSink audio already started');
        this.onChunk = onChunk;
        if (this.ready && !this.closing && this.death === undefined) this.startRecorder();
      },
      stop: () => {
        this.onChunk = undefined;
        const stopped = this.recorder?.close();
        this.recorder = undefined;
        if (stopped) {
          this.retiring.add(stopped);
          void stopped.then(() => this.retiring.delete(stopped));
        }
      },
    };
  }

  /** The programs this needs, missing from PATH (empty when PulseAudio can be used). */
  static missingTools(pathEnv = DEFAULT_PATH): string[] {
    return ['pulseaudio', 'parec'].filter((t) => findOnPath(t, pathEnv) === undefined);
  }

  get socketPath(): string | undefined {
    return this.dir && join(this.dir, 'native');
  }

  /** PULSE_SERVER and PULSE_SINK for the program; undefined until start() was called. */
  programEnv(): Record<string, string> | undefined {
    const socket = this.socketPath;
    return socket === undefined ? undefined : programPulseEnv(socket, this.sinkName);
  }

  pids(): number[] {
    return [this.daemon?.pid, this.recorder?.pid].filter((p): p is number => p !== undefined);
  }

  /** Called once if the daemon or the recorder dies after start, without close(). */
  onDied(cb: (why: string) => void): void {
    this.diedHandlers.push(cb);
    if (this.death !== undefined) cb(this.death);
  }

  /** Spawns the daemon; resolves when it serves clients. On failure everything it started is stopped. Idempotent. */
  start(): Promise<void> {
    this.starting ??= this.spawnDaemon().catch(async (err: Error) => {
      await this.close();
      throw err;
    });
    return this.starting;
  }

  /** Stops the recorder and the daemon, removes the directory. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.onChunk = undefined;
      await Promise.allSettled([this.recorder?.close(), ...this.retiring, this.daemon?.stop(1000)]);
      if (this.dir) rmSync(this.dir, { recursive: true, force: true });
      this.log.debug('pulse sink closed');
    })();
    return this.closing;
  }

  private async spawnDaemon(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'edgeplay-pulse-'));
    this.dir = dir;
    const socketPath = join(dir, 'native');
    const startedMs = Date.now();
    const daemon = new SupervisedChild({
      name: 'pulseaudio',
      command: this.o.pulseaudioPath ?? 'pulseaudio',
      args: pulseDaemonArgs({ socketPath, cliSocketPath: join(dir, 'cli'), sinkName: this.sinkName }),
      env: pulseDaemonEnv(dir, this.o.pathEnv ?? DEFAULT_PATH),
      cwd: dir,
      logger: this.log,
      readiness: { line: (line) => line.endsWith(PULSE_READY_LINE), timeoutMs: this.o.readyTimeoutMs ?? 5000 },
      // Only warnings and errors are worth quoting in a failure message.
      keepLine: (line) => /^[WE]: /.test(line),
      stderrLines: 10,
      onStderrLine: (line) => {
        if (this.ready && line.includes(recorderCreatedMarker(this.sinkName))) this.restartSinkClock();
      },
      registry: this.o.children,
      leftoverPaths: [dir],
    });
    this.daemon = daemon;
    daemon.onDied(({ code, signal }) => this.died(`pulseaudio exited (${signal ?? `code ${code}`})`));
    try {
      await daemon.ready;
      if (this.closing) throw new Error('pulse sink closed while starting');
    } catch (err) {
      const x = err instanceof ChildStartError ? err.exit : undefined;
      const why = this.closing
        ? 'pulse sink closed while starting'
        : x?.spawnError
          ? `pulseaudio could not start: ${x.spawnError.message}`
          : x?.code !== undefined || x?.signal !== undefined
            ? `pulseaudio exited (${x.signal ?? `code ${x.code}`})`
            : `pulseaudio ${(err as Error).message}`;
      const tail = daemon.stderrTail;
      throw new Error(`${why}${tail.length ? `: ${tail.slice(-3).join(' | ')}` : ''}`);
    }
    this.ready = true;
    this.log.debug({ pid: daemon.pid, readyMs: Date.now() - startedMs, socketPath }, 'pulseaudio ready');
    if (this.onChunk) this.startRecorder();
  }

  /** Once the recorder's stream exists: see sinkClockRestartCommands for why. */
  private restartSinkClock(): void {
    if (!this.dir || this.closing) return;
    runPulseCommands(join(this.dir, 'cli'), sinkClockRestartCommands(this.sinkName))
      .then((answer) => this.log.debug({ answer }, 'sink clock restarted'))
      // Not fatal: the sound then starts up to 2 s later.
      .catch((err: Error) => this.log.warn({ err: err.message }, 'could not restart the sink clock'));
  }

  private startRecorder(): void {
    const dir = this.dir;
    const socketPath = this.socketPath;
    if (!dir || !socketPath) return;
    const recorder = new PulseRecorder({
      parecPath: this.o.parecPath ?? 'parec',
      socketPath,
      sinkName: this.sinkName,
      latencyMs: this.o.latencyMs ?? 20,
      env: { PATH: this.o.pathEnv ?? DEFAULT_PATH, HOME: dir, XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: join(dir, 'config') },
      logger: this.log,
      children: this.o.children,
    });
    this.recorder = recorder;
    recorder.start(
      (pcm) => this.onChunk?.(pcm),
      (why) => {
        if (this.recorder === recorder) this.died(why);
      },
    );
  }

  private died(why: string): void {
    if (this.death !== undefined || this.closing) return;
    this.death = why;
    this.log.debug({ reason: why }, 'pulse sink died');
    for (const h of this.diedHandlers) h(why);
  }
}

/**
 * A real X11 program as a session's frame source: its own Xvfb display →
 * the program (own process group, own HOME and TMPDIR) → x11grab capture →
 * XTEST input. Frames carry the latency stamp like the demo game's (row 0 =
 * capture time in Node, row 1 = the latest input's client ts), so the
 * player page measures capture-to-glass and input-to-photon latency.
 *
 * Failure (reported once through onFailed, then everything is stopped):
 * the program exits, Xvfb or capture dies, no frame arrives for
 * `hangTimeoutMs`, or the program stays stopped (state T) that long.
 * A program that is alive but frozen while drawing nothing new cannot be
 * told from a static screen and is not detected.
 *
 * Sound (option `audio`, default on): a private PulseAudio per session
 * (pulseSink.ts), started alongside Xvfb; the program gets PULSE_SERVER and
 * PULSE_SINK, and `audio` records the sink. Audio failing never fails the
 * source: it is reported through onAudioFailed and the sound goes silent.
 */
import { readStat } from '../../procStat.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { InputEvent } from '../../../protocol/index.ts';
import { writeStampYuv420 } from '../../../protocol/latencyStamp.ts';
import type { AudioSource, FrameSource } from '../../edge/ports.ts';
import { SupervisedChild, type ChildGroupRegistry } from '../../../encoder/supervisedChild.ts';
import { PulseSink } from './pulseSink.ts';
import { VirtualDisplay } from './virtualDisplay.ts';
import { X11Capture } from './x11Capture.ts';
import { XTestInput } from './xtestInput.ts';

export type ProgramSpec = { command: string; args: string[] };

export type ProgramSourceOptions = {
  program: ProgramSpec;
  width: number;
  height: number;
  fps: number;
  ffmpegPath: string;
  logger: Logger;
  hangTimeoutMs?: number;
  /** Draw the latency stamp over the top rows of the picture (default true). */
  stamp?: boolean;
  /** Give the program a PulseAudio sink and expose its sound as `audio` (default true). */
  audio?: boolean;
  /** Where every process group this source starts is recorded while it lives (the edge's leftovers). */
  children?: ChildGroupRegistry;
};

let warnedNoPulse = false;

export class ProgramSource implements FrameSource {
  private display: VirtualDisplay | undefined;
  private program: SupervisedChild | undefined;
  /** Set by expectExit(): the program's own exit is then no failure. */
  private exitExpected = false;
  private capture: X11Capture | undefined;
  private input: XTestInput | undefined;
  private home: string | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private failedHandlers: Array<(reason: string) => void> = [];
  private failure: string | undefined;
  private stopping: Promise<void> | undefined;
  private lastFrameMs = 0;
  private stoppedSinceMs: number | undefined;
  private lastInputTs = 0;
  private readonly log: Logger;
  private readonly sink: PulseSink | undefined;
  private audioFailedHandlers: Array<(reason: string) => void> = [];
  private audioFailure: string | undefined;
  /** The program's sound; undefined with `audio: false` or when PulseAudio is not installed. */
  readonly audio: AudioSource | undefined;

  constructor(private readonly o: ProgramSourceOptions) {
    this.log = o.logger.child({ module: 'program-source', program: o.program.command });
    if (o.audio ?? true) {
      const missing = PulseSink.missingTools();
      if (missing.length === 0) {
        this.sink = new PulseSink({ logger: this.log, children: o.children });
        this.sink.onDied((why) => this.failAudio(why));
        this.audio = this.sink.audio;
      } else if (!warnedNoPulse) {
        warnedNoPulse = true;
        this.log.warn({ missing, fix: 'apt-get install pulseaudio pulseaudio-utils' }, 'PulseAudio not installed: X11 programs run without sound');
      }
    }
  }

  /** Process ids this source started (for operators and tests). */
  pids(): number[] {
    const own = [this.display?.pid, this.program?.pid, this.capture?.pid].filter((p): p is number => p !== undefined);
    return [...own, ...(this.sink?.pids() ?? [])];
  }

  get displayName(): string | undefined {
    return this.display?.name;
  }

  onFailed(cb: (reason: string) => void): void {
    this.failedHandlers.push(cb);
    if (this.failure !== undefined) cb(this.failure);
  }

  /** Called once if the sound cannot start or dies; the picture goes on. */
  onAudioFailed(cb: (reason: string) => void): void {
    this.audioFailedHandlers.push(cb);
    if (this.audioFailure !== undefined) cb(this.audioFailure);
  }

  start(onFrame: (frame: Buffer, producedAtMs: number) => void): void {
    this.boot(onFrame).catch((err: Error) => this.fail(`could not start: ${err.message}`));
  }

  applyInput(ev: InputEvent): void {
    if (!this.input) return; // before the X connection is up there is nothing to drive
    this.input.apply(ev);
    this.lastInputTs = Math.max(this.lastInputTs, ev.ts);
  }

  /** Stops input, capture, the program's whole process group, its PulseAudio and Xvfb; removes the session's HOME. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.watchdog);
      this.input?.close();
      // allSettled: one part failing to stop must not leave the others (above all Xvfb) running.
      const parts = await Promise.allSettled([this.capture?.close(), this.program?.stop(), this.sink?.close()]);
      for (const p of parts) if (p.status === 'rejected') this.log.warn({ err: String(p.reason) }, 'stopping a part failed');
      await this.display?.close();
      if (this.home) rmSync(this.home, { recursive: true, force: true });
      this.log.debug('program source stopped');
    })();
    return this.stopping;
  }

  private async boot(onFrame: (frame: Buffer, producedAtMs: number) => void): Promise<void> {
    const { width, height, fps } = this.o;
    // In parallel: the program starts only once both are up, so its first connection to the sound server succeeds.
    const [display] = await Promise.all([
      VirtualDisplay.start({ width, height, logger: this.log, children: this.o.children }),
      this.sink?.start().catch((err: Error) => this.failAudio(`could not start: ${err.message}`)),
    ]);
    // Stopped while starting: stop() ran before there was a display to close.
    if (this.stopping) return display.close();
    this.display = display;
    this.display.onDied((why) => this.fail(why));
    this.spawnProgram(this.display.name);
    const capture = new X11Capture({
      ffmpegPath: this.o.ffmpegPath,
      display: this.display.name,
      width,
      height,
      fps,
      logger: this.log,
      children: this.o.children,
    });
    this.capture = capture;
    capture.onDied((why) => this.fail(why));
    const stamp = this.o.stamp ?? true;
    const [input] = await Promise.all([
      XTestInput.connect(this.display.name, { width, height }, this.log),
      capture.start((frame, capturedAtMs) => {
        if (this.stopping) return;
        this.lastFrameMs = capturedAtMs;
        if (stamp) writeStampYuv420(frame, width, height, capturedAtMs, this.lastInputTs);
        onFrame(frame, capturedAtMs);
      }),
    ]);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may run during the await
    if (this.stopping) {
      input.close(); // stopped while connecting: stop() already ran without it
      return;
    }
    this.input = input;
    this.watchdog = setInterval(() => this.checkHealth(), 1000);
    this.log.info({ display: this.display.name, pids: this.pids() }, 'program running');
  }

  private spawnProgram(display: string): void {
    this.home = mkdtempSync(join(tmpdir(), 'edgeplay-session-'));
    // A minimal environment: the edge's own (API keys, secrets) is none of the program's business.
    const env = {
      PATH: `/usr/local/bin:/usr/bin:/bin:/usr/games`,
      LANG: process.env.LANG ?? 'C.UTF-8',
      HOME: this.home,
      TMPDIR: this.home,
      USER: process.env.USER ?? 'edgeplay',
      DISPLAY: display,
      // Never unset: without an explicit server libpulse would autospawn a daemon that leaves our process group.
      ...(this.sink?.programEnv() ?? { PULSE_SERVER: `unix:${join(this.home, 'no-pulseaudio')}` }),
    };
    const program = new SupervisedChild({
      name: 'program',
      command: this.o.program.command,
      args: this.o.program.args,
      env,
      cwd: this.home,
      logger: this.log,
      stderrLines: 10,
      registry: this.o.children,
      leftoverPaths: [this.home],
    });
    this.program = program;
    program.onDied((exit) => {
      if (this.exitExpected) return;
      if (exit.spawnError) return this.fail(`program could not start: ${exit.spawnError.message}`);
      const last = exit.stderrTail.slice(-2).join(' | ');
      this.fail(`program exited (${exit.signal ?? `code ${exit.code}`})${last ? `: ${last}` : ''}`);
    });
  }

  /**
   * The caller is about to make the program exit by itself (e.g. asking a
   * browser to close so it saves its profile): that exit is then no failure.
   * Resolves when the program has exited.
   */
  expectExit(): Promise<void> {
    if (!this.program) return Promise.resolve();
    this.exitExpected = true;
    return this.program.exited.then(() => undefined);
  }

  private checkHealth(): void {
    const now = Date.now();
    const hangMs = this.o.hangTimeoutMs ?? 10_000;
    if (now - this.lastFrameMs > hangMs) return this.fail(`no picture for ${hangMs} ms`);
    const state = processState(this.program?.pid);
    if (state === 'T' || state === 't') {
      this.stoppedSinceMs ??= now;
      if (now - this.stoppedSinceMs > hangMs) this.fail(`program stopped (state ${state}) for ${hangMs} ms`);
    } else {
      this.stoppedSinceMs = undefined;
    }
  }

  private failAudio(reason: string): void {
    if (this.audioFailure !== undefined || this.stopping) return;
    this.audioFailure = reason;
    this.log.warn({ reason }, 'program audio failed; the picture goes on without sound');
    for (const h of this.audioFailedHandlers) h(reason);
  }

  private fail(reason: string): void {
    if (this.failure !== undefined || this.stopping) return;
    this.failure = reason;
    this.log.warn({ reason }, 'program source failed');
    for (const h of this.failedHandlers) h(reason);
    void this.stop();
  }
}

/** One-letter state from /proc/<pid>/stat (R, S, T, Z...), undefined if unknown. */
function processState(pid: number | undefined): string | undefined {
  return pid === undefined ? undefined : readStat(pid)?.state;
}

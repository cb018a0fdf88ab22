/**
 * One Xvfb per session, on a display number no other session (or program on
 * this host) uses, in its own process group.
 *
 * Numbers start at 100 to stay clear of real desktops. A number is skipped
 * when its lock file or socket exists or this process already handed it out;
 * two edge processes racing for the same number is settled by Xvfb itself
 * (the loser exits "server already active" and we try the next one).
 * Readiness comes from `-displayfd`: Xvfb writes the number to that fd only
 * once it accepts connections, so no polling.
 */
import { existsSync, rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { spawnGroup, stopGroup } from './processGroup.ts';

export type VirtualDisplayOptions = {
  width: number;
  height: number;
  logger: Logger;
  xvfbPath?: string;
  firstNumber?: number;
  lastNumber?: number;
  readyTimeoutMs?: number;
};

const inUse = new Set<number>();

const lockFile = (n: number) => `/tmp/.X${n}-lock`;
const socketFile = (n: number) => `/tmp/.X11-unix/X${n}`;

export class VirtualDisplay {
  private exitHandlers: Array<(why: string) => void> = [];
  private closing: Promise<void> | undefined;
  private exited = false;

  private constructor(readonly number: number, private readonly child: ChildProcess, private readonly log: Logger) {
    child.once('exit', (code, signal) => {
      this.exited = true;
      if (this.closing) return;
      const why = `Xvfb :${number} exited (${signal ?? `code ${code}`})`;
      for (const h of this.exitHandlers) h(why);
    });
  }

  /** The DISPLAY value, e.g. ":101". */
  get name(): string {
    return `:${this.number}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Called if Xvfb dies while the display is open. */
  onExit(cb: (why: string) => void): void {
    this.exitHandlers.push(cb);
  }

  static async start(o: VirtualDisplayOptions): Promise<VirtualDisplay> {
    const first = o.firstNumber ?? 100;
    const last = o.lastNumber ?? 999;
    let lastError = 'no free display number';
    for (let n = first, tries = 0; n <= last && tries < 10; n++) {
      if (inUse.has(n) || existsSync(lockFile(n)) || existsSync(socketFile(n))) continue;
      tries++;
      inUse.add(n);
      try {
        return await VirtualDisplay.tryNumber(n, o);
      } catch (err) {
        inUse.delete(n);
        lastError = (err as Error).message;
        o.logger.debug({ display: n, err: lastError }, 'Xvfb did not start, trying the next number');
      }
    }
    throw new Error(`could not start Xvfb: ${lastError}`);
  }

  private static tryNumber(n: number, o: VirtualDisplayOptions): Promise<VirtualDisplay> {
    const args = [`:${n}`, '-screen', '0', `${o.width}x${o.height}x24`, '-nolisten', 'tcp', '-noreset', '-displayfd', '3'];
    const child = spawnGroup(o.xvfbPath ?? 'Xvfb', args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const log = o.logger.child({ display: n, xvfbPid: child.pid });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => (stderr = (stderr + s).slice(-2000)));
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        void stopGroup(child, 200).then(() => reject(new Error(`${why}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`)));
      };
      const timer = setTimeout(() => fail(`no display after ${o.readyTimeoutMs ?? 5000} ms`), o.readyTimeoutMs ?? 5000);
      child.once('error', (err) => fail(err.message));
      child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`})`));
      (child.stdio[3] as Readable | null)?.once('data', () => {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        child.on('error', () => undefined);
        log.debug('Xvfb ready');
        resolve(new VirtualDisplay(n, child, log));
      });
    });
  }

  /** SIGTERM then SIGKILL to Xvfb's group; removes what a killed Xvfb leaves behind. Idempotent. */
  close(): Promise<void> {
    this.closing ??= stopGroup(this.child).then(() => {
      // A SIGKILLed Xvfb cannot remove its lock and socket; they would make the number look taken.
      for (const f of [lockFile(this.number), socketFile(this.number)]) rmSync(f, { force: true });
      inUse.delete(this.number);
      this.log.debug({ exited: this.exited }, 'Xvfb closed');
    });
    return this.closing;
  }
}

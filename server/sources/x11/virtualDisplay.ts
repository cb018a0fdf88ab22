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
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { SupervisedChild, type ChildGroupRegistry } from '../../../encoder/supervisedChild.ts';

export type VirtualDisplayOptions = {
  width: number;
  height: number;
  logger: Logger;
  xvfbPath?: string;
  firstNumber?: number;
  lastNumber?: number;
  readyTimeoutMs?: number;
  children?: ChildGroupRegistry;
};

const inUse = new Set<number>();

const lockFile = (n: number) => `/tmp/.X${n}-lock`;
const socketFile = (n: number) => `/tmp/.X11-unix/X${n}`;

export class VirtualDisplay {
  private closing: Promise<void> | undefined;

  private constructor(
    readonly number: number,
    private readonly child: SupervisedChild,
  ) {}

  /** The DISPLAY value, e.g. ":101". */
  get name(): string {
    return `:${this.number}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Called once if Xvfb dies while the display is open. */
  onDied(cb: (why: string) => void): void {
    this.child.onDied(({ code, signal }) => cb(`Xvfb :${this.number} exited (${signal ?? `code ${code}`})`));
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

  private static async tryNumber(n: number, o: VirtualDisplayOptions): Promise<VirtualDisplay> {
    const timeoutMs = o.readyTimeoutMs ?? 5000;
    const child = new SupervisedChild({
      name: 'Xvfb',
      command: o.xvfbPath ?? 'Xvfb',
      args: [`:${n}`, '-screen', '0', `${o.width}x${o.height}x24`, '-nolisten', 'tcp', '-noreset', '-displayfd', '3'],
      logger: o.logger.child({ display: n }),
      fd3: true,
      readiness: {},
      registry: o.children,
      leftoverPaths: [lockFile(n), socketFile(n)],
    });
    child.startReadyClock(timeoutMs, `no display after ${timeoutMs} ms`);
    (child.process.stdio[3] as Readable | null)?.once('data', () => child.markReady());
    try {
      await child.ready;
    } catch (err) {
      await child.stop(200);
      throw new Error(`${(err as Error).message}: ${child.stderrTail.slice(-3).join(' | ')}`);
    }
    return new VirtualDisplay(n, child);
  }

  /** SIGTERM then SIGKILL to Xvfb's group; removes what a killed Xvfb leaves behind. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.child.stop().then(() => {
      // A SIGKILLed Xvfb cannot remove its lock and socket; they would make the number look taken.
      for (const f of [lockFile(this.number), socketFile(this.number)]) rmSync(f, { force: true });
      inUse.delete(this.number);
    });
    return this.closing;
  }
}

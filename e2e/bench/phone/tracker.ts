/**
 * Everything this benchmark started, so that nothing outlives it: every
 * descendant of this process (the server, what the server starts for each
 * phone, the handset browser) is noted, with its start time, every couple
 * of seconds. A process the server started stays on the list after the
 * server is gone (orphans are re-parented away from us), and the start
 * time tells a survivor from a new process that got a reused pid. At the
 * end the survivors are listed and, only they, killed by pid.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { descendantOf, listProcesses } from '../../support/cpu.ts';

type Seen = { pid: number; startTicks: string; comm: string; cmdline: string };
export type Survivor = { pid: number; comm: string; cmdline: string };

function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function homeOf(pid: number): string | undefined {
  try {
    return /(?:^|\0)HOME=([^\0]*)/.exec(readFileSync(`/proc/${pid}/environ`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

export class ProcessTracker {
  private readonly seen = new Map<number, Seen>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly root = process.pid) {}

  snapshot(): void {
    const procs = listProcesses();
    const all = new Map(procs.map((p) => [p.pid, p]));
    const homes = new Set<string>();
    const note = (p: (typeof procs)[number]) => {
      const start = startTicks(p.pid);
      if (start !== undefined) this.seen.set(p.pid, { pid: p.pid, startTicks: start, comm: p.comm, cmdline: p.cmdline.slice(0, 200) });
    };
    for (const p of procs) {
      if (p.pid === this.root || !descendantOf(p, this.root, all)) continue;
      // The TypeScript loader's and the sampler bundler's esbuild service lives as long as this process: not ours to stop.
      if (p.ppid === this.root && p.comm === 'esbuild') continue;
      note(p);
      if (p.comm === 'chromium') {
        const home = homeOf(p.pid);
        if (home && home !== os.homedir()) homes.add(home);
      }
    }
    // Chromium's crash handler detaches from its browser (its parent becomes init): an instance's one is
    // known by its database in the instance's own HOME (a per-session directory).
    for (const p of procs) if (p.comm.startsWith('chrome_crashpad') && [...homes].some((h) => p.cmdline.includes(`--database=${h}/`))) note(p);
  }

  start(everyMs = 2_000): void {
    this.snapshot();
    this.timer = setInterval(() => this.snapshot(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Processes seen earlier that still run (same pid and start time). */
  survivors(): Survivor[] {
    return [...this.seen.values()].filter((s) => startTicks(s.pid) === s.startTicks).map(({ pid, comm, cmdline }) => ({ pid, comm, cmdline }));
  }

  /** SIGKILLs the survivors, one by one by pid; returns who they were. */
  killSurvivors(): Survivor[] {
    const left = this.survivors();
    for (const s of left) {
      try {
        process.kill(s.pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
    return left;
  }
}

/** `pgrep -af pattern`: processes whose command line contains it (pgrep leaves itself out). */
export function pgrep(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', pattern], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => l.slice(0, 160));
  } catch {
    return []; // exit status 1: nothing matched
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it is true or `timeoutMs` passed; returns the last answer. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

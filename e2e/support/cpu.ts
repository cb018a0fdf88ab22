/**
 * CPU use of process groups, read from /proc (Linux): utime+stime ticks of
 * each process, summed per group, between two snapshots. Processes that
 * appear or exit between the snapshots count from when they are seen.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { must } from '../../protocol/must.ts';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

type ProcInfo = { pid: number; ppid: number; comm: string; ticks: number; cmdline: string };

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may contain spaces: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { pid, ppid, comm, ticks, cmdline };
  } catch {
    return undefined;
  }
}

export function listProcesses(): ProcInfo[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => readProc(Number(d)) ?? []);
}

/** Classifies a process into a named group, or undefined to ignore it. */
export type Classifier = (p: ProcInfo, all: Map<number, ProcInfo>) => string | undefined;

export function descendantOf(p: ProcInfo, ancestor: number, all: Map<number, ProcInfo>): boolean {
  for (let cur: ProcInfo | undefined = p, hops = 0; cur && hops < 64; cur = all.get(cur.ppid), hops++) {
    if (cur.pid === ancestor) return true;
  }
  return false;
}

export class CpuMeter {
  private start = new Map<number, number>();
  private startedAt = 0;
  constructor(private readonly classify: Classifier) {}

  begin(): void {
    this.start = new Map(listProcesses().map((p) => [p.pid, p.ticks]));
    this.startedAt = performance.now();
  }

  /** Percent of one core per group over the window since begin(). */
  end(): Record<string, number> {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const procs = listProcesses();
    const all = new Map(procs.map((p) => [p.pid, p]));
    const out: Record<string, number> = {};
    for (const p of procs) {
      const group = this.classify(p, all);
      if (!group) continue;
      const used = p.ticks - (this.start.get(p.pid) ?? 0);
      out[group] = (out[group] ?? 0) + (used / CLOCK_TICKS_PER_SECOND / seconds) * 100;
    }
    for (const k of Object.keys(out)) out[k] = Math.round(must(out[k], 'out[k]') * 10) / 10;
    return out;
  }
}

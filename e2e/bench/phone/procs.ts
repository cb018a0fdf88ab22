/**
 * What the phone benchmark's processes cost, read from /proc (Linux): CPU
 * per group over a window (CpuMeter, e2e/support/cpu.ts), memory per group
 * at the window's end (PSS from smaps_rollup: shared pages are split among
 * the processes that map them, so Chromium's many processes sum honestly;
 * RSS beside it), and the whole machine's busy time, so what others ran
 * meanwhile shows as "others".
 *
 * Groups: the edge server itself, each kind of process it runs for a phone
 * instance (Xvfb, the instance's Chromium, x11grab, PulseAudio, parec, the
 * video and audio encoders), the handset browser (Playwright's Chromium,
 * a child of this process) and this driver.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { CpuMeter, descendantOf, listProcesses, type Classifier } from '../../support/cpu.ts';
import { must } from '../../../protocol/must.ts';

type Proc = ReturnType<typeof listProcesses>[number];

/** Kinds of process an edge runs for one phone instance. */
export const INSTANCE_GROUPS = ['chromium', 'xvfb', 'x11grab', 'pulseaudio', 'parec', 'video-encoder', 'audio-encoder', 'edge-other'] as const;
export type InstanceGroup = (typeof INSTANCE_GROUPS)[number];
export type Group = InstanceGroup | 'edge' | 'handset' | 'driver' | 'driver-other';

/** A process the edge (pid `serverPid`) started, by what it is. */
function edgeChildKind(p: Proc): InstanceGroup {
  if (p.comm === 'Xvfb') return 'xvfb';
  if (p.comm === 'pulseaudio') return 'pulseaudio';
  if (p.comm === 'parec') return 'parec';
  if (p.comm.startsWith('ffmpeg')) {
    if (p.cmdline.includes('x11grab')) return 'x11grab';
    if (p.cmdline.includes('libopus')) return 'audio-encoder';
    return 'video-encoder';
  }
  if (/chrom/i.test(p.comm) || p.cmdline.includes('/chromium')) return 'chromium';
  return 'edge-other';
}

export function classifier(serverPid: number, driverPid = process.pid): (p: Proc, all: Map<number, Proc>) => Group | undefined {
  return (p, all) => {
    // The server runs from source: tsx's esbuild service is part of the edge process, not of a phone.
    if (p.pid === serverPid || (p.ppid === serverPid && p.comm === 'esbuild')) return 'edge';
    if (descendantOf(p, serverPid, all)) return edgeChildKind(p);
    if (p.pid === driverPid) return 'driver';
    // Playwright starts the handset's Chromium as a child of this process (esbuild's service too).
    if (descendantOf(p, driverPid, all)) return /chrom/i.test(p.comm) || p.cmdline.includes('chrom') ? 'handset' : 'driver-other';
    return undefined;
  };
}

function memoryKb(pid: number): { pss: number; rss: number } {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const pss = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    const rss = Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    return { pss, rss };
  } catch {
    return { pss: 0, rss: 0 }; // exited, or a kernel thread
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat, first line). */
function machineTicks(): { busy: number; total: number } {
  const fields = must(readFileSync('/proc/stat', 'utf8').split('\n')[0], "readFileSync('/proc/stat', 'utf8').split('\\n'...")
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export type ResourceFigures = {
  seconds: number;
  /** Percent of one core per group (100 = one core busy), averaged over the window. */
  cpuPercent: Partial<Record<Group, number>>;
  /** At the window's end, MB. */
  pssMb: Partial<Record<Group, number>>;
  rssMb: Partial<Record<Group, number>>;
  processes: Partial<Record<Group, number>>;
  /** What the catch-all groups held (command names), so nothing is counted unseen. */
  others: Partial<Record<Group, string[]>>;
  /** The whole machine: busy percent of one core (nproc x 100 = all busy), and the part not ours. */
  machine: { nproc: number; busyPercent: number; othersPercent: number; loadavg: number[] };
};

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** One measuring window: begin(), then end() for the figures. */
export class ResourceWindow {
  private readonly cpu: CpuMeter;
  private ticks = machineTicks();
  private startedAt = performance.now();

  constructor(private readonly classify: (p: Proc, all: Map<number, Proc>) => Group | undefined) {
    this.cpu = new CpuMeter(classify as Classifier);
  }

  begin(): this {
    this.cpu.begin();
    this.ticks = machineTicks();
    this.startedAt = performance.now();
    return this;
  }

  end(): ResourceFigures {
    const cpuPercent = this.cpu.end() as Partial<Record<Group, number>>;
    const seconds = (performance.now() - this.startedAt) / 1000;
    const now = machineTicks();
    const nproc = os.cpus().length;
    const busyPercent = ((now.busy - this.ticks.busy) / Math.max(1, now.total - this.ticks.total)) * nproc * 100;
    const ours = Object.values(cpuPercent).reduce<number>((a, b) => a + b, 0);
    const procs = listProcesses();
    const all = new Map(procs.map((p) => [p.pid, p]));
    const pss: Partial<Record<Group, number>> = {};
    const rss: Partial<Record<Group, number>> = {};
    const count: Partial<Record<Group, number>> = {};
    const others: Partial<Record<Group, string[]>> = {};
    for (const p of procs) {
      const g = this.classify(p, all);
      if (!g) continue;
      const m = memoryKb(p.pid);
      pss[g] = (pss[g] ?? 0) + m.pss / 1024;
      rss[g] = (rss[g] ?? 0) + m.rss / 1024;
      count[g] = (count[g] ?? 0) + 1;
      if (g === 'edge-other' || g === 'driver-other') (others[g] ??= []).push(p.comm);
    }
    for (const o of [pss, rss]) for (const k of Object.keys(o) as Group[]) o[k] = r1(must(o[k], 'o[k]'));
    return {
      seconds: r1(seconds),
      cpuPercent,
      pssMb: pss,
      rssMb: rss,
      processes: count,
      others,
      machine: {
        nproc,
        busyPercent: r1(busyPercent),
        othersPercent: r1(Math.max(0, busyPercent - ours)),
        loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
      },
    };
  }
}

/** Sums a figure over the instance's groups (everything the edge started). */
export function instanceTotal(f: Partial<Record<Group, number>>): number {
  return r1(INSTANCE_GROUPS.reduce((a, g) => a + (f[g] ?? 0), 0));
}

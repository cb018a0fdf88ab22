/**
 * What Linux says about a process in /proc/<pid>/stat: its state, its
 * process group and its start time. One reader for the edge's leftovers
 * cleaning, its program sources and the tests that check no child is left.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** `state` is the one-letter state (R, S, T, Z...); `start` is in clock ticks since boot. */
export type ProcStat = { pid: number; state: string; pgrp: number; start: number; zombie: boolean };

/** Field 3 onwards of /proc/<pid>/stat, after the command name (which may hold spaces and parentheses). */
export function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = f[0] ?? '';
    return { pid, state, pgrp: Number(f[2]), start: Number(f[19]), zombie: state === 'Z' || state === 'X' };
  } catch {
    return undefined;
  }
}

/** Every live (not zombie) process, by process group. */
export function processesByGroup(): Map<number, ProcStat[]> {
  const groups = new Map<number, ProcStat[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readStat(Number(name));
    if (!p || p.zombie) continue;
    groups.set(p.pgrp, [...(groups.get(p.pgrp) ?? []), p]);
  }
  return groups;
}

/** Live (not zombie) processes of one group. */
export function groupMembers(pgid: number): number[] {
  return (processesByGroup().get(pgid) ?? []).map((p) => p.pid);
}

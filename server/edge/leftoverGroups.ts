/**
 * The edge's process groups, recorded in its data dir while they live, so
 * the groups of an edge killed with SIGKILL (which stops none of its
 * children: Xvfb, Chromium and PulseAudio run on without it) are killed at
 * its next start, with the files they leave (Xvfb's lock, a session's HOME).
 *
 * One file per group in `<dataDir>/edge-children/<edgeId>/<pgid>.json`,
 * written when a SupervisedChild spawns and removed once its group is gone.
 * Two fingerprints keep the cleaning from killing what is not ours: the
 * leader's start time (a pid reused by another program is left alone) and
 * the edge process that recorded it (the groups of an edge that still runs,
 * on the same data dir, are left alone). Records of an earlier boot are
 * dropped: nothing of them can be running.
 */
import { processesByGroup, readStat } from '../procStat.ts';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import type { Logger } from 'pino';
import type { ChildGroupRegistry } from '../../encoder/supervisedChild.ts';

type GroupRecord = {
  pgid: number;
  /** The leader's start time, in clock ticks since boot (/proc/<pid>/stat field 22). */
  leaderStart: number;
  bootId: string;
  command: string;
  paths: string[];
  /** The edge process that started the group. */
  owner: { pid: number; start: number };
};

function bootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}

/** Only what our children leave: Xvfb's lock and socket, and edgeplay-* directories in the temp dir. */
function isLeftoverPath(p: string): boolean {
  if (!isAbsolute(p) || normalize(p) !== p) return false;
  if (/^\/tmp\/\.X\d+-lock$/.test(p) || /^\/tmp\/\.X11-unix\/X\d+$/.test(p)) return true;
  return dirname(p) === tmpdir() && basename(p).startsWith('edgeplay-');
}

function parseRecord(text: string): GroupRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<GroupRecord>;
    const ok =
      Number.isInteger(r.pgid) &&
      (r.pgid ?? 0) > 1 &&
      Number.isFinite(r.leaderStart) &&
      typeof r.bootId === 'string' &&
      typeof r.command === 'string' &&
      Array.isArray(r.paths) &&
      r.paths.every((p) => typeof p === 'string') &&
      Number.isInteger(r.owner?.pid) &&
      Number.isFinite(r.owner?.start);
    return ok ? (r as GroupRecord) : undefined;
  } catch {
    return undefined;
  }
}

export type LeftoverReport = { groups: number; processes: number; paths: number };

export class LeftoverGroups implements ChildGroupRegistry {
  private readonly dir: string;
  private readonly boot = bootId();
  private readonly owner: { pid: number; start: number };

  constructor(
    dataDir: string,
    edgeId: string,
    private readonly log: Logger,
  ) {
    this.dir = join(dataDir, 'edge-children', encodeURIComponent(edgeId));
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.owner = { pid: process.pid, start: readStat(process.pid)?.start ?? 0 };
  }

  record(group: { pgid: number; command: string; paths: string[] }): () => void {
    const leader = readStat(group.pgid);
    if (!leader) return () => {}; // already gone
    const file = join(this.dir, `${group.pgid}.json`);
    const rec: GroupRecord = { ...group, leaderStart: leader.start, bootId: this.boot, owner: this.owner };
    try {
      writeFileSync(file, JSON.stringify(rec), { mode: 0o600 });
    } catch (err) {
      this.log.warn({ err: (err as Error).message, file }, 'could not record a child process group');
      return () => {};
    }
    return () => rmSync(file, { force: true });
  }

  /** Kills the groups (and removes the files) a previous run of this edge left; call before starting any child. */
  async clean(waitMs = 3000): Promise<LeftoverReport> {
    const report: LeftoverReport = { groups: 0, processes: 0, paths: 0 };
    const files = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    if (files.length === 0) return report;
    const live = processesByGroup();
    const killed: number[] = [];
    const pathsOf: string[] = [];
    for (const f of files) {
      const file = join(this.dir, f);
      const rec = parseRecord(readFileSync(file, 'utf8'));
      if (!rec || rec.bootId !== this.boot) {
        rmSync(file, { force: true });
        continue;
      }
      const owner = readStat(rec.owner.pid);
      if (owner && owner.start === rec.owner.start && !owner.zombie) continue; // an edge that still runs
      const members = live.get(rec.pgid) ?? [];
      const leader = members.find((p) => p.pid === rec.pgid);
      // A group whose leader started at another time is someone else's (the pid was reused).
      const ours = leader ? leader.start === rec.leaderStart : members.every((p) => p.start >= rec.leaderStart);
      if (!ours) {
        rmSync(file, { force: true });
        continue;
      }
      if (members.length > 0) {
        try {
          process.kill(-rec.pgid, 'SIGKILL');
          killed.push(rec.pgid);
          report.processes += members.length;
          this.log.warn({ pgid: rec.pgid, command: rec.command, processes: members.length }, 'killed a process group a previous run left');
        } catch {
          // ESRCH: gone since the scan
        }
      }
      pathsOf.push(...rec.paths);
      rmSync(file, { force: true });
    }
    report.groups = killed.length;
    // SIGKILL is not instant: Xvfb's display and Chromium's profile are free only once they are gone.
    const deadline = Date.now() + waitMs;
    const remaining = () => {
      const now = processesByGroup();
      return killed.some((g) => now.has(g));
    };
    while (remaining() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const p of pathsOf) {
      if (!isLeftoverPath(p) || !existsSync(p)) continue;
      rmSync(p, { recursive: true, force: true });
      report.paths++;
    }
    return report;
  }
}

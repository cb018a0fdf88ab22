/**
 * Children that run in their own process group, so stopping one also stops
 * everything it started (a game's helper processes, a shell wrapper).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export function spawnGroup(command: string, args: string[], o: SpawnOptions): ChildProcess {
  // detached: setsid(), making the child the leader of a new group whose id is its pid.
  return spawn(command, args, { ...o, detached: true });
}

/** Signals the whole group; false when nothing of it is left. */
export function signalGroup(pgid: number | undefined, signal: NodeJS.Signals): boolean {
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/**
 * SIGTERM to the group, SIGKILL after `graceMs` if the leader has not
 * exited, and a final SIGKILL for members that outlived their leader.
 * Resolves when the leader has exited.
 */
export function stopGroup(child: ChildProcess, graceMs = 1000): Promise<void> {
  const pgid = child.pid;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      signalGroup(pgid, 'SIGKILL');
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', done);
    timer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs);
    if (!signalGroup(pgid, 'SIGTERM')) child.kill('SIGTERM');
  });
}

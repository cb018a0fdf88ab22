/**
 * Test hosts for multi-host tests: each is a network namespace joined to
 * the root namespace by a veth pair, with `tc netem` delay/loss on its side.
 * Addresses come from 10.251.N.0/30 and exist only between the root
 * namespace and a namespace this test created; nothing else is ever
 * addressed. Needs root (CAP_NET_ADMIN); `canCreateNamespaces()` says
 * whether it can run here.
 */
import { execFileSync } from 'node:child_process';

export type TestHost = {
  name: string;
  /** Address of the root namespace's end (what the host reaches the broker at). */
  rootIp: string;
  /** Address of the host inside its namespace. */
  hostIp: string;
  /** Command prefix to run a program inside the namespace. */
  exec: string[];
  remove(): void;
};

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** Whether namespaces can be made here, and if not, why. */
export function canCreateNamespaces(): { ok: true } | { ok: false; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'not running as root: network namespaces need CAP_NET_ADMIN' };
  const probe = `ep-probe-${process.pid}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    execFileSync('tc', ['-V'], { stdio: 'ignore' });
    return { ok: true };
  } catch (err) {
    return { ok: false, why: `cannot create a network namespace or run tc: ${(err as Error).message.split('\n')[0]}` };
  }
}

export type NetemOptions = { delayMs: number; jitterMs?: number; lossPercent?: number; rateMbit?: number };

/** netem arguments for a profile; pure, so it can be unit-tested. */
export function netemArgs(o: NetemOptions): string[] {
  const args = ['delay', `${o.delayMs}ms`];
  if (o.jitterMs) args.push(`${o.jitterMs}ms`, 'distribution', 'normal');
  if (o.lossPercent) args.push('loss', `${o.lossPercent}%`);
  if (o.rateMbit) args.push('rate', `${o.rateMbit}mbit`);
  return args;
}

/**
 * Creates host number `index` (1..250). The delay is put on the host's side
 * of the pair, on egress, so every round trip to the host pays it once.
 */
export function createTestHost(index: number, netem?: NetemOptions): TestHost {
  if (!Number.isInteger(index) || index < 1 || index > 250) throw new Error('host index must be 1..250');
  const name = `ep-h${index}-${process.pid % 10000}`;
  const rootDev = `epr${index}-${process.pid % 10000}`;
  const hostDev = `eph${index}-${process.pid % 10000}`;
  const rootIp = `10.251.${index}.1`;
  const hostIp = `10.251.${index}.2`;
  const remove = () => {
    try {
      ip('netns', 'del', name);
    } catch {
      /* already gone */
    }
    try {
      ip('link', 'del', rootDev);
    } catch {
      /* deleting the namespace removed the pair */
    }
  };
  remove();
  try {
    ip('netns', 'add', name);
    ip('link', 'add', rootDev, 'type', 'veth', 'peer', 'name', hostDev);
    ip('link', 'set', hostDev, 'netns', name);
    ip('addr', 'add', `${rootIp}/30`, 'dev', rootDev);
    ip('link', 'set', rootDev, 'up');
    const inNs = (...args: string[]) => ip('netns', 'exec', name, 'ip', ...args);
    inNs('addr', 'add', `${hostIp}/30`, 'dev', hostDev);
    inNs('link', 'set', hostDev, 'up');
    // Programs inside use loopback too (ffmpeg sends RTP to 127.0.0.1).
    inNs('link', 'set', 'lo', 'up');
    if (netem) execFileSync('ip', ['netns', 'exec', name, 'tc', 'qdisc', 'add', 'dev', hostDev, 'root', 'netem', ...netemArgs(netem)]);
  } catch (err) {
    remove();
    throw err;
  }
  return { name, rootIp, hostIp, exec: ['ip', 'netns', 'exec', name], remove };
}

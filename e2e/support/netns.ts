/**
 * Test hosts for multi-host tests: each is a network namespace joined to
 * the root namespace by a veth pair, with `tc netem` delay/loss on its side.
 * Shaping uses the kernel's `tc netem` where it exists; kernels without
 * sch_netem (this project's CI VMs) get scripts/netem_wire.py instead, a
 * userspace link of two TUN devices with the same delay/jitter/loss/rate.
 * Addresses come from 10.251.N.0/30 and exist only between the root
 * namespace and a namespace this test created; nothing else is ever
 * addressed. Needs root (CAP_NET_ADMIN); `canCreateNamespaces()` says
 * whether it can run here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WIRE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/netem_wire.py');

export type TestHost = {
  name: string;
  /** How the link is shaped; undefined when it is not. */
  shaper?: Shaper;
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
  if (!kernelHasNetem() && !hasTunAndPython())
    return { ok: false, why: 'the kernel has no tc netem, and /dev/net/tun or python3 for the userspace wire is missing' };
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

let netemCache: boolean | undefined;
/** Whether the kernel has sch_netem (tried on a throw-away namespace's loopback). */
export function kernelHasNetem(): boolean {
  if (netemCache !== undefined) return netemCache;
  const probe = `ep-netem-${process.pid}`;
  try {
    ip('netns', 'add', probe);
    execFileSync('ip', ['netns', 'exec', probe, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'], { stdio: 'ignore' });
    netemCache = true;
  } catch {
    netemCache = false;
  } finally {
    try {
      ip('netns', 'del', probe);
    } catch {
      /* never created */
    }
  }
  return netemCache;
}

function hasTunAndPython(): boolean {
  try {
    execFileSync('test', ['-c', '/dev/net/tun']);
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * What a link does to packets. Every figure applies to each direction (netem
 * on the egress of both ends), so a round trip carries twice the delay.
 */
export type Impairment = {
  /** One-way added delay and its jitter (uniform within ± jitter, netem's default without a distribution table). */
  delayMs: number;
  jitterMs?: number;
  /** Independent random loss of each packet. */
  lossPercent?: number;
  /** Bottleneck rate; undefined = unlimited. */
  rateKbit?: number;
  /** Packets queued before tail drop (netem's default limit is 1000). */
  limitPackets?: number;
};

/** tc prints and parses plain decimals; avoid "1e-7" style output for small losses. */
const decimal = (v: number): string => String(Number(v.toFixed(4)));

/**
 * The netem part of a qdisc: `netem limit N delay Xms Yms loss P% rate Rkbit`.
 * No distribution is named, so the kernel draws jitter uniformly; with a rate
 * netem also keeps packets in order, without one jitter may reorder them.
 */
export function netemArgs(imp: Impairment): string[] {
  const args = ['netem', 'limit', String(imp.limitPackets ?? 1000)];
  if (imp.delayMs > 0 || (imp.jitterMs ?? 0) > 0) {
    args.push('delay', `${decimal(imp.delayMs)}ms`);
    if (imp.jitterMs) args.push(`${decimal(imp.jitterMs)}ms`);
  }
  if (imp.lossPercent) args.push('loss', `${decimal(imp.lossPercent)}%`);
  if (imp.rateKbit !== undefined) args.push('rate', `${decimal(imp.rateKbit)}kbit`);
  return args;
}

/** How a host's link is shaped: the kernel's netem, or the userspace wire where the kernel has none. */
export type Shaper = 'netem' | 'wire';

/**
 * Creates host number `index` (1..250), its link shaped by `impairment` in
 * each direction. `shaper` forces one way of shaping (default: netem when
 * the kernel has it, else the wire).
 */
export async function createTestHost(index: number, impairment?: Impairment, o: { shaper?: Shaper | 'auto' } = {}): Promise<TestHost> {
  if (!Number.isInteger(index) || index < 1 || index > 250) throw new Error('host index must be 1..250');
  const tag = `${index}-${process.pid % 10000}`;
  const name = `ep-h${tag}`;
  const rootDev = `epr${tag}`;
  const hostDev = `eph${tag}`;
  const rootIp = `10.251.${index}.1`;
  const hostIp = `10.251.${index}.2`;
  let wire: ChildProcess | undefined;
  const shaper: Shaper | undefined = !impairment ? undefined : o.shaper === 'netem' || o.shaper === 'wire' ? o.shaper : kernelHasNetem() ? 'netem' : 'wire';
  const remove = () => {
    wire?.kill('SIGTERM');
    for (const args of [
      ['netns', 'del', name],
      ['link', 'del', rootDev],
    ]) {
      try {
        ip(...args);
      } catch {
        /* already gone (deleting the namespace removes its end of the link) */
      }
    }
  };
  remove();
  try {
    ip('netns', 'add', name);
    if (impairment && shaper === 'wire') {
      wire = await startWire(rootDev, hostDev, impairment);
    } else {
      ip('link', 'add', rootDev, 'type', 'veth', 'peer', 'name', hostDev);
    }
    ip('link', 'set', hostDev, 'netns', name);
    ip('addr', 'add', `${rootIp}/30`, 'dev', rootDev);
    ip('link', 'set', rootDev, 'up');
    const inNs = (...args: string[]) => ip('netns', 'exec', name, 'ip', ...args);
    inNs('addr', 'add', `${hostIp}/30`, 'dev', hostDev);
    inNs('link', 'set', hostDev, 'up');
    // Programs inside use loopback too (ffmpeg sends RTP to 127.0.0.1).
    inNs('link', 'set', 'lo', 'up');
    if (impairment && shaper === 'netem') {
      // Both ends' egress: each direction pays the impairment.
      execFileSync('ip', ['netns', 'exec', name, 'tc', 'qdisc', 'add', 'dev', hostDev, 'root', ...netemArgs(impairment)]);
      execFileSync('tc', ['qdisc', 'add', 'dev', rootDev, 'root', ...netemArgs(impairment)]);
    }
  } catch (err) {
    remove();
    throw err;
  }
  return { name, ...(shaper ? { shaper } : {}), rootIp, hostIp, exec: ['ip', 'netns', 'exec', name], remove };
}

/** Starts the userspace wire and waits until its two TUN devices exist. */
function startWire(a: string, b: string, n: Impairment): Promise<ChildProcess> {
  const args = [WIRE, a, b, '--delay-ms', String(n.delayMs), '--max-seconds', '3600'];
  if (n.jitterMs) args.push('--jitter-ms', String(n.jitterMs));
  if (n.lossPercent) args.push('--loss', String(n.lossPercent));
  if (n.rateKbit) args.push('--rate-mbit', String(n.rateKbit / 1000));
  const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`netem wire did not start: ${err}`)), 5_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`netem wire exited with ${code}: ${err}`));
    });
  });
}

/**
 * The emulated network of one latency run: network namespaces and veth pairs
 * the run creates and deletes, addressed from 10.250.<slot>.0/29, a range
 * that exists only on these links. The machine's own interfaces are never
 * touched, and neither namespace has a default route, so nothing the stack
 * sends can leave the machine.
 *
 * - netem (kernel has sch_netem):
 *     root 10.250.S.1/30 [vethqSr] ── [vethqSn] 10.250.S.2/30 server ns
 *   with `tc netem` on the egress of both ends.
 * - relay (kernels built without sch_netem, like this project's CI VMs):
 *     root 10.250.S.1/29 [vethqSr] ── [vethqSa] 10.250.S.2/30 relay ns
 *     relay ns 10.250.S.5/30 [vethqSb] ── [vethqSc] 10.250.S.6/30 server ns
 *   and relay.ts shapes every packet in user space. The root end is a /29 so
 *   that even a stray packet for the server's .6 goes into the relay
 *   namespace (which does not forward) rather than the default route.
 *
 * werift never gathers addresses of interfaces named veth*, so the server
 * offers only ICE_HOST_ADDRESSES, the address the browser must use.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Impairment } from './profiles.ts';
import { tcAddArgs } from './profiles.ts';

const run = promisify(execFile);
const MAX_SLOTS = 64;
const OWNERS = path.join(os.tmpdir(), 'edgeplay-qa-netns');

export type Shaper = 'netem' | 'relay';

export type Topology = {
  slot: number;
  shaper: Shaper;
  /** Namespace the server runs in. */
  serverNs: string;
  /** Namespace relay.ts runs in (relay mode only). */
  relayNs?: string;
  /** Address the browser connects to (server in netem mode, relay in relay mode). */
  frontAddress: string;
  /** Relay mode: relay's address towards the server, and the server's address. */
  innerAddress?: string;
  serverAddress: string;
  /** Deletes everything this topology created; safe to call twice. */
  destroy: () => void;
};

const names = (slot: number) => ({
  serverNs: `epqa${slot}s`,
  relayNs: `epqa${slot}r`,
  rootVeth: `vethq${slot}r`,
  netemVeth: `vethq${slot}n`,
  relayFront: `vethq${slot}a`,
  relayBack: `vethq${slot}b`,
  serverVeth: `vethq${slot}c`,
});

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}
async function inNs(ns: string, ...cmd: string[]): Promise<void> {
  await run('ip', ['netns', 'exec', ns, ...cmd]);
}

/** Why namespaces cannot be made here, or undefined when they can. */
export function namespaceBlocker(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'creating network namespaces needs root (run as root, or use the lan profile)';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    execFileSync('tc', ['-V'], { stdio: 'ignore' });
  } catch {
    return "the 'ip' and 'tc' commands are missing (Debian package iproute2)";
  }
  return undefined;
}

/** Deletes every link and namespace of a slot; quiet about the ones that do not exist. */
function destroySlot(slot: number): void {
  const n = names(slot);
  for (const args of [['link', 'del', n.rootVeth], ['netns', 'del', n.relayNs], ['netns', 'del', n.serverNs]]) {
    try {
      execFileSync('ip', args, { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
  rmSync(path.join(OWNERS, String(slot)), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims a free slot: `ip netns add` is atomic, so two runs never share one.
 * A slot whose recorded owner process is gone is left over from a crash:
 * it is cleaned and reused.
 */
async function claimSlot(): Promise<number> {
  mkdirSync(OWNERS, { recursive: true });
  const { stdout } = await run('ip', ['-4', '-o', 'addr', 'show']);
  let lastError = '';
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    if (stdout.includes(` 10.250.${slot}.`) && !stdout.includes(names(slot).rootVeth)) continue; // someone else's addresses
    const ownerFile = path.join(OWNERS, String(slot));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await ip('netns', 'add', names(slot).serverNs);
        writeFileSync(ownerFile, String(process.pid));
        return slot;
      } catch (e) {
        lastError = (e as { stderr?: string }).stderr?.trim() || String(e);
        let owner = NaN;
        try {
          owner = Number(readFileSync(ownerFile, 'utf8'));
        } catch {
          /* no owner recorded: another run is between its netns add and its write, or it is not ours */
        }
        if (!(Number.isInteger(owner) && owner > 0 && !alive(owner))) break;
        destroySlot(slot); // left over from a run that crashed: clean it, then try this slot once more
      }
    }
  }
  throw new Error(`no free network namespace slot (last error: ${lastError})`);
}

/** Whether this kernel has sch_netem, tried on the loopback of the fresh namespace. */
async function hasNetem(ns: string): Promise<boolean> {
  try {
    await inNs(ns, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms');
    await inNs(ns, 'tc', 'qdisc', 'del', 'dev', 'lo', 'root');
    return true;
  } catch {
    return false;
  }
}

export type TopologyOptions = {
  impairment: Impairment;
  /** 'auto' uses netem when the kernel has it. */
  shaper?: Shaper | 'auto';
};

export async function createTopology(opts: TopologyOptions): Promise<Topology> {
  const slot = await claimSlot();
  const n = names(slot);
  const net = `10.250.${slot}`;
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    destroySlot(slot);
  };
  try {
    await inNs(n.serverNs, 'ip', 'link', 'set', 'lo', 'up'); // ffmpeg -> werift RTP runs over the namespace's loopback
    const want = opts.shaper ?? 'auto';
    const netem = want === 'netem' || (want === 'auto' && (await hasNetem(n.serverNs)));
    if (netem) {
      await ip('link', 'add', n.rootVeth, 'type', 'veth', 'peer', 'name', n.netemVeth, 'netns', n.serverNs);
      await ip('addr', 'add', `${net}.1/30`, 'dev', n.rootVeth);
      await ip('link', 'set', n.rootVeth, 'up');
      await inNs(n.serverNs, 'ip', 'addr', 'add', `${net}.2/30`, 'dev', n.netemVeth);
      await inNs(n.serverNs, 'ip', 'link', 'set', n.netemVeth, 'up');
      await run('tc', tcAddArgs(n.rootVeth, opts.impairment)); // browser -> server
      await inNs(n.serverNs, 'tc', ...tcAddArgs(n.netemVeth, opts.impairment)); // server -> browser
      return { slot, shaper: 'netem', serverNs: n.serverNs, frontAddress: `${net}.2`, serverAddress: `${net}.2`, destroy };
    }
    await ip('netns', 'add', n.relayNs);
    await inNs(n.relayNs, 'ip', 'link', 'set', 'lo', 'up');
    await ip('link', 'add', n.rootVeth, 'type', 'veth', 'peer', 'name', n.relayFront, 'netns', n.relayNs);
    await ip('addr', 'add', `${net}.1/29`, 'dev', n.rootVeth);
    await ip('link', 'set', n.rootVeth, 'up');
    await inNs(n.relayNs, 'ip', 'addr', 'add', `${net}.2/30`, 'dev', n.relayFront);
    await inNs(n.relayNs, 'ip', 'link', 'set', n.relayFront, 'up');
    await inNs(n.relayNs, 'ip', 'link', 'add', n.relayBack, 'type', 'veth', 'peer', 'name', n.serverVeth, 'netns', n.serverNs);
    await inNs(n.relayNs, 'ip', 'addr', 'add', `${net}.5/30`, 'dev', n.relayBack);
    await inNs(n.relayNs, 'ip', 'link', 'set', n.relayBack, 'up');
    await inNs(n.serverNs, 'ip', 'addr', 'add', `${net}.6/30`, 'dev', n.serverVeth);
    await inNs(n.serverNs, 'ip', 'link', 'set', n.serverVeth, 'up');
    return {
      slot,
      shaper: 'relay',
      serverNs: n.serverNs,
      relayNs: n.relayNs,
      frontAddress: `${net}.2`,
      innerAddress: `${net}.5`,
      serverAddress: `${net}.6`,
      destroy,
    };
  } catch (e) {
    destroy();
    const err = e as { stderr?: string; message?: string };
    throw new Error(`could not build the emulated network: ${err.stderr?.trim() || err.message}`);
  }
}

/**
 * The local demo behind a network profile: `lan` boots the stack on
 * loopback (e2e/support/stack.ts as is); any other profile builds a
 * namespace topology (netns.ts), runs the stack inside it and, where the
 * kernel has no netem, the shaping relay between (relay.ts). Everything
 * started here is stopped by `stop()`, and by the exit handlers in
 * cleanup.ts if the run dies first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startStack, type RunningStack } from '../support/stack.ts';
import { onCleanup } from './cleanup.ts';
import { createTopology, namespaceBlocker, type Shaper } from './netns.ts';
import type { NetworkProfile } from './profiles.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Inside a namespace the port space is the run's own: fixed ports keep the relay simple. */
const HTTP_PORT = 8080;
const ICE_PORTS = '40000-40031';

export type VideoSettings = { width: number; height: number; fps: number; bitrateKbps?: number; encoder?: string };

export type LocalDemo = {
  demoUrl: string;
  /** How the profile was applied: 'none' for lan. */
  shaper: Shaper | 'none';
  netns?: string;
  stack: RunningStack;
  /** Relay mode: what the relay dropped and passed, after stop(). */
  relayCounters?: () => string | undefined;
  stop: () => Promise<void>;
};

function videoEnv(v: VideoSettings): Record<string, string> {
  const env: Record<string, string> = {
    VIDEO_WIDTH: String(v.width),
    VIDEO_HEIGHT: String(v.height),
    VIDEO_FPS: String(v.fps),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  if (v.bitrateKbps) env.VIDEO_BITRATE_KBPS = String(v.bitrateKbps);
  if (v.encoder) env.ENCODER = v.encoder;
  return env;
}

function startRelay(ns: string, args: string[]): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', 'e2e/qa/relay.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${out}`)), 15_000);
    child.stdout.on('data', () => {
      if (out.includes('relay ready')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${out}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

export async function startLocalDemo(profile: NetworkProfile, video: VideoSettings, opts: { shaper?: Shaper | 'auto' } = {}): Promise<LocalDemo> {
  const env = videoEnv(video);
  if (!profile.impairment) {
    const stack = await startStack(env);
    // SIGTERM: the server then closes its ffmpeg processes itself; an exit handler cannot wait for it.
    const unregister = onCleanup(() => stack.process.kill('SIGTERM'));
    return {
      demoUrl: stack.demoUrl,
      shaper: 'none',
      stack,
      stop: async () => {
        await stack.stop();
        unregister();
      },
    };
  }

  const blocker = namespaceBlocker();
  if (blocker) throw new Error(blocker);
  const topo = await createTopology({ impairment: profile.impairment, shaper: opts.shaper ?? 'auto' });
  const unregisterTopo = onCleanup(topo.destroy);
  let relay: { child: ChildProcess; output: () => string } | undefined;
  let stack: RunningStack | undefined;
  const unregisterProcs = onCleanup(() => {
    stack?.process.kill('SIGTERM');
    relay?.child.kill('SIGKILL');
  });
  const stop = async () => {
    if (stack) await stack.stop();
    if (relay) await stopChild(relay.child);
    unregisterProcs();
    unregisterTopo();
  };
  try {
    if (topo.shaper === 'relay') {
      relay = await startRelay(topo.relayNs!, [
        '--listen', topo.frontAddress,
        '--inner', topo.innerAddress!,
        '--target', topo.serverAddress,
        '--tcp', String(HTTP_PORT),
        '--udp', ICE_PORTS,
        '--profile', profile.name,
      ]);
    }
    const front = `http://${topo.frontAddress}:${HTTP_PORT}`;
    stack = await startStack(
      {
        ...env,
        HOST: '0.0.0.0',
        PORT: String(HTTP_PORT),
        PUBLIC_URL: front,
        // The only candidate the server offers: the address the browser reaches it (or the relay) at.
        ICE_HOST_ADDRESSES: topo.frontAddress,
        ICE_PORT_RANGE: ICE_PORTS,
      },
      30_000,
      { netns: topo.serverNs },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  const r = relay;
  return {
    demoUrl: stack.demoUrl,
    shaper: topo.shaper,
    netns: topo.serverNs,
    stack,
    relayCounters: r ? () => r.output().split('\n').find((l) => l.startsWith('{')) : undefined,
    stop,
  };
}

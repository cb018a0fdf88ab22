/**
 * The local demo behind a network profile: `lan` boots the stack on
 * loopback (e2e/support/stack.ts as is); any other profile runs the stack
 * in a test host (e2e/support/netns.ts) whose link carries the profile's
 * impairment, by kernel netem or, where the kernel has none, the userspace
 * wire. Everything started here is stopped by `stop()`, and by the exit
 * handlers in cleanup.ts if the run dies first.
 */
import { startStack, type RunningStack } from '../support/stack.ts';
import { canCreateNamespaces, createTestHost, type Shaper } from '../support/netns.ts';
import { onCleanup } from './cleanup.ts';
import type { NetworkProfile } from './profiles.ts';

/** Inside its namespace the stack has the port space to itself. */
const HTTP_PORT = 8080;
/** Test-host numbers for latency runs, clear of the fleet test's 1..3. */
const HOST_INDEX = 200 + (process.pid % 50);

export type VideoSettings = { width: number; height: number; fps: number; bitrateKbps?: number; encoder?: string; titleId?: string };

export type LocalDemo = {
  demoUrl: string;
  /** How the profile was applied: 'none' for lan. */
  shaper: Shaper | 'none';
  netns?: string;
  stack: RunningStack;
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
  if (v.titleId) env.DEMO_TITLE = v.titleId;
  return env;
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

  const support = canCreateNamespaces();
  if (!support.ok) throw new Error(support.why);
  const host = await createTestHost(HOST_INDEX, profile.impairment, { shaper: opts.shaper ?? 'auto' });
  const unregisterHost = onCleanup(host.remove);
  let stack: RunningStack | undefined;
  const unregisterStack = onCleanup(() => stack?.process.kill('SIGTERM'));
  const stop = async () => {
    if (stack) await stack.stop();
    host.remove();
    unregisterStack();
    unregisterHost();
  };
  try {
    stack = await startStack(
      {
        ...env,
        HOST: '0.0.0.0',
        PORT: String(HTTP_PORT),
        PUBLIC_URL: `http://${host.hostIp}:${HTTP_PORT}`,
        // The only candidate the server offers: the address across the shaped link.
        ICE_HOST_ADDRESSES: host.hostIp,
      },
      30_000,
      { netns: host.name },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { demoUrl: stack.demoUrl, shaper: host.shaper ?? 'none', netns: host.name, stack, stop };
}

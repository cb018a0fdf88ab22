/**
 * Boots the product as a user does (`node server/main.ts`, here on a free
 * port) and returns its demo link. Talks to it only over the network.
 * With `netns`, the server runs inside that network namespace (`ip netns
 * exec`, which execs in place, so signals reach node itself): the latency
 * toolkit puts it behind an emulated link that way (e2e/support/netns.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { startEntry } from './processes.ts';
import { must } from '../../protocol/must.ts';

export type RunningStack = {
  baseUrl: string;
  demoUrl: string;
  process: ChildProcess;
  /** Everything the server printed, for diagnosing a failure. */
  output: () => string;
  stop: () => Promise<void>;
};

export type StackOptions = {
  /** Network namespace to run the server in; the caller sets HOST, PORT and PUBLIC_URL to fit it. */
  netns?: string;
};

export async function startStack(env: Record<string, string> = {}, timeoutMs = 30_000, opts: StackOptions = {}): Promise<RunningStack> {
  const started = await startEntry({
    entry: 'server/main.ts',
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...env },
    ...(opts.netns ? { prefix: ['ip', 'netns', 'exec', opts.netns] } : {}),
    ready: /Play the demo: (http\S+)/,
    timeoutMs,
  });
  const demoUrl = must(started.match[1], 'started.match[1]');
  return { baseUrl: new URL(demoUrl).origin, demoUrl, process: started.process, output: started.output, stop: () => started.stop() };
}

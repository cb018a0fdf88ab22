/**
 * Boots the product as a user does (`node server/main.ts`, here on a free
 * port) and returns its demo link. Talks to it only over the network.
 * With `netns`, the server runs inside that network namespace (`ip netns
 * exec`, which execs in place, so signals reach node itself): the latency
 * toolkit puts it behind an emulated network that way (e2e/qa/netns.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
  const node = [process.execPath, '--import', 'tsx', 'server/main.ts'];
  const [command, ...args] = opts.netns ? ['ip', 'netns', 'exec', opts.netns, ...node] : node;
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  const demoUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not print its demo link within ${timeoutMs} ms:\n${out.slice(-4000)}`)), timeoutMs);
    const check = () => {
      const m = /Play the demo: (http\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${out.slice(-4000)}`));
    });
  });
  const baseUrl = new URL(demoUrl).origin;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { baseUrl, demoUrl, process: child, output: () => out, stop };
}

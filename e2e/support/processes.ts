/**
 * Starts one of the product's entry points as a child process, as an
 * operator would, and waits for the line that says it is ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { must } from '../../protocol/must.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type Started = {
  process: ChildProcess;
  match: RegExpExecArray;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

export async function startEntry(o: { entry: string; env: Record<string, string>; prefix?: string[]; ready: RegExp; timeoutMs?: number }): Promise<Started> {
  // SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=prof": node flags for the started server (profiling a bench).
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const [cmd, ...args] = [...(o.prefix ?? []), process.execPath, ...nodeArgs, '--import', 'tsx', o.entry];
  const child = spawn(must(cmd, 'cmd'), args, { cwd: ROOT, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timeoutMs = o.timeoutMs ?? 30_000;
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${o.entry} not ready within ${timeoutMs} ms:\n${out.slice(-4000)}`)), timeoutMs);
    child.stdout.on('data', () => {
      const m = o.ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${o.entry} exited with ${code} before it was ready:\n${out.slice(-4000)}`));
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { process: child, match, output: () => out, stop };
}

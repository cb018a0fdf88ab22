/**
 * What every step of the phone benchmark shares: its options, the running
 * stack and handset browser, the subscriber, and small app-API helpers.
 */
import os from 'node:os';
import type { Browser } from '@playwright/test';
import type { RunningStack } from '../../support/stack.ts';
import { appCall } from '../../support/phone.ts';
import type { classifier } from './procs.ts';
import { pgrep, waitUntil } from './tracker.ts';

export type BenchOptions = {
  quick: boolean;
  capacity: boolean;
  /** Cold starts and resumes, each. */
  reps: number;
  idleSeconds: number;
  tapSeconds: number;
  /** Taps are spaced at random within this range, ms. */
  tapGapMs: [number, number];
  maxInstances: number;
  stepSeconds: number;
  /** Capacity stops at the first step where any instance shows fewer fps or a higher g2g p95. */
  minFps: number;
  maxG2gP95Ms: number;
  /** Experiment (--no-av-sync): the handset plays the phone's audio out of sync with its video (handset.ts). */
  splitAudio: boolean;
  out: string;
};

export type Bench = {
  opts: BenchOptions;
  stack: RunningStack;
  browser: Browser;
  dataRoot: string;
  subscriberId: string;
  token: string;
  appUrl: string;
  classify: ReturnType<typeof classifier>;
  log: (line: string) => void;
};

/** Load average right now, rounded (every figure carries the load it was taken under). */
export const load = (): number[] => os.loadavg().map((l) => Math.round(l * 100) / 100);

export async function createPhone(b: Bench, name: string): Promise<string> {
  const r = await appCall(b.stack.baseUrl, b.token, 'POST', '/api/phone/instances', { name });
  if (r.status !== 201) throw new Error(`creating phone ${name}: ${r.status} ${JSON.stringify(r.json)}`);
  return String(r.json.instanceId);
}

export async function phaseOf(b: Bench, instanceId: string): Promise<string | undefined> {
  const r = await appCall(b.stack.baseUrl, b.token, 'GET', '/api/phone/instances');
  const list = (r.json.instances ?? []) as Array<{ instanceId: string; phase: string }>;
  return list.find((i) => i.instanceId === instanceId)?.phase;
}

/** Stops an instance through the app API and waits until it is stopped and none of its processes is left. */
export async function stopPhone(b: Bench, instanceId: string, timeoutMs = 20_000): Promise<void> {
  const r = await appCall(b.stack.baseUrl, b.token, 'POST', `/api/phone/instances/${instanceId}/stop`, {});
  if (r.status !== 200) throw new Error(`stopping ${instanceId}: ${r.status} ${JSON.stringify(r.json)}`);
  const stopped = await waitUntil(async () => (await phaseOf(b, instanceId)) === 'stopped' && pgrep(instanceId).length === 0, timeoutMs, 300);
  if (!stopped)
    throw new Error(`${instanceId} not stopped within ${timeoutMs} ms: phase ${await phaseOf(b, instanceId)}, processes ${pgrep(instanceId).length}`);
}

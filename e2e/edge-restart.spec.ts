/**
 * An edge killed with SIGKILL cannot stop its children: Xvfb, Chromium and
 * PulseAudio run on without it. Its next start on the same data dir kills
 * what the killed run left (server/edge/leftoverGroups.ts), so with a phone
 * instance and an X11 title running, a kill and a restart leave nothing of
 * the old run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { startStack, type RunningStack } from './support/stack.ts';
import { appCall, provision } from './support/phone.ts';
import { waitForFrames } from './support/player.ts';
import { must } from '../protocol/must.ts';

const dataRoot = mkdtempSync(path.join(tmpdir(), 'edgeplay-edge-restart-'));
const telcoKey = randomBytes(18).toString('base64url');
const PUBLISHER_KEY = 'e2e-publisher-key-restart-0123456789';
const env = {
  TELCO_KEYS: `e2e-telco:${telcoKey}`,
  PUBLISHER_KEYS: `acme:${PUBLISHER_KEY}`,
  EDGE_DATA_DIR: dataRoot,
  VIDEO_WIDTH: '640',
  VIDEO_HEIGHT: '480',
  VIDEO_FPS: '30',
  PHONE_FPS: '15',
  WARM_ENCODERS: '0',
};
test.afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

type Proc = { pid: number; ppid: number; pgid: number; start: string; cmd: string };

/** Every process, from one `ps` listing. */
function processes(): Proc[] {
  return execFileSync('ps', ['-e', '-o', 'pid=,ppid=,pgid=,lstart=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\w+ \w+\s+\d+ [\d:]+ \d+) (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), start: must(m[4], 'm[4]'), cmd: must(m[5], 'm[5]') }));
}

function descendants(root: number): Proc[] {
  const all = processes();
  const out: Proc[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = must(queue.shift(), 'queue.shift()');
    for (const p of all) if (p.ppid === parent) (out.push(p), queue.push(p.pid));
  }
  return out;
}

/** Those of `old` still running (same pid and start time, not a zombie). */
function stillRunning(old: Proc[]): string[] {
  const now = new Map(processes().map((p) => [p.pid, p]));
  return old.filter((p) => now.get(p.pid)?.start === p.start && !isZombie(p.pid)).map((p) => `${p.pid} ${p.cmd.slice(0, 120)}`);
}

function killedGroup(pid: number): number | undefined {
  return processes().find((p) => p.pid === pid)?.pgid;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

test('SIGKILL an edge running a phone and an X11 title, start it again: nothing of the old run is left', async ({ page }, info) => {
  test.setTimeout(120_000);
  let stack: RunningStack | undefined = await startStack(env);
  try {
    // An X11 title, played from its publisher link.
    const res = await fetch(`${stack.baseUrl}/api/publisher/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PUBLISHER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ titleId: 'xjump' }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    await page.goto(((await res.json()) as { url: string }).url);
    await waitForFrames(page, 5, 30_000);

    // A phone instance, opened through the app API (its Chromium starts on the edge).
    const sub = await provision({ baseUrl: stack.baseUrl, key: telcoKey }, 'restart-sub', 1);
    const token = decodeURIComponent(new URL(sub.appUrl).hash.slice('#token='.length));
    const created = await appCall(stack.baseUrl, token, 'POST', '/api/phone/instances', { name: 'Phone' });
    expect(created.status).toBe(201);
    const instanceId = created.json.instanceId as string;
    const opened = await appCall(stack.baseUrl, token, 'POST', `/api/phone/instances/${instanceId}/open`, {});
    expect(opened.status, JSON.stringify(opened.json)).toBe(200);
    // What the app does after probing its candidates: report, and the broker prepares the session on the edge.
    const offer = opened.json as { placementId: string; candidates: Array<{ edgeId: string }> };
    const placed = await fetch(`${stack.baseUrl}/api/placements/${offer.placementId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rtts: Object.fromEntries(offer.candidates.map((c) => [c.edgeId, 1])) }),
    });
    expect(placed.status, await placed.clone().text()).toBe(201);
    const edgePid = must(stack.process.pid, 'stack.process.pid');
    await expect
      .poll(() => descendants(edgePid).filter((p) => p.cmd.includes(instanceId) && p.cmd.includes('chromium')).length, {
        timeout: 30_000,
        message: 'the phone Chromium',
      })
      .toBeGreaterThan(0);
    await expect.poll(() => descendants(edgePid).filter((p) => /^Xvfb :/.test(p.cmd)).length, { timeout: 20_000, message: 'two displays' }).toBe(2);

    const old = descendants(edgePid);
    const names = old.map((p) => p.cmd);
    for (const what of [/^Xvfb :/, /xjump/, /chromium/, /ffmpeg .*x11grab/, /ffmpeg .*-f rtp/])
      expect(
        names.some((c) => what.test(c)),
        `${what} runs`,
      ).toBe(true);
    // esbuild (tsx, the phone shell's build) is no child the edge supervises: it ends with its stdin, when node does.
    const unsupervised = old.filter((p) => p.pgid === killedGroup(edgePid) && !p.cmd.includes('esbuild --service'));
    expect(
      unsupervised.map((p) => p.cmd),
      "no child in the edge's own group",
    ).toEqual([]);
    const displays = old.map((p) => /^Xvfb :(\d+)/.exec(p.cmd)?.[1]).filter((d): d is string => d !== undefined);

    await page.close();
    stack.process.kill('SIGKILL');
    await new Promise((r) => must(stack, 'stack').process.once('exit', r));
    stack = undefined;
    await new Promise((r) => setTimeout(r, 500));
    // The problem this fixes: without the edge, its displays and browsers run on.
    const orphans = stillRunning(old);
    expect(
      orphans.some((l) => /^\d+ Xvfb :/.test(l)),
      'SIGKILL leaves Xvfb running',
    ).toBe(true);
    expect(
      orphans.some((l) => l.includes('chromium')),
      'and Chromium',
    ).toBe(true);

    stack = await startStack(env);
    await expect.poll(() => stillRunning(old), { timeout: 10_000, message: 'no process of the old run' }).toEqual([]);
    // Every child was spawned in a group of its own: its leader is one of the old run's processes.
    const oldGroups = new Set(old.map((p) => p.pgid).filter((g) => old.some((p) => p.pid === g)));
    // Zombies are dead: whether they are reaped is up to this machine's init, not the edge.
    expect(
      processes().filter((p) => oldGroups.has(p.pgid) && !isZombie(p.pid)),
      'no live process in an old process group',
    ).toEqual([]);
    expect(
      processes().filter((p) => p.cmd.includes(dataRoot)),
      'no process on the data dir',
    ).toEqual([]);
    for (const d of displays) expect(existsSync(`/tmp/.X${d}-lock`), `display :${d} is free again`).toBe(false);
  } finally {
    if (stack && info.status !== info.expectedStatus) await info.attach('server-output', { body: stack.output().slice(-20_000) });
    await stack?.stop();
  }
});

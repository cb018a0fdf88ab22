/**
 * The cloud phone's timers and touch, end to end with short limits: a phone
 * nobody comes back to stops when its grace period runs out, one left open
 * without input stops at its idle limit (both keep their data and say why in
 * the app's list), and two fingers on the handset reach the phone's page as
 * one two-finger touch. A phone whose Chromium crashes ends with a reason
 * and leaves nothing running.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { useStack } from './support/stackFixture.ts';
import { appCall, inspectInstance, openInstance, phoneHook, playerHook, provision, type Telco } from './support/phone.ts';
import { must } from '../protocol/must.ts';

const dataRoot = mkdtempSync(path.join(tmpdir(), 'edgeplay-phone-life-'));
const telcoKey = randomBytes(18).toString('base64url');
const GRACE_S = 4;
const IDLE_S = 8;
const stack = useStack({
  TELCO_KEYS: `e2e-telco:${telcoKey}`,
  EDGE_DATA_DIR: dataRoot,
  PHONE_GRACE_SECONDS: String(GRACE_S),
  PHONE_IDLE_SECONDS: String(IDLE_S),
  PHONE_FPS: '15',
  VIDEO_WIDTH: '640',
  VIDEO_HEIGHT: '360',
  WARM_ENCODERS: '0',
  // Heartbeats often, so the list follows the edge closely.
  HEARTBEAT_MS: '500',
});
test.afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));
test.describe.configure({ mode: 'serial' });

const HANDSET = { viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } as const;
const telco = (): Telco => ({ baseUrl: stack.baseUrl, key: telcoKey });
const tokenOf = (appUrl: string) => decodeURIComponent(new URL(appUrl).hash.slice('#token='.length));

async function handsetWithPhone(browser: Browser, subscriberId: string): Promise<{ page: Page; token: string; id: string; close: () => Promise<void> }> {
  const sub = await provision(telco(), subscriberId, 1);
  const token = tokenOf(sub.appUrl);
  const created = await appCall(stack.baseUrl, token, 'POST', '/api/phone/instances', { name: 'Phone' });
  expect(created.status).toBe(201);
  const context = await browser.newContext(HANDSET);
  const page = await context.newPage();
  await page.goto(sub.appUrl);
  await expect.poll(async () => (await phoneHook(page)).view, { timeout: 10_000 }).toBe('list');
  return { page, token, id: created.json.instanceId as string, close: () => context.close() };
}

async function instanceState(token: string, id: string): Promise<{ phase?: string; lastStopReason?: string }> {
  const home = await appCall(stack.baseUrl, token, 'GET', '/api/phone/instances');
  return (
    ((home.json.instances as Array<{ instanceId: string; phase: string; lastStopReason?: string }> | undefined) ?? []).find((i) => i.instanceId === id) ?? {}
  );
}

test('a phone nobody comes back to stops when its grace period ends, and says why', async ({ browser }) => {
  const h = await handsetWithPhone(browser, 'grace-sub');
  await openInstance(h.page, h.id);
  await h.close(); // the connection drops; the grace period starts
  expect((await instanceState(h.token, h.id)).phase).toBe('running');
  const droppedAt = Date.now();
  await expect
    .poll(() => instanceState(h.token, h.id), { timeout: (GRACE_S + 15) * 1000, intervals: [500] })
    .toMatchObject({ phase: 'stopped', lastStopReason: 'grace-expired' });
  const stoppedAfterS = (Date.now() - droppedAt) / 1000;
  console.log(`grace ${GRACE_S} s: stopped ${stoppedAfterS.toFixed(1)} s after the drop`);
  expect(stoppedAfterS).toBeGreaterThanOrEqual(GRACE_S - 0.5);
});

test('a phone left open without input stops at its idle limit; the app goes back to its list and says so', async ({ browser }) => {
  const h = await handsetWithPhone(browser, 'idle-sub');
  await openInstance(h.page, h.id);
  const openedAt = Date.now();
  await expect.poll(async () => (await phoneHook(h.page)).view, { timeout: (IDLE_S + 15) * 1000, intervals: [500] }).toBe('list');
  console.log(`idle ${IDLE_S} s: the app was back at its list ${((Date.now() - openedAt) / 1000).toFixed(1)} s after the picture came`);
  expect((await playerHook(h.page)).state).not.toBe('playing');
  await expect.poll(() => instanceState(h.token, h.id), { timeout: 5_000 }).toMatchObject({ phase: 'stopped', lastStopReason: 'idle' });
  await h.close();
});

test('two fingers on the handset reach the phone as one two-finger touch', async ({ browser }) => {
  const h = await handsetWithPhone(browser, 'touch-sub');
  await openInstance(h.page, h.id);
  const inside = await inspectInstance(dataRoot, 'touch-sub', h.id);
  await inside.shell.evaluate(() => {
    const w = window as unknown as { __maxTouches: number };
    w.__maxTouches = 0;
    window.addEventListener('touchstart', (e) => (w.__maxTouches = Math.max(w.__maxTouches, e.touches.length)), { capture: true });
  });
  // Two fingers down on the picture, one after the other, then both up: raw touch events on the handset page.
  const { layout } = await phoneHook(h.page);
  const pic = must(layout, 'layout').picture;
  const cdp = await h.page.context().newCDPSession(h.page);
  const p1 = { x: pic.left + pic.width * 0.3, y: pic.top + pic.height * 0.5, id: 1 };
  const p2 = { x: pic.left + pic.width * 0.7, y: pic.top + pic.height * 0.5, id: 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [p1] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [p1, p2] });
  await expect.poll(() => inside.shell.evaluate(() => (window as unknown as { __maxTouches: number }).__maxTouches), { timeout: 5_000 }).toBe(2);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await inside.browser.close().catch(() => {});
  await h.close();
});

test('a phone whose Chromium crashes ends with a reason, keeps its data, and leaves no process behind', async ({ browser }) => {
  const h = await handsetWithPhone(browser, 'crash-sub');
  const before = new Set(descendants(must(stack.process.pid, 'stack.process.pid')).map((p) => p.pid));
  await openInstance(h.page, h.id);
  // What this phone started: Xvfb, PulseAudio and parec, x11grab, the encoders, Chromium.
  const started = descendants(must(stack.process.pid, 'stack.process.pid')).filter((p) => !before.has(p.pid));
  expect(started.map((p) => p.comm)).toEqual(expect.arrayContaining(['Xvfb', 'pulseaudio', 'ffmpeg']));
  const chromium = execFileSync('pgrep', ['-f', '--', `user-data-dir=.*${h.id}`], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);
  expect(chromium.length).toBeGreaterThan(0);
  for (const pid of chromium) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone with its parent
    }
  }
  await expect.poll(async () => (await phoneHook(h.page)).view, { timeout: 20_000 }).toBe('list');
  await expect.poll(() => instanceState(h.token, h.id), { timeout: 10_000 }).toMatchObject({ phase: 'stopped', lastStopReason: 'source-failed' });
  await expect.poll(() => leftovers(h.id), { timeout: 10_000, message: 'no Chromium of the phone is left' }).toEqual([]);
  const alive = new Set(descendants(must(stack.process.pid, 'stack.process.pid')).map((p) => p.pid));
  expect(
    started.filter((p) => alive.has(p.pid)),
    'nothing the phone started is still running',
  ).toEqual([]);
  expect(existsSync(path.join(dataRoot, 'phones', 'crash-sub', h.id, 'chromium')), 'the profile is kept').toBe(true);
  await h.close();
});

/** Processes that name the instance (its Chromium) or its display/sound dirs; empty once the session is gone. */
function leftovers(instanceId: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', instanceId], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => l && !l.includes('pgrep'));
  } catch {
    return [];
  }
}

/** Every process below `root` (pid, command name), from one `ps` listing. */
function descendants(root: number): Array<{ pid: number; comm: string }> {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map(([pid, ppid, comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm: comm ?? '' }));
  const out: Array<{ pid: number; comm: string }> = [];
  const walk = (parent: number) => {
    for (const r of rows) if (r.ppid === parent) (out.push({ pid: r.pid, comm: r.comm }), walk(r.pid));
  };
  walk(root);
  return out;
}

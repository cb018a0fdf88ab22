/**
 * The cloud phone's shell in a mobile-emulated Chromium, as the edge runs
 * it: touches arrive as CDP touch events (page.touchscreen, or
 * Input.dispatchTouchEvent for holds and swipes), text as CDP insertText.
 * No product stack: the shell's built files are served from a small server
 * on loopback, and each "instance" is a persistent profile directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { type BrowserContext, type Page, chromium, expect, test } from '@playwright/test';
import { type StampRows, readStampRows, stampCellSize } from '../protocol/latencyStamp.ts';
import type { PhoneShellState } from '../client/phone-shell/api.ts';
import { buildPhoneShell } from '../client/phone-shell/build.ts';
import { chromiumLaunchOptions } from './support/chromium.ts';
import { CpuMeter, descendantOf, listProcesses } from './support/cpu.ts';
import { must } from '../protocol/must.ts';

const WIDTH = 720;
const HEIGHT = 1280;

let server: http.Server;
let shellUrl = '';
const dirs: string[] = [];

test.beforeAll(async () => {
  const files = await buildPhoneShell({ sourcemap: 'none' });
  server = http.createServer((req, res) => {
    const rel = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/phone-shell\//, '') || 'index.html';
    const file = files.get(rel);
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.contentType }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  shellUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/phone-shell/`;
});

test.afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when the set-up hook failed
  await new Promise((resolve) => server?.close(resolve));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function profileDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'phone-profile-'));
  dirs.push(d);
  return d;
}

/** One phone instance: Chromium on its own profile directory, emulating a 720x1280 touch phone at 1x. */
async function launchPhone(dir: string, name = 'Test phone'): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await chromium.launchPersistentContext(dir, {
    ...chromiumLaunchOptions(),
    viewport: { width: WIDTH, height: HEIGHT },
    deviceScaleFactor: 1,
    hasTouch: true,
    isMobile: true,
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(`${shellUrl}?name=${encodeURIComponent(name)}`);
  await page.waitForFunction(() => window.phoneShell !== undefined, undefined, { timeout: 5000 });
  return { ctx, page };
}

const shellState = (page: Page): Promise<PhoneShellState> =>
  page.evaluate(() =>
    (
      window.phoneShell ??
      (() => {
        throw new Error('window.phoneShell is not set');
      })()
    ).state(),
  );
const nav = (page: Page, action: 'back' | 'home' | 'recents') =>
  page.evaluate(
    (a) =>
      (
        window.phoneShell ??
        (() => {
          throw new Error('window.phoneShell is not set');
        })()
      ).nav(a),
    action,
  );

/** Taps the centre of an element with a CDP touch (touchStart + touchEnd). */
async function tap(page: Page, selector: string): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`nothing to tap at ${selector}`);
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
}

/** Types on the shell's own keyboard: one tap per key (letters, shift for capitals, space). */
async function typeOnScreen(page: Page, text: string): Promise<void> {
  for (const ch of text) {
    if (ch === ' ') {
      await tap(page, '.keyboard [data-key="space"]');
      continue;
    }
    if (ch !== ch.toLowerCase()) await tap(page, '.keyboard [data-key="shift"]');
    await tap(page, `.keyboard [data-key="${ch.toLowerCase()}"]`);
  }
}

/** The notes as saved in the profile's IndexedDB ('' until the first save). */
function savedNotes(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const open = indexedDB.open('phone-shell');
        open.onsuccess = () => {
          const get = open.result.transaction('kv').objectStore('kv').get('phone-shell.notes.v1');
          get.onsuccess = () => resolve(String(get.result ?? ''));
          get.onerror = () => resolve('');
        };
        open.onerror = () => resolve('');
      }),
  );
}

/** The main process of the Chromium running on `dir` (its children carry --type=). */
function browserPid(dir: string): number {
  const main = listProcesses().find((p) => p.cmdline.includes(`--user-data-dir=${dir}`) && !p.cmdline.includes('--type='));
  if (!main) throw new Error(`no browser process for ${dir}`);
  return main.pid;
}

/** SIGKILL, as when an edge process dies: Chromium writes localStorage to disk only ~5 s after a change. */
async function killBrowser(ctx: BrowserContext, dir: string): Promise<void> {
  const closed = new Promise((resolve) => ctx.once('close', resolve));
  process.kill(browserPid(dir), 'SIGKILL');
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
  // Its renderer and utility processes notice the dead parent on their own; until they have gone,
  // a new Chromium on the same profile can find it still held. Wait (bounded), then kill stragglers.
  const ofProfile = () => listProcesses().filter((p) => p.cmdline.includes(`--user-data-dir=${dir}`));
  for (let i = 0; i < 50 && ofProfile().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const p of ofProfile()) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what page.screenshot returns) into RGBA. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs');
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (!channels) throw new Error('only RGB or RGBA PNGs');
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = must(raw[y * (stride + 1) + 1 + x], 'raw[y * (stride + 1) + 1 + x]');
      const a = x >= channels ? must(px[y * stride + x - channels], 'px[y * stride + x - channels]') : 0;
      const b = y > 0 ? must(px[(y - 1) * stride + x], 'px[(y - 1) * stride + x]') : 0;
      const c = x >= channels && y > 0 ? must(px[(y - 1) * stride + x - channels], 'px[(y - 1) * stride + x - channels]') : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0;
      px[y * stride + x] = (v + pred) & 255;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = must(px[i * channels + k], 'px[i * channels + k]');
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

/** Reads the stamp from the top rows of a fresh screenshot of the page. */
async function readStamp(page: Page): Promise<StampRows> {
  const c = stampCellSize(WIDTH);
  const png = await page.screenshot({ clip: { x: 0, y: 0, width: WIDTH, height: 2 * c }, animations: 'allow', caret: 'initial' });
  const { width, height, rgba } = decodePng(png);
  return readStampRows(rgba, width, height);
}

/** Screenshots until row 1 reads `want` (bounded); returns the last reading. */
async function waitForRow1(page: Page, want: number, timeoutMs = 3000): Promise<StampRows> {
  const until = Date.now() + timeoutMs;
  let rows: StampRows = {};
  while (Date.now() < until) {
    rows = await readStamp(page);
    if (rows.row1 === want) break;
    await page.waitForTimeout(30);
  }
  return rows;
}

test('a note typed on the on-screen keyboard and by insertText survives a killed browser, in its own profile only', async () => {
  const dirA = profileDir();
  let { ctx, page } = await launchPhone(dirA);
  await expect(page.getByTestId('instance-name')).toHaveText('Test phone');
  await tap(page, '[data-testid="app-notes"]');
  expect(await shellState(page)).toMatchObject({ app: 'notes', screen: 'list', notes: 0, keyboardOpen: false });

  await tap(page, '[data-testid="note-new"]');
  await tap(page, '[data-testid="note-title"]');
  await expect.poll(() => shellState(page)).toMatchObject({ screen: 'edit', keyboardOpen: true });
  await typeOnScreen(page, 'Hi there');
  await expect(page.getByTestId('note-title')).toHaveValue('Hi there');
  await tap(page, '.keyboard [data-key="enter"]'); // "Next": on to the body
  await expect(page.getByTestId('note-body')).toBeFocused();
  await page.keyboard.insertText('typed by CDP');
  await typeOnScreen(page, ' ok');
  await tap(page, '.keyboard [data-key="backspace"]');
  await expect(page.getByTestId('note-body')).toHaveValue('typed by CDP o');
  await nav(page, 'back'); // hides the keyboard first, as on Android
  expect(await shellState(page)).toMatchObject({ screen: 'edit', keyboardOpen: false, notes: 1 });
  // The store saves at most 300 ms after the last change, into IndexedDB (and localStorage).
  await expect.poll(() => savedNotes(page), { timeout: 3000 }).toContain('typed by CDP o');
  await killBrowser(ctx, dirA); // as a crashed or killed instance: no graceful shutdown

  ({ ctx, page } = await launchPhone(dirA));
  await tap(page, '[data-testid="app-notes"]');
  await expect(page.getByTestId('note-item')).toHaveCount(1);
  await expect(page.getByTestId('note-item')).toContainText('Hi there');
  await tap(page, '[data-testid="note-item"]');
  await expect(page.getByTestId('note-body')).toHaveValue('typed by CDP o');
  await ctx.close();

  // Another instance (profile) sees none of it; there, a long press on a note deletes it.
  ({ ctx, page } = await launchPhone(profileDir(), 'Other phone'));
  await tap(page, '[data-testid="app-notes"]');
  expect((await shellState(page)).notes).toBe(0);
  await tap(page, '[data-testid="note-new"]');
  await tap(page, '[data-testid="note-body"]');
  await page.keyboard.insertText('short-lived');
  await nav(page, 'back');
  await nav(page, 'back');
  await expect(page.getByTestId('note-item')).toHaveCount(1);
  const box = must(await page.getByTestId('note-item').boundingBox(), "(await page.getByTestId('note-item').bounding...");
  const cdp = await ctx.newCDPSession(page);
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await page.waitForTimeout(800);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect(page.getByTestId('dialog')).toBeVisible();
  expect((await shellState(page)).screen).toBe('list'); // the hold did not also open the note
  await tap(page, '[data-testid="dialog-ok"]');
  await expect(page.getByTestId('note-item')).toHaveCount(0);
  expect((await shellState(page)).notes).toBe(0);
  await ctx.close();
});

test('back, home and recents through window.phoneShell.nav, the keys and a swipe', async () => {
  const { ctx, page } = await launchPhone(profileDir());
  await tap(page, '[data-testid="app-settings"]');
  await tap(page, '[data-testid="settings-about"]');
  await expect(page.getByTestId('about-screen')).toHaveText(`${WIDTH} × ${HEIGHT} CSS px at 1× (${WIDTH} × ${HEIGHT} px)`);
  expect(await shellState(page)).toMatchObject({ app: 'settings', screen: 'about' });
  await nav(page, 'back');
  expect(await shellState(page)).toMatchObject({ app: 'settings', screen: 'main' });
  await tap(page, '[data-testid="theme-light"]');
  expect((await shellState(page)).theme).toBe('light');
  await nav(page, 'back');
  expect(await shellState(page)).toMatchObject({ app: 'home', screen: 'home' });

  await tap(page, '[data-testid="app-phone"]');
  for (const k of ['5', '5', '5']) await tap(page, `[data-testid="dial-${k}"]`);
  await tap(page, '[data-testid="dial-call"]');
  await expect(page.getByTestId('calling')).toContainText('Calls are not connected in this demo');
  await page.keyboard.press('Escape'); // a real key as back: hangs up
  expect(await shellState(page)).toMatchObject({ app: 'phone', screen: 'keypad' });
  await expect(page.getByTestId('dial-recents')).toContainText('555');

  await nav(page, 'home');
  await tap(page, '[data-testid="app-latency"]');
  await nav(page, 'recents');
  expect(await shellState(page)).toMatchObject({ app: 'recents' });
  await expect(page.locator('.recent-card')).toHaveCount(3);
  await expect(page.locator('.recent-card').first()).toHaveAttribute('data-app', 'latency');
  await nav(page, 'back');
  expect((await shellState(page)).app).toBe('latency');

  // Swipe the Phone card away with a real touch drag.
  await nav(page, 'recents');
  const card = must(await page.getByTestId('recent-phone').boundingBox(), "(await page.getByTestId('recent-phone').bound...");
  const y = card.y + card.height / 2;
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: card.x + card.width * 0.7, y }] });
  for (let i = 1; i <= 8; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: card.x + card.width * (0.7 - i * 0.07), y }] });
  }
  // Drag and let go, not a flick: after a flick Chromium swallows the next tap (the one that
  // would stop the fling), and the card tap below would be lost.
  await page.waitForTimeout(150);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect(page.getByTestId('recent-phone')).toHaveCount(0);
  await tap(page, '[data-testid="recent-settings"]');
  expect(await shellState(page)).toMatchObject({ app: 'settings', screen: 'main' });
  await page.keyboard.press('Home');
  expect((await shellState(page)).app).toBe('home');
  await ctx.close();
});

test('latency stamp: row 0 is the frame time; row 1 the ts of the last input the page received', async () => {
  const dir = profileDir();
  const { ctx, page } = await launchPhone(dir);
  const before = Date.now();
  const first = await readStamp(page);
  const after = Date.now();
  expect(first.row0, 'row 0 decodes').toBeDefined();
  expect(must(first.row0, 'first.row0')).toBeGreaterThan(before - 2000);
  expect(must(first.row0, 'first.row0')).toBeLessThanOrEqual(after);
  expect(first.row1).toBe(0);
  const later = await readStamp(page);
  expect(must(later.row0, 'later.row0')).toBeGreaterThan(must(first.row0, 'first.row0')); // painted on every frame

  await tap(page, '[data-testid="app-latency"]');
  const tapTs = Date.now() - 5; // a client clock reading, as a subscriber's handset would send
  await page.evaluate(
    (ts) =>
      (
        window.phoneShell ??
        (() => {
          throw new Error('window.phoneShell is not set');
        })()
      ).setInputTs(ts),
    tapTs,
  );
  await page.touchscreen.tap(WIDTH / 2, HEIGHT / 2);
  expect((await waitForRow1(page, tapTs)).row1).toBe(tapTs);
  await expect(page.getByTestId('latency-count')).toHaveText('1');

  // Announced but never injected: row 1 keeps showing the last input that really arrived.
  const orphanTs = tapTs + 1000;
  expect(
    await page.evaluate(
      (ts) =>
        (
          window.phoneShell ??
          (() => {
            throw new Error('window.phoneShell is not set');
          })()
        ).setInputTs(ts),
      orphanTs,
    ),
  ).toBe(true);
  await page.waitForTimeout(200);
  expect((await readStamp(page)).row1).toBe(tapTs);
  expect((await shellState(page)).appliedInputTs).toBe(tapTs);
  // A real key event applies it.
  await page.keyboard.press('Shift');
  expect((await waitForRow1(page, orphanTs)).row1).toBe(orphanTs);
  expect(
    await page.evaluate(() =>
      (
        window.phoneShell ??
        (() => {
          throw new Error('window.phoneShell is not set');
        })()
      ).setInputTs(-1),
    ),
  ).toBe(false);

  // Idle CPU at home, the stamp still repainting every frame (logged; bounded only loosely, the machine is shared).
  await nav(page, 'home');
  const root = browserPid(dir);
  const meter = new CpuMeter((p, all) => (descendantOf(p, root, all) ? (p.cmdline.includes('--type=renderer') ? 'renderer' : 'browser+gpu') : undefined));
  meter.begin();
  await page.waitForTimeout(3000);
  const cpu = meter.end();
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  console.log(`phone shell idle at ${WIDTH}x${HEIGHT} (headless): ${JSON.stringify(cpu)} % of a core, total ${total.toFixed(1)}`);
  expect(total).toBeLessThan(150);
  await ctx.close();
});

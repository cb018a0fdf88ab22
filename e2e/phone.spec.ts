/**
 * The cloud phone end to end, on a handset-sized touch page: a telco
 * provisions subscribers; the subscriber creates two phones in the app,
 * writes a note in A by touch and typing, drops the connection and comes
 * back to the same running phone, stops it, and finds the note again after
 * a cold start, while B never sees it and another subscriber cannot open A.
 * Bad input (API and data channel) gets clear errors and breaks nothing.
 *
 * What the phone shows is read from two sides: the handset page (its hooks
 * and the streamed picture) and the instance's own Chromium on the edge,
 * over its DevTools port (e2e/support/phone.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { useStack } from './support/stackFixture.ts';
import {
  appCall,
  createInstance,
  inspectInstance,
  openInstance,
  phoneHook,
  playerHook,
  provision,
  shellState,
  tapOnPhone,
  telcoCall,
  type Telco,
} from './support/phone.ts';
import { must } from '../protocol/must.ts';

const dataRoot = mkdtempSync(path.join(tmpdir(), 'edgeplay-phone-e2e-'));
const telcoKey = randomBytes(18).toString('base64url');
const stack = useStack({
  TELCO_KEYS: `e2e-telco:${telcoKey}`,
  EDGE_DATA_DIR: dataRoot,
  // Portrait at the product's default size; 15 fps spares the 2 cores that also run the handset's browser.
  PHONE_FPS: '15',
  VIDEO_WIDTH: '640',
  VIDEO_HEIGHT: '360',
  WARM_ENCODERS: '0',
});
test.afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));
test.describe.configure({ mode: 'serial' });

/** A small touch handset: what the telco's subscribers hold. */
const HANDSET = { viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } as const;
const telco = (): Telco => ({ baseUrl: stack.baseUrl, key: telcoKey });

async function handset(browser: Browser, appUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(HANDSET);
  const page = await context.newPage();
  await page.goto(appUrl);
  await expect.poll(async () => (await phoneHook(page)).view, { timeout: 10_000 }).toBe('list');
  return { context, page };
}

/** Processes whose command line names this instance's data directory (its Chromium). */
function processesOf(instanceId: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', '--', instanceId], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => l && !l.includes('pgrep'));
  } catch (err) {
    if ((err as { status?: number }).status === 1) return []; // pgrep: nothing matched
    throw err; // a usage error must not read as "no processes"
  }
}

test('a subscriber keeps a note in phone A across a dropped connection and a restart; B and another subscriber never see it', async ({ browser }) => {
  test.setTimeout(240_000);
  const alice = await provision(telco(), 'alice', 2);
  const bob = await provision(telco(), 'bob', 1);

  // The app on a handset: two phones, created through its form.
  let { context, page } = await handset(browser, alice.appUrl);
  expect(new URL(page.url()).hash, 'the token leaves the address bar').toBe('');
  const a = await createInstance(page, 'Work');
  const b = await createInstance(page, 'Home');
  await expect(page.getByTestId('instance-limit')).toContainText('2 of 2');

  // Phone A: open Notes by a tap on the streamed picture, write a note.
  const openedAt = Date.now();
  await openInstance(page, a);
  console.log(`phone A cold start: ${Date.now() - openedAt} ms from tapping Open to a playing picture`);
  const firstSession = (await playerHook(page)).sessionId;
  let inside = await inspectInstance(dataRoot, 'alice', a);
  await expect.poll(async () => (await shellState(inside.shell)).app, { timeout: 10_000 }).toBe('home');
  // The shell may still be settling right after the first picture: tap until Notes opens (bounded).
  await expect(async () => {
    await tapOnPhone(page, inside.shell, '[data-testid=app-notes]');
    await expect.poll(async () => (await shellState(inside.shell)).app, { timeout: 2_000 }).toBe('notes');
  }).toPass({ timeout: 15_000 });
  await tapOnPhone(page, inside.shell, '[data-testid=note-new]');
  await expect(inside.shell.getByTestId('note-title')).toBeFocused({ timeout: 5_000 });
  // Typing on the handset's own keyboard: the page sends it as text events.
  await page.getByTestId('phone-keyboard').tap();
  await page.keyboard.insertText('Buy milk');
  await expect(inside.shell.getByTestId('note-title')).toHaveValue('Buy milk', { timeout: 5_000 });
  // Back closes the shell's keyboard first, then leaves the editor for the list.
  await expect(async () => {
    await tapOnPhone(page, inside.shell, '[data-testid=nav-back]');
    await expect.poll(async () => (await shellState(inside.shell)).screen, { timeout: 1_500 }).toBe('list');
  }).toPass({ timeout: 10_000 });
  expect((await shellState(inside.shell)).notes).toBe(1);
  await expect(inside.shell.getByTestId('note-item')).toContainText('Buy milk');
  const screenBefore = await shellState(inside.shell);

  // Drop the connection: the handset's tab goes away. The phone keeps running for its grace period.
  await context.close();
  await inside.browser.close().catch(() => {});
  ({ context, page } = await handset(browser, alice.appUrl));
  const listed = (await phoneHook(page)).instances.find((i) => i.instanceId === a);
  expect(listed?.phase, 'A still runs while nobody watches').toBe('running');
  const resumedAt = Date.now();
  await openInstance(page, a);
  console.log(`phone A resume: ${Date.now() - resumedAt} ms from tapping Open to a playing picture`);
  expect((await playerHook(page)).sessionId, 'the same running phone, not a restart').toBe(firstSession);
  inside = await inspectInstance(dataRoot, 'alice', a);
  const screenAfter = await shellState(inside.shell);
  expect({ app: screenAfter.app, screen: screenAfter.screen, notes: screenAfter.notes }).toEqual({
    app: screenBefore.app,
    screen: screenBefore.screen,
    notes: screenBefore.notes,
  });

  // Stop A from the app: everything it ran is gone, its data stays.
  await page.getByTestId('phone-menu').tap();
  await page.getByTestId('menu-stop').tap();
  await expect.poll(async () => (await phoneHook(page)).view, { timeout: 15_000 }).toBe('list');
  await expect.poll(async () => (await phoneHook(page)).instances.find((i) => i.instanceId === a)?.phase, { timeout: 15_000 }).toBe('stopped');
  await inside.browser.close().catch(() => {});
  await expect.poll(() => processesOf(a), { timeout: 15_000, message: 'no process of instance A is left' }).toEqual([]);

  // Open A again: a cold start from its data, and the note is there.
  await page.reload();
  await expect.poll(async () => (await phoneHook(page)).view, { timeout: 10_000 }).toBe('list');
  await openInstance(page, a);
  expect((await playerHook(page)).sessionId).not.toBe(firstSession);
  inside = await inspectInstance(dataRoot, 'alice', a);
  await expect(async () => {
    await tapOnPhone(page, inside.shell, '[data-testid=app-notes]');
    await expect.poll(async () => (await shellState(inside.shell)).app, { timeout: 2_000 }).toBe('notes');
  }).toPass({ timeout: 15_000 });
  await expect(inside.shell.getByTestId('note-item')).toContainText('Buy milk');
  await inside.browser.close().catch(() => {});

  // Phone B, same subscriber: its own profile, no note.
  await page.getByTestId('phone-menu').tap();
  await page.getByTestId('menu-back-to-list').tap();
  await expect.poll(async () => (await phoneHook(page)).view, { timeout: 10_000 }).toBe('list');
  await openInstance(page, b);
  const insideB = await inspectInstance(dataRoot, 'alice', b);
  expect((await shellState(insideB.shell)).notes).toBe(0);
  expect(await insideB.shell.evaluate(() => JSON.stringify(localStorage))).not.toContain('Buy milk');
  await insideB.browser.close().catch(() => {});
  await context.close();

  // Bob's token opens Bob's phones only: Alice's A is unknown to him.
  const bobToken = new URL(bob.appUrl).hash.slice('#token='.length);
  const bobHome = await appCall(stack.baseUrl, decodeURIComponent(bobToken), 'GET', '/api/phone/instances');
  expect(bobHome.status).toBe(200);
  expect(bobHome.json.instances).toEqual([]);
  for (const [method, p] of [
    ['POST', `/api/phone/instances/${a}/open`],
    ['POST', `/api/phone/instances/${a}/stop`],
    ['DELETE', `/api/phone/instances/${a}`],
  ] as const) {
    const r = await appCall(stack.baseUrl, decodeURIComponent(bobToken), method, p, {});
    expect([r.status, r.json.code]).toEqual([404, 'unknown-instance']);
  }
});

test('bad input gets a clear error and breaks nothing: API calls and data-channel garbage', async ({ browser }) => {
  test.setTimeout(120_000);
  const carol = await provision(telco(), 'carol', 1);
  const token = decodeURIComponent(new URL(carol.appUrl).hash.slice('#token='.length));

  // API: no token, forged token, unknown instance, limit, bad names, malformed JSON; telco: wrong key, bad limits.
  expect((await appCall(stack.baseUrl, '', 'GET', '/api/phone/instances')).status).toBe(401);
  expect((await appCall(stack.baseUrl, token.slice(0, -3) + 'AAA', 'GET', '/api/phone/instances')).json.code).toBe('unauthorized');
  expect((await appCall(stack.baseUrl, token, 'POST', '/api/phone/instances/no-such-phone/open', {})).json).toMatchObject({ code: 'unknown-instance' });
  expect((await appCall(stack.baseUrl, token, 'POST', '/api/phone/instances', { name: '' })).json.code).toBe('bad-request');
  expect((await appCall(stack.baseUrl, token, 'POST', '/api/phone/instances', { name: 'x'.repeat(500) })).json.code).toBe('bad-request');
  expect((await appCall(stack.baseUrl, token, 'POST', '/api/phone/instances', { name: 'Only' })).status).toBe(201);
  const over = await appCall(stack.baseUrl, token, 'POST', '/api/phone/instances', { name: 'Second' });
  expect([over.status, over.json.code]).toEqual([409, 'instance-limit']);
  const raw = await fetch(`${stack.baseUrl}/api/phone/instances`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"name":',
  });
  expect([raw.status, ((await raw.json()) as { code: string }).code]).toEqual([400, 'bad-request']);
  expect((await telcoCall({ baseUrl: stack.baseUrl, key: 'wrong-key-0123456789' }, 'GET', '/api/telco/subscribers')).status).toBe(401);
  expect((await telcoCall(telco(), 'PATCH', '/api/telco/subscribers/carol', { maxInstances: 1000 })).json.code).toBe('bad-request');
  expect((await telcoCall(telco(), 'POST', '/api/telco/subscribers', { subscriberId: '../../etc', maxInstances: 1 })).json.code).toBe('bad-request');
  expect((await telcoCall(telco(), 'GET', '/api/telco/subscribers/nobody')).status).toBe(404);

  // Data channel: malformed and out-of-range touch, key and nav events are dropped; the phone keeps working.
  const context = await browser.newContext(HANDSET);
  const page = await context.newPage();
  await page.addInitScript(() => {
    const channels: RTCDataChannel[] = [];
    const pcs: RTCPeerConnection[] = [];
    Object.assign(window, { __channels: channels, __pcs: pcs });
    const Native = window.RTCPeerConnection;
    class Captured extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        pcs.push(this);
        this.addEventListener('datachannel', (e) => channels.push(e.channel));
      }
    }
    Object.defineProperty(window, 'RTCPeerConnection', { value: Captured, writable: true, configurable: true });
  });
  await page.goto(carol.appUrl);
  await expect.poll(async () => (await phoneHook(page)).view, { timeout: 10_000 }).toBe('list');
  const id = must((await phoneHook(page)).instances[0], '(await phoneHook(page)).instances[0]').instanceId;
  await openInstance(page, id);
  const inside = await inspectInstance(dataRoot, 'carol', id);
  const sent = await page.evaluate(() => {
    const ts = Date.now();
    const garbage = [
      'not json',
      '{"t":"touch","ts":' + ts + ',"phase":"start","id":1,"x":5,"y":0.5}',
      '{"t":"touch","ts":' + ts + ',"phase":"start","id":-1,"x":0.5,"y":0.5}',
      '{"t":"touch","ts":' + ts + ',"phase":"explode","id":1,"x":0.5,"y":0.5}',
      '{"t":"touch","ts":' + ts + ',"phase":"start","id":99999,"x":0.5,"y":0.5}',
      '{"t":"key","ts":' + ts + ',"down":true,"code":"../../etc/passwd"}',
      '{"t":"key","ts":' + ts + ',"down":"yes","code":"KeyA"}',
      '{"t":"nav","ts":' + ts + ',"action":"reboot"}',
      '{"t":"text","ts":' + ts + ',"text":""}',
      '{"t":"touch","ts":"yesterday","phase":"start","id":1,"x":0.5,"y":0.5}',
      JSON.stringify({ t: 'text', ts, text: 'x'.repeat(5000) }),
      '[]',
    ];
    let n = 0;
    for (const ch of (window as unknown as { __channels: RTCDataChannel[] }).__channels) {
      if (ch.readyState !== 'open') continue;
      for (const g of garbage) {
        ch.send(g);
        n++;
      }
    }
    return n;
  });
  expect(sent, 'garbage went over both input channels').toBeGreaterThanOrEqual(24);
  // Still alive and still driven by valid input: a tap opens Notes.
  await expect(async () => {
    await tapOnPhone(page, inside.shell, '[data-testid=app-notes]');
    await expect.poll(async () => (await shellState(inside.shell)).app, { timeout: 2_000 }).toBe('notes');
  }).toPass({ timeout: 15_000 });
  expect((await playerHook(page)).state).toBe('playing');
  const health = await fetch(`${stack.baseUrl}/edge/health`);
  expect(health.status).toBe(200);

  // The phone's sound reaches the handset too (its own PulseAudio sink → Opus).
  const audio = await page.evaluate(async () => {
    let packets = 0;
    for (const pc of (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? []) {
      (await pc.getStats()).forEach((e: { type: string; kind?: string; packetsReceived?: number }) => {
        if (e.type === 'inbound-rtp' && e.kind === 'audio') packets += e.packetsReceived ?? 0;
      });
    }
    return packets;
  });
  console.log(`phone audio packets received: ${audio}`);
  expect(audio, 'Opus packets from the phone arrive').toBeGreaterThan(20);
  await inside.browser.close().catch(() => {});
  await context.close();
});

/**
 * Test support for the cloud phone: the telco API as a telco's backend calls
 * it, the handset page's hooks, and a look inside an instance's own Chromium
 * on the edge (over its DevTools port, read from the instance's profile), so
 * a test can check what the phone itself shows and holds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import type { InstanceView, SubscriberTokenView } from '../../protocol/index.ts';
import { must } from '../../protocol/must.ts';

export type Telco = { baseUrl: string; key: string };

export async function telcoCall(t: Telco, method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${t.baseUrl}${p}`, {
    method,
    headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Provisions a subscriber and returns an app URL with a fresh token in its fragment. */
export async function provision(t: Telco, subscriberId: string, maxInstances: number): Promise<SubscriberTokenView> {
  const created = await telcoCall(t, 'POST', '/api/telco/subscribers', { subscriberId, maxInstances });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const token = await telcoCall(t, 'POST', `/api/telco/subscribers/${subscriberId}/tokens`, {});
  expect(token.status).toBe(201);
  return token.json as unknown as SubscriberTokenView;
}

/** The app API with a subscriber's token. */
export async function appCall(
  baseUrl: string,
  token: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export const phoneHook = (page: Page) =>
  page.evaluate(() => {
    if (!window.edgeplayPhone) throw new Error('this page has no window.edgeplayPhone');
    return window.edgeplayPhone;
  });
export const playerHook = (page: Page) =>
  page.evaluate(() => {
    const h = window.edgeplay;
    if (!h) throw new Error('this page has no window.edgeplay');
    return { state: h.state, sessionId: h.sessionId, framesPresented: h.framesPresented };
  });

/** Creates an instance through the app's own form. */
export async function createInstance(page: Page, name: string): Promise<string> {
  await page.getByTestId('new-phone-name').fill(name);
  await page.getByTestId('new-phone-submit').tap();
  const row = page.locator(`[data-testid=instance][data-name="${name}"]`);
  await expect(row).toBeVisible({ timeout: 10_000 });
  return must(await row.getAttribute('data-instance-id'), "await row.getAttribute('data-instance-id')");
}

/** Opens an instance from the list and waits until its picture plays. */
export async function openInstance(page: Page, instanceId: string, timeoutMs = 30_000): Promise<void> {
  await page.locator(`[data-testid=instance][data-instance-id="${instanceId}"]`).getByTestId('instance-open').tap();
  await expect.poll(async () => (await playerHook(page)).state, { timeout: timeoutMs }).toBe('playing');
  await expect.poll(async () => (await playerHook(page)).framesPresented, { timeout: 10_000 }).toBeGreaterThan(5);
}

/** The instance's own Chromium on the edge, found through the DevTools port file in its profile. */
export async function inspectInstance(dataRoot: string, subscriberId: string, instanceId: string): Promise<{ browser: Browser; shell: Page }> {
  const profile = path.join(dataRoot, 'phones', subscriberId, instanceId, 'chromium');
  const portFile = path.join(profile, 'DevToolsActivePort');
  // The file may be a stopped run's until the new Chromium writes its own: retry until a shell page answers.
  const deadline = Date.now() + 20_000;
  let last = 'no DevToolsActivePort yet';
  while (Date.now() < deadline) {
    const port = readPort(portFile);
    if (port > 0) {
      try {
        const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 3_000 });
        const shell = browser
          .contexts()
          .flatMap((c) => c.pages())
          .find((p) => p.url().includes('/phone-shell/'));
        if (shell) {
          // The shell's API appears once its stored data is read.
          await shell.waitForFunction(() => 'phoneShell' in window, undefined, { timeout: 10_000 });
          return { browser, shell };
        }
        last = `no phone shell page among ${browser
          .contexts()
          .flatMap((c) => c.pages())
          .map((p) => p.url())}`;
      } catch (err) {
        last = must((err as Error).message.split('\n')[0], "(err as Error).message.split('\\n')[0]");
      }
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`could not inspect instance ${instanceId}: ${last}`);
}

function readPort(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8').split('\n')[0]) || 0;
  } catch {
    return 0;
  }
}

export type ShellState = { app: string; screen: string; notes: number; theme: string; keyboardOpen: boolean; appliedInputTs: number };
export const shellState = (shell: Page) =>
  shell.evaluate(() => {
    if (!window.phoneShell) throw new Error('this page has no window.phoneShell');
    return window.phoneShell.state();
  });

/**
 * Taps, on the handset page, where an element of the phone's screen is shown:
 * the element's centre in the shell, mapped through the page's layout. The
 * tap travels the real path: handset touch → data channel → edge → CDP touch.
 */
export async function tapOnPhone(page: Page, shell: Page, selector: string): Promise<void> {
  const box = await shell.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible on the phone`);
  const { layout } = await phoneHook(page);
  if (!layout) throw new Error('the handset page has no layout yet');
  const scale = layout.picture.width / layout.frame.width;
  const x = layout.picture.left + (box.x + box.width / 2) * scale;
  const y = layout.picture.top + (box.y + box.height / 2 - layout.hiddenRows) * scale;
  await page.touchscreen.tap(x, y);
}

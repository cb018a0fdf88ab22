/**
 * A publisher creates demo links; players use them. Runs the product as
 * `npm start` does, with known API keys.
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { useStack } from './support/stackFixture.ts';
import { readHook, waitForFrames } from './support/player.ts';
import { must } from '../protocol/must.ts';

const PUBLISHER_KEY = 'e2e-publisher-key-0123456789';
const OPERATOR_KEY = 'e2e-operator-key-0123456789';
const auth = { authorization: `Bearer ${PUBLISHER_KEY}` };
const stack = useStack({
  VIDEO_WIDTH: '640',
  VIDEO_HEIGHT: '360',
  VIDEO_FPS: '30',
  MAX_SESSIONS: '6',
  HEARTBEAT_MS: '500',
  PUBLISHER_KEYS: `acme:${PUBLISHER_KEY}`,
  OPERATOR_KEY,
  // Every play here comes from 127.0.0.1, many of them through the API and never watched:
  // here that address stands for many players (the cap itself is tested in server/abuse.int.test.ts).
  PENDING_PLAYS_PER_ADDRESS: '100',
});

async function createLink(request: APIRequestContext, body: Record<string, unknown>) {
  const res = await request.post(`${stack.baseUrl}/api/publisher/links`, { headers: auth, data: { titleId: 'paddle-demo', ...body } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; url: string; plays: number };
}

async function edgeLoad(request: APIRequestContext): Promise<number> {
  const res = await request.get(`${stack.baseUrl}/api/operator/edges`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
  const { edges } = (await res.json()) as { edges: Array<{ sessionsInUse: number }> };
  return edges.reduce((n, e) => n + e.sessionsInUse, 0);
}

test('a short demo ends on time with the end screen, and its slot is freed', async ({ page, request }) => {
  const link = await createLink(request, { playSeconds: 10, endScreenUrl: 'https://example.com/buy' });
  await page.goto(link.url);
  await waitForFrames(page, 5, 10_000);
  const started = Date.now();
  await expect(page.getByTestId('countdown')).toBeVisible();
  await expect(page.getByTestId('end-screen')).toBeVisible({ timeout: 15_000 });
  const playedMs = Date.now() - started;
  expect(playedMs).toBeGreaterThan(8_000);
  expect(playedMs).toBeLessThan(13_000);
  await expect(page.getByTestId('end-cta')).toHaveAttribute('href', 'https://example.com/buy');
  expect((await readHook(page)).endReason).toBe('time-limit');
  await expect.poll(() => edgeLoad(request), { timeout: 5_000 }).toBe(0);
  const usage = await request.get(`${stack.baseUrl}/api/publisher/links/${link.id}/usage`, { headers: auth });
  const { records } = (await usage.json()) as { records: Array<{ endReason?: string; secondsStreamed: number; edgeId: string }> };
  expect(records).toHaveLength(1);
  expect(must(records[0], 'records[0]').endReason).toBe('time-limit');
  expect(must(records[0], 'records[0]').secondsStreamed).toBeGreaterThanOrEqual(9);
  expect(must(records[0], 'records[0]').secondsStreamed).toBeLessThanOrEqual(11);
});

test('a revoked link is refused with a clear page', async ({ page, request }) => {
  const link = await createLink(request, {});
  const del = await request.delete(`${stack.baseUrl}/api/publisher/links/${link.id}`, { headers: auth });
  expect(del.status()).toBe(200);
  const res = await page.goto(link.url);
  expect(res?.status()).toBe(410);
  await expect(page.locator('h1')).toHaveAttribute('data-error-code', 'link-revoked');
  const api = await request.post(`${stack.baseUrl}/api/play/${link.id}`, { data: {} });
  expect(api.status()).toBe(410);
  expect((await api.json()).code).toBe('link-revoked');
});

test('the 4th play of a 3-play link is refused', async ({ page, request }) => {
  const link = await createLink(request, { maxPlays: 3 });
  for (let i = 0; i < 3; i++) {
    const offer = await request.post(`${stack.baseUrl}/api/play/${link.id}`, { data: {} });
    expect(offer.status()).toBe(200);
    const { placementId } = await offer.json();
    const placed = await request.post(`${stack.baseUrl}/api/placements/${placementId}`, { data: { rtts: {} } });
    expect(placed.status(), await placed.text()).toBe(201);
  }
  const res = await page.goto(link.url);
  expect(res?.status()).toBe(410);
  await expect(page.locator('h1')).toHaveAttribute('data-error-code', 'link-used-up');
  const info = await request.get(`${stack.baseUrl}/api/publisher/links/${link.id}`, { headers: auth });
  expect((await info.json()).plays).toBe(3);
});

test('bad publisher and placement input gets clear errors and the service keeps playing', async ({ page, request }) => {
  await page.goto(stack.demoUrl);
  await waitForFrames(page, 5, 10_000);
  const bad = [
    request.post(`${stack.baseUrl}/api/publisher/links`, { headers: { authorization: 'Bearer wrong-key' }, data: { titleId: 'paddle-demo' } }),
    request.post(`${stack.baseUrl}/api/publisher/links`, { data: { titleId: 'paddle-demo' } }),
    request.post(`${stack.baseUrl}/api/publisher/links`, { headers: auth, data: { titleId: 'no-such-title' } }),
    request.post(`${stack.baseUrl}/api/publisher/links`, { headers: auth, data: { titleId: 'paddle-demo', playSeconds: -5, maxPlays: 'many' } }),
    request.post(`${stack.baseUrl}/api/publisher/links`, { headers: { ...auth, 'content-type': 'application/json' }, data: '{"titleId":' }),
    request.post(`${stack.baseUrl}/api/placements/not-a-placement`, { data: { rtts: { x: 'fast' } } }),
    request.post(`${stack.baseUrl}/api/sessions/3b241101-e2bb-4255-8caf-4136c566a962/resume`, { data: { resumeToken: 'forged' } }),
    request.get(`${stack.baseUrl}/api/operator/edges`, { headers: { authorization: `Bearer ${PUBLISHER_KEY}` } }),
  ];
  const statuses = await Promise.all(
    bad.map(async (p) => {
      const r = await p;
      const body = await r.json();
      expect(typeof body.code).toBe('string');
      expect(typeof body.message).toBe('string');
      return r.status();
    }),
  );
  expect(statuses).toEqual([401, 401, 404, 400, 400, 404, 401, 401]);
  // Garbage RTTs never block a placement.
  const offer = await (await request.post(`${stack.baseUrl}/api/play/demo`, { data: {} })).json();
  const placed = await request.post(`${stack.baseUrl}/api/placements/${offer.placementId}`, { data: { rtts: { 'local-edge': 'NaN', other: -1 } } });
  expect(placed.status()).toBe(201);
  const before = (await readHook(page)).framesPresented;
  await page.waitForTimeout(1_000);
  expect((await readHook(page)).framesPresented).toBeGreaterThan(before + 10);
});

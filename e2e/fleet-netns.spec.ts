/**
 * Real multi-host placement: a broker in the root namespace, three edges in
 * namespaces of their own behind links of 5, 40 and 120 ms, and a headless
 * Chromium player. The player lands on the 5 ms edge; when that edge dies,
 * it is playing again on the 40 ms edge within 5 s.
 * Needs root for the namespaces; elsewhere it says so and skips.
 */
import { test, expect } from '@playwright/test';
import { canCreateNamespaces, createTestHost, type TestHost } from './support/netns.ts';
import { startEntry, type Started } from './support/processes.ts';
import { readHook, waitForFrames } from './support/player.ts';
import { must } from '../protocol/must.ts';

const SECRET = 'e2e-fleet-secret-0123456789';
/** Round trips of 5, 40 and 120 ms: half of each, each way. */
const EDGES = [
  { id: 'edge-near', region: 'near', rttMs: 5 },
  { id: 'edge-mid', region: 'mid', rttMs: 40 },
  { id: 'edge-far', region: 'far', rttMs: 120 },
];
const EDGE_PORT = 8081;

const support = canCreateNamespaces();
test.skip(!support.ok, `multi-host test skipped: ${support.ok ? '' : support.why}`);

let broker: Started | undefined;
let brokerUrl = '';
const hosts: TestHost[] = [];
const edges = new Map<string, Started>();

test.beforeAll(async () => {
  test.setTimeout(120_000);
  broker = await startEntry({
    entry: 'server/main.ts',
    env: { PORT: '0', HOST: '0.0.0.0', LOCAL_EDGE: 'false', FLEET_SECRET: SECRET, HEARTBEAT_MS: '500', EDGE_LOST_AFTER_MS: '2000', LOG_LEVEL: 'info' },
    ready: /Play the demo: (http:\/\/[^/\s]+)/,
  });
  const port = new URL(must(broker.match[1], 'broker.match[1]')).port;
  brokerUrl = `http://127.0.0.1:${port}`;
  for (const [i, e] of EDGES.entries()) {
    const host = await createTestHost(i + 1, { delayMs: e.rttMs / 2 });
    hosts.push(host);
    const edge = await startEntry({
      entry: 'server/edgeMain.ts',
      prefix: host.exec,
      env: {
        PORT: String(EDGE_PORT),
        HOST: '0.0.0.0',
        EDGE_ID: e.id,
        EDGE_REGION: e.region,
        FLEET_SECRET: SECRET,
        BROKER_URL: `http://${host.rootIp}:${port}`,
        PUBLIC_URL: `http://${host.hostIp}:${EDGE_PORT}`,
        ICE_HOST_ADDRESSES: host.hostIp,
        VIDEO_WIDTH: '640',
        VIDEO_HEIGHT: '360',
        VIDEO_FPS: '30',
        WARM_ENCODERS: '2',
        HEARTBEAT_MS: '500',
        LOG_LEVEL: 'info',
      },
      ready: /listening on/,
      timeoutMs: 45_000,
    });
    edges.set(e.id, edge);
  }
  // Every edge registered (the broker lists them).
  await expect
    .poll(
      async () =>
        (await fetch(`${brokerUrl}/api/catalog`)).ok &&
        (
          must(broker, 'broker')
            .output()
            .match(/"edge registered"/g) ?? []
        ).length,
      { timeout: 20_000 },
    )
    .toBe(EDGES.length);
});

test.afterAll(async () => {
  await Promise.all([...edges.values()].map((e) => e.stop()));
  await broker?.stop();
  for (const h of hosts) h.remove();
});

test('the player lands on the nearest edge and resumes on the next one when it dies', async ({ page }, info) => {
  test.setTimeout(90_000);
  try {
    await page.goto(`${brokerUrl}/play/demo`);
    await waitForFrames(page, 10, 20_000);
    const first = await readHook(page);
    console.log(`placed on ${first.edgeId}: ${first.placement?.reason}; probes ${JSON.stringify(first.probeRttsMs)}`);
    expect(first.edgeId).toBe('edge-near');
    expect(first.placement?.basis).toBe('rtt');

    // Play a little first, so the broker has heard (heartbeats) of time used on this edge.
    await page.waitForTimeout(2_500);
    const killedAt = Date.now();
    await must(edges.get('edge-near'), "edges.get('edge-near')").stop('SIGKILL');
    const framesAtKill = (await readHook(page)).framesPresented;
    await page
      .waitForFunction(
        (n) => {
          const h = window.edgeplay;
          return h?.edgeId === 'edge-mid' && h.framesPresented > n + 5;
        },
        framesAtKill,
        { timeout: 10_000, polling: 50 },
      )
      .catch(async (err: Error) => {
        // Say where the page got to (another edge, an error, still reconnecting), not only that it timed out.
        throw new Error(`${err.message.split('\n')[0]}; the page: ${JSON.stringify(await readHook(page))}`);
      });
    const resumedMs = Date.now() - killedAt;
    console.log(`playing again on edge-mid ${resumedMs} ms after edge-near was killed`);
    expect(resumedMs).toBeLessThan(5_000);
    const resumed = await readHook(page);
    expect(resumed.state).toBe('playing');
    expect(resumed.resumes).toBe(1);
    // The demo restarted on the new edge with what was left of its 900 s, not a fresh 900.
    expect(resumed.playSecondsRemaining).toBeGreaterThan(800);
    expect(resumed.playSecondsRemaining).toBeLessThanOrEqual(898);
  } catch (err) {
    await info.attach('broker-output', { body: broker?.output().slice(-20_000) ?? '' });
    for (const [id, e] of edges) await info.attach(`${id}-output`, { body: e.output().slice(-10_000) });
    throw err;
  }
});

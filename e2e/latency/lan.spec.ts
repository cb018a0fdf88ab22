/**
 * QA's latency helper on the local demo over loopback, as `npm test` runs it:
 * a short measurement whose figures must be plausible and within the CI
 * budget (e2e/qa/budgets.ts), then the HTML report a person would open.
 */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { BUDGETS, checkBudget } from '../qa/budgets.ts';
import { startLocalDemo, type LocalDemo } from '../qa/localStack.ts';
import { LatencyProbe } from '../qa/probe.ts';
import { PROFILES } from '../qa/profiles.ts';
import { buildReport, machineInfo, writeReport } from '../qa/reportFile.ts';
import type { LatencyReport } from '../qa/result.ts';
import { must } from '../../protocol/must.ts';

const VIDEO = { width: 640, height: 360, fps: 30 };
let demo: LocalDemo;
let report: LatencyReport | undefined;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  demo = await startLocalDemo(PROFILES.lan, VIDEO);
});
test.afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when the set-up hook failed
  await demo?.stop();
});
test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) await info.attach('server-output', { body: demo.stack.output().slice(-20_000) });
});

test(
  'a QA engineer measures the local demo: first picture, stamp, latencies and fps are plausible and within budget',
  { tag: '@latency' },
  async ({ page, browser }) => {
    const probe = await LatencyProbe.attach(page);
    await probe.open(demo.demoUrl);
    const r = await probe.measure({ seconds: 6, settleMs: 1_000 });
    report = buildReport(
      {
        url: demo.demoUrl,
        profile: { requested: 'lan', applied: 'lan', description: PROFILES.lan.description, shaper: 'none' },
        machine: machineInfo(browser.version()),
        video: VIDEO,
      },
      r,
    );
    console.log(
      `first picture ${r.firstPictureMs} ms; g2g p50/p95 ${r.glassToGlassMs.p50}/${r.glassToGlassMs.p95} ms (n=${r.glassToGlassMs.n}); ` +
        `input-to-photon p50/p95 ${r.inputToPhotonMs.p50}/${r.inputToPhotonMs.p95} ms (n=${r.inputToPhotonMs.n}); fps ${r.fps.presented}/${r.fps.decoded}; ` +
        `stamp ${r.stamp.decodeRate}; freezes>250 ${r.freezes.over250ms.count}`,
    );
    expect(r.firstPictureMs).not.toBeNull();
    expect(r.stamp.framesRead).toBeGreaterThan(60);
    expect(must(r.stamp.decodeRate, 'r.stamp.decodeRate')).toBeGreaterThan(0.9);
    expect(must(r.glassToGlassMs.p50, 'r.glassToGlassMs.p50')).toBeGreaterThan(0);
    expect(r.inputToPhotonMs.n).toBeGreaterThan(5);
    expect(must(r.inputToPhotonMs.p50, 'r.inputToPhotonMs.p50')).toBeGreaterThan(0);
    // Figures the page's own player does not compute come from getStats and the session.
    expect(must(r.network.bitrateKbps, 'r.network.bitrateKbps')).toBeGreaterThan(0);
    expect(must(r.network.packetsReceived, 'r.network.packetsReceived')).toBeGreaterThan(0);
    expect(r.session.encoder).toBeTruthy();
    expect(r.session.edgeId).toBeTruthy();
    expect(r.session.width).toBe(VIDEO.width);
    expect(checkBudget(r, BUDGETS['lan-ci'], VIDEO.fps)).toEqual([]);
  },
);

test('the HTML report opens in Chromium and shows its charts', { tag: '@latency' }, async ({ page }, info) => {
  test.skip(!report, 'needs the measurement of the test before');
  const files = writeReport(must(report, 'report'), info.outputPath('report'));
  expect(JSON.parse(readFileSync(files.json, 'utf8')).result.glassToGlassMs.n).toBe(must(report, 'report').result.glassToGlassMs.n);
  // The report must work offline: nothing but the file itself may load.
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`file://${files.html}`);
  await expect(page.locator('body')).toHaveAttribute('data-charts', 'ready');
  await expect(page.locator('table.summary')).toContainText('glass-to-glass');
  await expect(page.locator('table.summary')).toContainText('input-to-photon');
  const shot = await page.screenshot({ fullPage: true });
  await info.attach('report.png', { body: shot, contentType: 'image/png' });
  expect(shot.length).toBeGreaterThan(20_000);
  // Each chart's canvas has drawn pixels of its series' colours, not just an empty frame.
  const painted = await page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((c) => {
      // Runs in the page: no test helpers here.
      const ctx = c.getContext('2d');
      if (!ctx) return { id: c.id, width: c.width, coloured: 0 };
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i + 3 < data.length; i += 4) {
        const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
        if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++; // saturated: a series, not grid or text
      }
      return { id: c.id, width: c.width, coloured };
    }),
  );
  expect(painted.map((p) => p.id)).toEqual(['latency-over-time', 'latency-histogram', 'fps-over-time', 'bitrate-over-time']);
  for (const p of painted) {
    expect(p.width, p.id).toBeGreaterThan(200);
    expect(p.coloured, p.id).toBeGreaterThan(200);
  }
  expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
});

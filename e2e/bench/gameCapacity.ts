/**
 * `npm run bench:capacity`: how many game sessions one edge keeps at full
 * frame rate, and the edge's CPU (Node plus ffmpeg) per session. Sessions
 * are added one at a time, each watched by its own page of one headless
 * browser; after each addition every page's decoded fps (what the edge
 * captured, encoded and delivered) is read for a few seconds. The sweep
 * stops at the first step where a session decodes under 95 % of the rate.
 * The viewers share the machine with the edge: their CPU is printed apart.
 *
 * CAPACITY_TITLE (default motion-bench-heavy), CAPACITY_FPS (30),
 * CAPACITY_KBPS (6000), CAPACITY_MAX (6) at 1280x720.
 */
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium.ts';
import { startStack } from '../support/stack.ts';
import { waitForFrames } from '../support/player.ts';
import { CpuMeter, descendantOf } from '../support/cpu.ts';
import { must } from '../../protocol/must.ts';

const title = process.env.CAPACITY_TITLE ?? 'motion-bench-heavy';
const fps = Number(process.env.CAPACITY_FPS ?? 30);
const kbps = process.env.CAPACITY_KBPS ?? '6000';
const max = Number(process.env.CAPACITY_MAX ?? 6);
const MEASURE_MS = 8_000;

const decodedFps = (page: Page) =>
  page.evaluate(() => (window as unknown as { edgeplay: { stats?: { decodedFps?: number } } }).edgeplay.stats?.decodedFps ?? 0);

async function main() {
  const stack = await startStack({
    VIDEO_WIDTH: '1280',
    VIDEO_HEIGHT: '720',
    VIDEO_FPS: String(fps),
    VIDEO_BITRATE_KBPS: kbps,
    DEMO_TITLE: title,
    MAX_SESSIONS: String(max),
    PENDING_PLAYS_PER_ADDRESS: '100',
    LOG_LEVEL: 'warn',
    ENCODER: 'libx264',
  });
  const browser = await chromium.launch(chromiumLaunchOptions());
  const serverPid = must(stack.process.pid, 'stack.process.pid');
  const meter = new CpuMeter((p, all) => {
    if (p.pid === serverPid) return 'edgeNode';
    if (descendantOf(p, serverPid, all)) return 'ffmpeg';
    if (p.pid !== process.pid && descendantOf(p, process.pid, all)) return 'viewers';
    return undefined;
  });
  const pages: Page[] = [];
  let sustained = 0;
  try {
    for (let n = 1; n <= max; n++) {
      const page = await (await browser.newContext({ viewport: { width: 640, height: 360 } })).newPage();
      await page.goto(stack.demoUrl);
      await waitForFrames(page, 10, 20_000);
      pages.push(page);
      await page.waitForTimeout(2_000);
      meter.begin();
      const samples: number[][] = pages.map(() => []);
      for (let t = 0; t < MEASURE_MS; t += 1000) {
        await page.waitForTimeout(1000);
        const now = await Promise.all(pages.map(decodedFps));
        now.forEach((f, i) => must(samples[i], 'samples[i]').push(f));
      }
      const cpu = meter.end();
      const perSession = samples.map((s) => Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 10) / 10);
      const edge = (cpu.edgeNode ?? 0) + (cpu.ffmpeg ?? 0);
      const ok = Math.min(...perSession) >= 0.95 * fps;
      console.log(
        JSON.stringify({
          title,
          fps,
          kbps: Number(kbps),
          sessions: n,
          decodedFps: perSession,
          cpuPercentOfOneCore: cpu,
          edgePerSession: Math.round((edge / n) * 10) / 10,
          fullRate: ok,
        }),
      );
      if (!ok) break;
      sustained = n;
    }
    console.log(`${title} at 1280x720@${fps}, ${kbps} kbit/s: ${sustained} session(s) at full frame rate on this machine (viewers included)`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

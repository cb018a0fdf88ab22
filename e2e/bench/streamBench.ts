/**
 * `npm run bench`: streams the built-in demo at 1280x720, 30 and 60 fps, to
 * headless Chromium for 20 s each, pressing keys as a player would, and
 * prints / writes: glass-to-glass and input-to-photon p50/p95/p99, time from
 * page open to first picture, presented fps, CPU of edge, ffmpeg and browser.
 * Figures, not assertions: run on an idle machine and note other load.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium.ts';
import { startStack } from '../support/stack.ts';
import { readHook, waitForFrames, percentile } from '../support/player.ts';
import { CpuMeter, descendantOf } from '../support/cpu.ts';
import { must } from '../../protocol/must.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RUNS = (process.env.BENCH_FPS ?? '30,60').split(',').map(Number);
/** BENCH_TITLE: the title streamed (paddle-demo by default; motion-bench fills its bit rate like a game). */
const TITLE = process.env.BENCH_TITLE ?? 'paddle-demo';

type Summary = { p50: number; p95: number; p99: number; n: number };
const summarize = (v: number[]): Summary => ({ p50: percentile(v, 50), p95: percentile(v, 95), p99: percentile(v, 99), n: v.length });

async function runOne(fps: number) {
  const stack = await startStack({
    VIDEO_WIDTH: '1280',
    VIDEO_HEIGHT: '720',
    VIDEO_FPS: String(fps),
    LOG_LEVEL: 'warn',
    ENCODER: process.env.ENCODER ?? 'libx264',
    DEMO_TITLE: TITLE,
  });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const opened = Date.now();
    await page.goto(stack.demoUrl);
    await waitForFrames(page, 1, 15_000);
    const firstPictureMs = Date.now() - opened;
    await page.waitForTimeout(1_000); // let the jitter buffer settle
    await page.evaluate(() => {
      const h = (window as unknown as { edgeplay: { g2gMs: number[]; inputToPhotonMs: number[] } }).edgeplay;
      h.g2gMs.length = 0;
      h.inputToPhotonMs.length = 0;
    });
    const serverPid = must(stack.process.pid, 'stack.process.pid');
    const meter = new CpuMeter((p, all) => {
      if (p.pid === serverPid) return 'edge';
      if (descendantOf(p, serverPid, all) && p.comm.startsWith('ffmpeg')) return 'ffmpeg';
      if (descendantOf(p, serverPid, all)) return 'edge-other';
      // Playwright starts Chromium as a child of this process: every other descendant is the browser.
      if (p.pid !== process.pid && descendantOf(p, process.pid, all)) return 'browser';
      return undefined;
    });
    const framesBefore = (await readHook(page)).framesPresented;
    meter.begin();
    const t0 = Date.now();
    const keys = ['ArrowLeft', 'ArrowRight'];
    for (let i = 0; Date.now() - t0 < SECONDS * 1000 && i < SECONDS * 10; i++) {
      await page.keyboard.down(must(keys[i % 2], 'keys[i % 2]'));
      await page.waitForTimeout(120);
      await page.keyboard.up(must(keys[i % 2], 'keys[i % 2]'));
      await page.waitForTimeout(130);
    }
    const elapsedS = (Date.now() - t0) / 1000;
    const cpu = meter.end();
    const hook = await readHook(page);
    return {
      title: TITLE,
      resolution: '1280x720',
      fps,
      seconds: Math.round(elapsedS),
      firstPictureMs,
      glassToGlassMs: summarize(hook.g2gMs),
      inputToPhotonMs: summarize(hook.inputToPhotonMs),
      presentedFps: Math.round(((hook.framesPresented - framesBefore) / elapsedS) * 10) / 10,
      stampDecodeRate: Math.round((hook.stampFramesValid / Math.max(1, hook.stampFramesRead)) * 1000) / 1000,
      cpuPercentOfOneCore: cpu,
    };
  } finally {
    await browser.close();
    await stack.stop();
  }
}

async function main() {
  const results = [];
  for (const fps of RUNS) {
    process.stdout.write(`bench: 1280x720 @ ${fps} fps for ${SECONDS} s…\n`);
    const r = await runOne(fps);
    results.push(r);
    console.log(
      `  first picture ${r.firstPictureMs} ms | g2g p50/p95/p99 ${r.glassToGlassMs.p50}/${r.glassToGlassMs.p95}/${r.glassToGlassMs.p99} ms (n=${r.glassToGlassMs.n})` +
        ` | input-to-photon p50/p95/p99 ${r.inputToPhotonMs.p50}/${r.inputToPhotonMs.p95}/${r.inputToPhotonMs.p99} ms (n=${r.inputToPhotonMs.n})` +
        ` | presented ${r.presentedFps} fps | stamp decoded ${(r.stampDecodeRate * 100).toFixed(1)}% | CPU % of a core ${JSON.stringify(r.cpuPercentOfOneCore)}`,
    );
  }
  const report = { date: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg() }, results };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/stream-bench.json', JSON.stringify(report, null, 2));
  console.log('written bench-results/stream-bench.json');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

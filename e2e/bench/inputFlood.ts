/**
 * `npm run bench:flood`: how much one flooding player hurts another session
 * on the same edge (issue 18). Two browsers play the demo on one local edge.
 * The victim's presented fps and glass-to-glass are read over a quiet window,
 * then over a window in which the other page keeps both of its input data
 * channels full of valid messages of every type (e2e/support/inputFlood.ts).
 * Prints one JSON line. Figures, not assertions: run on an idle machine.
 *
 * FLOOD_SECONDS (default 10) is each window's length; VIDEO_WIDTH/HEIGHT/FPS
 * (default 640x360 at 30) the stream both sessions get. The flooding browser
 * spins a core of its own; on a 2-core machine that alone slows the victim's
 * browser and the edge. FLOOD_NICE=19 (the default; 0 to keep it level) runs
 * it at low priority, as if it were on the attacker's own machine; its CPU is
 * printed either way.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium.ts';
import { startStack } from '../support/stack.ts';
import { readHook, waitForFrames, percentile } from '../support/player.ts';
import { execFileSync } from 'node:child_process';
import { CpuMeter, descendantOf, listProcesses } from '../support/cpu.ts';
import { captureDataChannels, floodInput } from '../support/inputFlood.ts';
import { must } from '../../protocol/must.ts';

const SECONDS = Number(process.env.FLOOD_SECONDS ?? 10);
const video = { VIDEO_WIDTH: process.env.VIDEO_WIDTH ?? '640', VIDEO_HEIGHT: process.env.VIDEO_HEIGHT ?? '360', VIDEO_FPS: process.env.VIDEO_FPS ?? '30' };

type Window = { fps: number; g2gP50: number; g2gP95: number; n: number; edgeCpu: Record<string, number> };

async function measure(page: Page, ms: number, meter: CpuMeter): Promise<Window> {
  await page.evaluate(() => {
    (window as unknown as { edgeplay: { g2gMs: number[] } }).edgeplay.g2gMs.length = 0;
  });
  const before = (await readHook(page)).framesPresented;
  const t0 = performance.now();
  meter.begin();
  await page.waitForTimeout(ms);
  const edgeCpu = meter.end();
  const hook = await readHook(page);
  const s = (performance.now() - t0) / 1000;
  return {
    fps: Math.round(((hook.framesPresented - before) / s) * 10) / 10,
    g2gP50: percentile(hook.g2gMs, 50),
    g2gP95: percentile(hook.g2gMs, 95),
    n: hook.g2gMs.length,
    edgeCpu,
  };
}

async function main() {
  const stack = await startStack({ ...video, LOG_LEVEL: process.env.FLOOD_DEBUG ? 'info' : 'warn', ENCODER: 'libx264' });
  const browsers: Browser[] = [];
  try {
    const browserPids: Record<string, number> = {};
    const open = async (flooder: boolean) => {
      const before = new Set(listProcesses().map((p) => p.pid));
      const b = await chromium.launch(chromiumLaunchOptions());
      browsers.push(b);
      const main = listProcesses().find((p) => !before.has(p.pid) && p.ppid === process.pid);
      if (main) browserPids[flooder ? 'flooderBrowser' : 'victimBrowser'] = main.pid;
      const page = await b.newPage({ viewport: { width: 800, height: 450 } });
      if (flooder) await captureDataChannels(page);
      await page.goto(stack.demoUrl);
      await waitForFrames(page, 30, 20_000);
      return page;
    };
    const victim = await open(false);
    const flooder = await open(true);
    const nice = process.env.FLOOD_NICE ?? '19';
    if (nice !== '0' && browserPids.flooderBrowser) {
      const all = listProcesses();
      const pids = all
        .filter((p) => descendantOf(p, must(browserPids.flooderBrowser, 'browserPids.flooderBrowser'), new Map(all.map((q) => [q.pid, q]))))
        .map((p) => String(p.pid));
      execFileSync('renice', ['-n', nice, '-p', ...pids], { stdio: 'ignore' });
    }
    await victim.waitForTimeout(2000); // both jitter buffers settle
    const serverPid = must(stack.process.pid, 'stack.process.pid');
    const meter = new CpuMeter((p, all) => {
      if (p.pid === serverPid) return 'node';
      if (descendantOf(p, serverPid, all)) return 'ffmpeg';
      for (const [name, pid] of Object.entries(browserPids)) if (descendantOf(p, pid, all)) return name;
      return undefined;
    });
    const quiet = await measure(victim, SECONDS * 1000, meter);
    const flooding = floodInput(flooder, SECONDS, Number(process.env.FLOOD_HIGH_WATER_BYTES ?? 256 * 1024));
    const flooded = await measure(victim, SECONDS * 1000, meter);
    const flood = await flooding;
    const attacker = await readHook(flooder);
    const result = {
      bench: 'input-flood',
      video,
      seconds: SECONDS,
      flooderNice: Number(nice),
      quiet,
      flooded,
      victimFpsKept: Math.round((flooded.fps / quiet.fps) * 1000) / 1000,
      victimG2gP95Ratio: Math.round((flooded.g2gP95 / quiet.g2gP95) * 1000) / 1000,
      flood,
      attacker: { state: attacker.state, endReason: attacker.endReason, notices: attacker.notices ?? [] },
    };
    console.log(JSON.stringify(result));
    if (process.env.FLOOD_DEBUG) console.error(stack.output().slice(-6000));
  } finally {
    for (const b of browsers) await b.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * Steps 2 and 3 on one running instance watched by one handset:
 *   - idle on the home screen: glass-to-glass, fps, and what every process
 *     costs (CPU, memory) while nobody touches the phone;
 *   - tapping in the phone's Latency app (its pad changes colour as a
 *     finger lands): taps spaced at random 300-500 ms on the handset's
 *     picture, travelling the real path (handset touch → data channel →
 *     edge → CDP touch in the instance's Chromium); glass-to-glass,
 *     tap-to-photon, and the costs again.
 * The Latency app is opened by a tap on its icon, found in the instance's
 * own Chromium over its DevTools port (as phone.spec.ts does).
 */
import type { Page } from '@playwright/test';
import { inspectInstance, phoneHook, shellState, tapOnPhone } from '../../support/phone.ts';
import type { Bench } from './bench.ts';
import { load } from './bench.ts';
import { brief, streamWindow, tapToPhoton, type TapFigures } from './figures.ts';
import { avSync, type AvSync, type Handset } from './handset.ts';
import { ResourceWindow, type ResourceFigures } from './procs.ts';
import { pgrep, sleep, waitUntil } from './tracker.ts';
import { must } from '../../../protocol/must.ts';

/** After the window, how long the photons of its last taps may take to arrive. */
const TAP_GRACE_MS = 1_500;

export type SteadyWindow = { loadavgBefore: number[]; stream: ReturnType<typeof brief>; avSync: AvSync; resources: ResourceFigures };
export type SteadyResult = {
  idle: SteadyWindow;
  tapping: SteadyWindow & {
    tapToPhotonMs: TapFigures;
    tapsCountedByPhone?: number;
    pageOwnMeter: { g2gP50: number | null; inputToPhotonP50: number | null; inputToPhotonN: number };
  };
  /** Cross-check of the process attribution: Chromium processes under the edge vs `pgrep -f <instanceId>` (its profile path). */
  chromiumProcesses: { inEdgeTree: number; byPgrep: number };
};

/** Drains the handset about once a second for `seconds`, calling `each` between drains. */
async function window_(h: Handset, seconds: number, each?: () => Promise<void>): Promise<{ start: number; end: number }> {
  await h.drain();
  h.reset();
  const start = Date.now();
  const end = start + seconds * 1000;
  let lastDrain = start;
  while (Date.now() < end) {
    if (each) await each();
    else await sleep(Math.min(1000, end - Date.now()));
    if (Date.now() - lastDrain >= 1000) {
      await h.drain();
      lastDrain = Date.now();
    }
  }
  return { start, end: Math.min(Date.now(), end) };
}

/** Where an element of the phone's screen is on the handset page (the page's own mapping, as tapOnPhone does). */
async function handsetPoint(
  page: Page,
  box: { x: number; y: number; width: number; height: number },
): Promise<{ x: number; y: number; halfW: number; halfH: number }> {
  const { layout } = await phoneHook(page);
  if (!layout) throw new Error('the handset page has no layout yet');
  const scale = layout.picture.width / layout.frame.width;
  return {
    x: layout.picture.left + (box.x + box.width / 2) * scale,
    y: layout.picture.top + (box.y + box.height / 2 - layout.hiddenRows) * scale,
    halfW: (box.width / 2) * scale,
    halfH: (box.height / 2) * scale,
  };
}

export const avLine = (a: AvSync): string =>
  `video jitter buffer held ${a.videoHeldMs ?? '-'} ms (target ${a.videoTargetMs ?? '-'}, jitter alone ${a.videoMinimumMs ?? '-'}), audio target ${a.audioTargetMs ?? '-'} ms`;

/** A small deterministic generator, so two runs tap the same pattern. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function measureSteady(b: Bench, instanceId: string, h: Handset): Promise<SteadyResult> {
  const page = h.page;
  // Idle on home.
  await page.getByTestId('nav-home').tap();
  await sleep(1_500);
  const idleLoad = load();
  const idleMeter = new ResourceWindow(b.classify).begin();
  const idleAv = await h.avCounters();
  const idleWin = await window_(h, b.opts.idleSeconds);
  const idleRes = idleMeter.end();
  const idle: SteadyWindow = {
    loadavgBefore: idleLoad,
    stream: brief(streamWindow(h.frames, h.rtc, idleWin.start, idleWin.end)),
    avSync: avSync(idleAv, await h.avCounters()),
    resources: idleRes,
  };
  b.log(
    `  idle on home ${b.opts.idleSeconds} s: g2g p50/p95 ${idle.stream.glassToGlassMs.p50}/${idle.stream.glassToGlassMs.p95} ms, ${idle.stream.fps.presented} fps presented; ${avLine(idle.avSync)} (load ${idleLoad[0]})`,
  );

  // Open the Latency app by a tap on its icon; find its pad.
  const inside = await inspectInstance(b.dataRoot, b.subscriberId, instanceId);
  let pad: Awaited<ReturnType<typeof handsetPoint>>;
  let countBefore = 0;
  try {
    const opened = await waitUntil(
      async () => {
        await tapOnPhone(page, inside.shell, '[data-testid=app-latency]');
        return waitUntil(async () => (await shellState(inside.shell)).app === 'latency', 2_000, 100);
      },
      15_000,
      0,
    );
    if (!opened) throw new Error('the Latency app did not open');
    const box = await inside.shell.getByTestId('latency-pad').boundingBox();
    if (!box) throw new Error('the Latency pad is not visible');
    pad = await handsetPoint(page, box);
    countBefore = Number(await inside.shell.getByTestId('latency-count').textContent());
  } finally {
    // Disconnect (the instance's Chromium stays): the windows measure the phone without a second DevTools client.
    await inside.browser.close().catch(() => {});
  }
  await sleep(1_000);

  // Tapping.
  const rnd = random(20261123);
  const [gapMin, gapMax] = b.opts.tapGapMs;
  const tapLoad = load();
  const tapMeter = new ResourceWindow(b.classify).begin();
  const tapAv = await h.avCounters();
  const tapWin = await window_(h, b.opts.tapSeconds, async () => {
    const began = Date.now();
    const x = pad.x + (rnd() - 0.5) * pad.halfW;
    const y = pad.y + (rnd() - 0.5) * pad.halfH;
    await page.touchscreen.tap(x, y);
    const gap = gapMin + rnd() * (gapMax - gapMin);
    await sleep(Math.max(0, gap - (Date.now() - began)));
  });
  const tapRes = tapMeter.end();
  const chromiumProcesses = { inEdgeTree: tapRes.processes.chromium ?? 0, byPgrep: pgrep(instanceId).length };
  const tapSync = avSync(tapAv, await h.avCounters());
  // Photons of the last taps.
  await sleep(TAP_GRACE_MS);
  await h.drain();
  const touches = h.touches.filter((t) => t.t >= tapWin.start && t.t <= tapWin.end);
  const taps = tapToPhoton(h.frames, touches);
  const own = await h.ownMeter();
  const ownG2g = [...own.g2gMs].sort((a, c) => a - c);
  const ownI2p = [...own.inputToPhotonMs].sort((a, c) => a - c);
  const median = (v: number[]) => (v.length ? Math.round(must(v[Math.ceil(v.length / 2) - 1], 'v[Math.ceil(v.length / 2) - 1]')) : null);
  const tapping: SteadyResult['tapping'] = {
    loadavgBefore: tapLoad,
    stream: brief(streamWindow(h.frames, h.rtc, tapWin.start, tapWin.end)),
    avSync: tapSync,
    resources: tapRes,
    tapToPhotonMs: taps,
    pageOwnMeter: { g2gP50: median(ownG2g), inputToPhotonP50: median(ownI2p), inputToPhotonN: ownI2p.length },
  };
  // How many taps the phone itself counted (its pad's counter).
  try {
    const again = await inspectInstance(b.dataRoot, b.subscriberId, instanceId);
    try {
      tapping.tapsCountedByPhone = Number(await again.shell.getByTestId('latency-count').textContent()) - countBefore;
    } finally {
      await again.browser.close().catch(() => {});
    }
  } catch {
    /* the count is a check, not a figure */
  }
  b.log(
    `  tapping ${b.opts.tapSeconds} s: ${taps.taps} taps, ${taps.seen} seen in row 1 (phone counted ${tapping.tapsCountedByPhone ?? '?'}); tap-to-photon p50/p95 ${taps.p50}/${taps.p95} ms; g2g p50/p95 ${tapping.stream.glassToGlassMs.p50}/${tapping.stream.glassToGlassMs.p95} ms; ${avLine(tapSync)} (load ${tapLoad[0]})`,
  );
  return { idle, tapping, chromiumProcesses };
}

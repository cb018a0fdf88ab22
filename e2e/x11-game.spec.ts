/**
 * A real Debian game (xjump) as a catalog title: a publisher link starts it
 * on the edge under Xvfb; its picture reaches the page, keys drive it, and
 * when the page leaves nothing of the session is left running.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { useStack } from './support/stackFixture.ts';
import { readHook, waitForFrames, percentile } from './support/player.ts';
import { must } from '../protocol/must.ts';

const PUBLISHER_KEY = 'e2e-publisher-key-x11-0123456789';
const stack = useStack({ VIDEO_WIDTH: '640', VIDEO_HEIGHT: '480', VIDEO_FPS: '30', PUBLISHER_KEYS: `acme:${PUBLISHER_KEY}` });

/** Command lines of running processes matching a pattern (pgrep -af), empty when none. */
function pgrep(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', pattern], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => !l.includes('pgrep'));
  } catch {
    return [];
  }
}

/** CPU ticks (1/100 s) of a process, from /proc. */
function ticks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

test('xjump starts on the edge, its picture reaches the page, keys change it, and nothing is left after', async ({ page, request }) => {
  const res = await request.post(`${stack.baseUrl}/api/publisher/links`, {
    headers: { authorization: `Bearer ${PUBLISHER_KEY}` },
    data: { titleId: 'xjump' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const link = (await res.json()) as { url: string };
  const xvfbBefore = new Set(pgrep('^Xvfb :'));

  const opened = Date.now();
  await page.goto(link.url);
  await waitForFrames(page, 1, 20_000);
  const firstPictureMs = Date.now() - opened;
  await waitForFrames(page, 30, 15_000);

  const ours = pgrep('^Xvfb :').filter((l) => !xvfbBefore.has(l));
  expect(ours).toHaveLength(1);
  const display = must(
    must(/Xvfb (:\d+)/.exec(must(ours[0], 'ours[0]')), '/Xvfb (:\\d+)/.exec(ours[0])')[1],
    "/Xvfb (:\\d+)/.exec(must(ours[0]), '/Xvfb (:\\\\...",
  );
  const sessionProcs = () => pgrep(`^(Xvfb ${display} |\S*ffmpeg .*-i ${display} |/usr/games/xjump)`);
  expect(sessionProcs().length).toBeGreaterThanOrEqual(3);

  // Below the latency stamp (the top 2 cells, 20 px of 480): the game's own picture.
  const video = page.locator('video');
  const box = must(await video.boundingBox(), 'await video.boundingBox()');
  const field = { x: box.x, y: box.y + box.height * 0.1, width: box.width, height: box.height * 0.9 };
  const before = await page.screenshot({ clip: field });
  // Space leaves the title screen and starts the game; the left arrow then walks the hero.
  await page.keyboard.press('Space');
  await page.waitForTimeout(800);
  await page.keyboard.down('ArrowLeft');
  await page.waitForTimeout(800);
  await page.keyboard.up('ArrowLeft');
  await page.waitForTimeout(500);
  const after = await page.screenshot({ clip: field });
  expect(after.equals(before)).toBe(false);

  // CPU of the session's processes over 3 s of play.
  const pids = sessionProcs().map((l) => Number(l.split(' ')[0]));
  const t0 = pids.map(ticks);
  await page.waitForTimeout(3_000);
  // ticks are 1/100 s, so ticks over 3 s / 3 = percent of one core.
  const cpu = pids.map((p, i) => `${readFileSync(`/proc/${p}/comm`, 'utf8').trim()} ${Math.round((ticks(p) - must(t0[i], 't0[i]')) / 3)}%`);

  const hook = await readHook(page);
  const g2g = hook.g2gMs;
  const i2p = hook.inputToPhotonMs;
  console.log(
    `xjump on ${display}: first picture ${firstPictureMs} ms after page open; ` +
      `capture-to-glass p50 ${percentile(g2g, 50)} ms p95 ${percentile(g2g, 95)} ms (${g2g.length} frames); ` +
      `input-to-photon p50 ${i2p.length ? percentile(i2p, 50) : 'n/a'} ms; CPU over 3 s: ${cpu.join(', ')}`,
  );
  expect(hook.stampFramesValid).toBeGreaterThan(0);

  // Closing the page sends 'bye': the session ends and takes all its processes with it.
  await page.close();
  await expect.poll(() => sessionProcs(), { timeout: 10_000 }).toEqual([]);
});

/**
 * One player flooding its input channels must not freeze another player on
 * the same edge (issue 18). A generous check; `npm run bench:flood` measures.
 */
import { test, expect, chromium } from '@playwright/test';
import { useStack } from './support/stackFixture.ts';
import { chromiumLaunchOptions } from './support/chromium.ts';
import { readHook, waitForFrames } from './support/player.ts';
import { captureDataChannels, floodInput } from './support/inputFlood.ts';

const stack = useStack({ VIDEO_WIDTH: '480', VIDEO_HEIGHT: '270', VIDEO_FPS: '30', ENCODER: 'libx264' });

test('a page flooding both input channels is told once and cut to its budget; another player keeps its picture', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(stack.demoUrl);
  await waitForFrames(page, 30, 15_000);

  // The flooder in a browser of its own, as a second player elsewhere would be.
  const other = await chromium.launch(chromiumLaunchOptions());
  try {
    const flooder = await other.newPage();
    await captureDataChannels(flooder);
    await flooder.goto(stack.demoUrl);
    await waitForFrames(flooder, 10, 15_000);

    const before = (await readHook(page)).framesPresented;
    const t0 = Date.now();
    const flood = await floodInput(flooder, 6);
    const seconds = (Date.now() - t0) / 1000;
    const presented = (await readHook(page)).framesPresented - before;
    const fps = presented / seconds;
    console.log(`while another page sent ${JSON.stringify(flood.sent)} input messages in ${seconds.toFixed(1)} s, this player presented ${fps.toFixed(1)} fps`);

    expect(
      Object.values(flood.sent).reduce((a, b) => a + b, 0),
      'the flood really went out',
    ).toBeGreaterThan(1000);
    // Generous: a quiet 2-core machine shows about 30 here; before the fixes of issue 18 it showed 4 to 6.
    expect(fps).toBeGreaterThan(15);
    expect((await readHook(page)).state).toBe('playing');
    const attacker = await readHook(flooder);
    expect(attacker.notices ?? []).toContain('input-limited');
  } finally {
    await other.close();
  }
});

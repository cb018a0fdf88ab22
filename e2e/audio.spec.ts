/**
 * Every session has audio: the demo game's sound effects reach the page as
 * an Opus track, and the browser decodes non-silent sound from it
 * (getStats inbound-rtp audio). The page's RTCPeerConnection is captured by
 * wrapping the constructor before the page's scripts run, as the QA sampler
 * does (e2e/qa/page/sampler.ts).
 */
import { test, expect, type Page } from '@playwright/test';
import { useStack } from './support/stackFixture.ts';
import { waitForFrames } from './support/player.ts';
import { must } from '../protocol/must.ts';

const stack = useStack({ VIDEO_WIDTH: '640', VIDEO_HEIGHT: '360', VIDEO_FPS: '30', ENCODER: 'auto' });

type AudioStats = { packetsReceived: number; totalAudioEnergy: number; audioLevel: number; codec: string; muted: boolean };

async function audioStats(page: Page): Promise<AudioStats | undefined> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.at(-1);
    if (!pc) return undefined;
    const report = await pc.getStats();
    let inbound: Record<string, unknown> | undefined;
    report.forEach((e: Record<string, unknown>) => {
      if (e.type === 'inbound-rtp' && e.kind === 'audio') inbound = e;
    });
    if (!inbound) return undefined;
    const codec = report.get(String(inbound.codecId)) as { mimeType?: string } | undefined;
    // Runs in the page: no test helpers here. `found` is the narrowed report.
    const found: Record<string, unknown> = inbound;
    const n = (k: string) => (typeof found[k] === 'number' ? (found[k] as number) : 0);
    return {
      packetsReceived: n('packetsReceived'),
      totalAudioEnergy: n('totalAudioEnergy'),
      audioLevel: n('audioLevel'),
      codec: codec?.mimeType ?? '',
      muted: document.querySelector('video')?.muted ?? true,
    };
  });
}

test('a key press makes a sound: Opus packets arrive and the decoded audio is not silent', async ({ page }) => {
  await page.addInitScript(() => {
    const pcs: RTCPeerConnection[] = [];
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = pcs;
    const Native = window.RTCPeerConnection;
    class Captured extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        pcs.push(this);
      }
    }
    Object.defineProperty(window, 'RTCPeerConnection', { value: Captured, writable: true, configurable: true });
  });
  await page.goto(`${stack.demoUrl}${stack.demoUrl.includes('?') ? '&' : '?'}lock=0`);
  await waitForFrames(page, 10, 15_000);
  const before = await audioStats(page);
  expect(before, 'the page receives an audio stream').toBeTruthy();
  expect(must(before, 'before').codec.toLowerCase()).toBe('audio/opus');

  // A click unmutes the page's video element (a user gesture); each key press then plays an effect.
  await page.locator('video').click();
  const energies: number[] = [];
  let levelSeen = 0;
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press(i % 2 ? 'KeyA' : 'Space');
    await page.waitForTimeout(150);
    const s = must(await audioStats(page), 'await audioStats(page)');
    energies.push(s.totalAudioEnergy);
    levelSeen = Math.max(levelSeen, s.audioLevel);
  }
  await page.waitForTimeout(500);
  const after = must(await audioStats(page), 'await audioStats(page)');
  console.log(
    `audio: ${after.packetsReceived - must(before, 'before').packetsReceived} packets over the presses, energy ${must(before, 'before').totalAudioEnergy} -> ${after.totalAudioEnergy}, peak audioLevel ${levelSeen}, muted ${after.muted}`,
  );
  expect(after.packetsReceived).toBeGreaterThan(must(before, 'before').packetsReceived + 40);
  expect(after.totalAudioEnergy).toBeGreaterThan(must(before, 'before').totalAudioEnergy);
  expect(Math.max(levelSeen, after.audioLevel)).toBeGreaterThan(0);
});

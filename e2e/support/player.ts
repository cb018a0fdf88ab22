/**
 * Reading the player page's QA hook (`window.edgeplay`, see client/hook.ts)
 * from Playwright, and the percentile helper the reports use.
 */
import type { Page } from '@playwright/test';
import type { EdgeplayHook } from '../../client/hook.ts';
import { must } from '../../protocol/must.ts';

/** The page's QA hook, as the player page defines it (the one shape for both sides). */
export type PlayerHook = Omit<EdgeplayHook, 'stats'>;

export async function readHook(page: Page): Promise<PlayerHook> {
  return page.evaluate(() => {
    const h = window.edgeplay;
    return JSON.parse(JSON.stringify(h)) as PlayerHook;
  });
}

/** Waits until the page has presented at least `frames` frames; returns the hook. */
export async function waitForFrames(page: Page, frames: number, timeoutMs: number): Promise<PlayerHook> {
  await page.waitForFunction((n) => (window.edgeplay?.framesPresented ?? 0) >= n, frames, { timeout: timeoutMs, polling: 50 });
  return readHook(page);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return must(sorted[rank], 'sorted[rank]');
}

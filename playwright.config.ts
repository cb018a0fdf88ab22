import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/support/chromium.ts';

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser).
 * One worker: every test runs real encoders and a real browser on a 2-core
 * machine, and latency figures are only honest without neighbours.
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: './e2e/results',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  // Bounded actions and navigations, so a stuck step fails with its own name instead of the test's timeout.
  use: { launchOptions: chromiumLaunchOptions(), actionTimeout: 15_000, navigationTimeout: 20_000, trace: 'off', screenshot: 'only-on-failure' },
  projects: [
    { name: 'e2e', testMatch: /.*\.spec\.ts$/, testIgnore: /latency\// },
    // Latency checks (e2e/latency, tagged @latency) against the budgets in e2e/qa/budgets.ts:
    // one worker and never a retry, so a retry cannot hide a regression.
    { name: 'latency', testMatch: /latency\/.*\.spec\.ts$/, grep: /@latency/, workers: 1, retries: 0 },
  ],
});

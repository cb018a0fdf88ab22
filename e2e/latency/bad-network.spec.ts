/**
 * The `bad` profile (120 ms ± 30 ms, 3 % loss, 3 Mbit/s each way) as QA runs
 * it: `npm run latency -- --local --profile bad`. The tool puts the local
 * demo in a network namespace behind the emulated link; its report must show
 * the delay and the loss. Needs root (namespaces); skipped otherwise.
 */
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BAD_PROFILE_EXPECTATIONS } from '../qa/budgets.ts';
import { canCreateNamespaces } from '../support/netns.ts';
import { runLatency } from '../qa/runner.ts';
import { must } from '../../protocol/must.ts';

test('with the bad profile, its delay and loss show up in the report, and the namespace is gone afterwards', { tag: '@latency' }, async ({}, info) => {
  const support = canCreateNamespaces();
  test.skip(!support.ok, support.ok ? '' : support.why);
  const { report, files, netns } = await runLatency({
    mode: 'run',
    target: 'local',
    seconds: 8,
    profile: 'bad',
    outDir: info.outputPath('report'),
    video: { width: 640, height: 360, fps: 30 },
    shaper: 'auto',
    inputs: true,
  });
  const r = report.result;
  console.log(
    `bad (${report.profile.shaper}): first picture ${r.firstPictureMs} ms; g2g p50/p95 ${r.glassToGlassMs.p50}/${r.glassToGlassMs.p95} ms; ` +
      `input-to-photon p50 ${r.inputToPhotonMs.p50} ms (n=${r.inputToPhotonMs.n}); lost ${r.network.packetsLost}, NACK ${r.network.nackCount}, PLI ${r.network.pliCount}; ` +
      `RTT ${r.network.rttMs} ms; freezes>100 ${r.freezes.over100ms.count}`,
  );
  expect(report.profile.applied).toBe('bad');
  expect(['netem', 'wire']).toContain(report.profile.shaper);
  expect(r.firstPictureMs).not.toBeNull();
  expect(must(r.stamp.decodeRate, 'r.stamp.decodeRate')).toBeGreaterThan(0.9);
  expect(must(r.glassToGlassMs.p50, 'r.glassToGlassMs.p50')).toBeGreaterThan(BAD_PROFILE_EXPECTATIONS.g2gP50MinMs);
  expect(must(r.glassToGlassMs.p50, 'r.glassToGlassMs.p50')).toBeLessThan(BAD_PROFILE_EXPECTATIONS.g2gP50MaxMs);
  // 3 % loss each way over ~8 s of video: packets are lost, and the browser asks for them again.
  expect((r.network.packetsLost ?? 0) + (r.network.nackCount ?? 0)).toBeGreaterThan(0);
  expect(must(r.network.rttMs, 'r.network.rttMs')).toBeGreaterThan(200); // 120 ms each way
  expect(existsSync(files.html)).toBe(true);
  expect(readFileSync(files.html, 'utf8')).toContain('bad: 120 ms ± 30 ms');
  // Nothing of the emulated network is left behind.
  expect(netns).toBeTruthy();
  expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(netns);
});

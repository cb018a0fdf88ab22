/**
 * One latency run as `npm run latency` does it: pick what the profile can
 * really be (shaping needs the local demo and namespaces), boot the local
 * demo if asked, drive Debian's headless Chromium (e2e/support/chromium.ts)
 * through the probe, and write the reports. Tests call it too.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium.ts';
import type { RunOptions } from './args.ts';
import { startLocalDemo, type LocalDemo } from './localStack.ts';
import { LatencyProbe, type Progress } from './probe.ts';
import { effectiveProfile } from './profileChoice.ts';
import { buildReport, machineInfo, writeReport } from './reportFile.ts';
import type { LatencyReport } from './result.ts';

export type RunHooks = {
  /** Messages for the person running it (profile fallbacks, where the stack runs). */
  log?: (line: string) => void;
  onProgress?: (p: Progress) => void;
};

export type RunOutcome = {
  report: LatencyReport;
  files: { json: string; html: string };
  /** The namespace the shaped stack ran in (deleted by now). */ netns?: string;
};

export async function runLatency(opts: RunOptions, hooks: RunHooks = {}): Promise<RunOutcome> {
  const log = hooks.log ?? (() => undefined);
  const { profile, note } = effectiveProfile(opts);
  if (note) log(`NOTE: ${note}`);
  let demo: LocalDemo | undefined;
  let url = opts.target;
  if (opts.target === 'local') {
    log(
      `starting the local demo at ${opts.video.width}x${opts.video.height}@${opts.video.fps}${profile.impairment ? ` behind '${profile.name}' (${profile.description})` : ''}…`,
    );
    demo = await startLocalDemo(profile, opts.video, { shaper: opts.shaper });
    url = demo.demoUrl;
    log(
      `local demo: ${url}${demo.shaper !== 'none' ? ` (namespace ${demo.netns}, shaping by ${demo.shaper === 'netem' ? 'tc netem' : 'the userspace wire: this kernel has no sch_netem'})` : ''}`,
    );
  }
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const local = opts.target === 'local';
    const page = await browser.newPage({ viewport: local ? { width: opts.video.width, height: opts.video.height } : { width: 1280, height: 720 } });
    const probe = await LatencyProbe.attach(page);
    await probe.open(url);
    const measureOpts: Parameters<LatencyProbe['measure']>[0] = {
      seconds: opts.seconds,
      firstPictureTimeoutMs: 30_000,
      inputs: opts.inputs ? undefined : false,
    };
    if (hooks.onProgress) measureOpts.onProgress = hooks.onProgress;
    const result = await probe.measure(measureOpts);
    const profileInfo: LatencyReport['profile'] = {
      requested: opts.profile,
      applied: profile.name,
      description: profile.description,
      shaper: demo?.shaper ?? 'none',
    };
    if (note) profileInfo.note = note;
    const ctx: Parameters<typeof buildReport>[0] = { url, profile: profileInfo, machine: machineInfo(browser.version()) };
    if (local) ctx.video = { ...opts.video };
    const report = buildReport(ctx, result);
    const files = writeReport(report, opts.outDir);
    return demo?.netns ? { report, files, netns: demo.netns } : { report, files };
  } finally {
    await browser.close();
    await demo?.stop();
  }
}

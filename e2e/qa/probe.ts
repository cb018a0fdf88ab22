/**
 * The QA helper: measures what a player feels on a Playwright Page showing
 * any stream of this product. Attach it before the page navigates (its
 * sampler must wrap RTCPeerConnection before the page creates one):
 *
 *   const probe = await LatencyProbe.attach(page);
 *   await probe.open(demoUrl);
 *   const result = await probe.measure({ seconds: 10 });
 *
 * During `measure` it presses keys through page.keyboard as a user would
 * (default: ArrowLeft / ArrowRight held 120 ms, one every 250 ms) and drains
 * the in-page sampler twice a second. See docs/qa.md.
 */
import type { Page } from '@playwright/test';
import { analyse } from './analysis.ts';
import type { LatencyResult } from './result.ts';
import { SAMPLER_GLOBAL, type PageSession, type RtcSnapshot, type SampledFrame, type SampledInput, type SamplerDrain } from './samples.ts';
import { samplerScript } from './samplerScript.ts';
import { summarize } from './stats.ts';
import { must } from '../../protocol/must.ts';

export type InputPlan = { keys: string[]; holdMs: number; intervalMs: number };

export type MeasureOptions = {
  seconds: number;
  /** Played but not measured after the first picture, so start-up does not skew the figures (default 1000). */
  settleMs?: number;
  firstPictureTimeoutMs?: number;
  /** Key presses to time; false sends none (input-to-photon stays empty). */
  inputs?: InputPlan | false;
  /** Called about twice a second while measuring. */
  onProgress?: (p: Progress) => void;
};

export type Progress = { elapsedS: number; seconds: number; frames: number; g2gP50: number | null; keyPresses: number };

export const DEFAULT_INPUTS: InputPlan = { keys: ['ArrowLeft', 'ArrowRight'], holdMs: 120, intervalMs: 250 };
const DRAIN_EVERY_MS = 500;
/** After the window, how long inputs sent near its end may take to show. */
const INPUT_GRACE_MS = 1_500;

export class LatencyProbe {
  private frames: SampledFrame[] = [];
  private inputs: SampledInput[] = [];
  private rtc: RtcSnapshot[] = [];
  private firstFrameAt: number | undefined;
  private timeOrigin: number | undefined;
  private navigationAt: number | undefined;
  private session: PageSession | undefined;
  private overflowed = 0;

  private constructor(readonly page: Page) {}

  /**
   * Installs the sampler for every later navigation of `page`, and into the
   * current document too (which then has no getStats figures: its peer
   * connection already exists).
   */
  static async attach(page: Page): Promise<LatencyProbe> {
    const script = samplerScript();
    await page.addInitScript({ content: script });
    if (page.url() !== 'about:blank') await page.evaluate(script);
    return new LatencyProbe(page);
  }

  /** Navigates to `url`, taking the time from here as the navigation start. */
  async open(url: string, timeoutMs = 30_000): Promise<void> {
    this.reset();
    this.navigationAt = Date.now();
    await this.page.goto(url, { timeout: timeoutMs });
  }

  private reset(): void {
    this.frames = [];
    this.inputs = [];
    this.rtc = [];
    this.firstFrameAt = undefined;
    this.timeOrigin = undefined;
    this.session = undefined;
  }

  private async drain(): Promise<void> {
    const d = (await this.page.evaluate((name) => {
      const s = (window as unknown as Record<string, { drain(): unknown } | undefined>)[name];
      return s ? s.drain() : null;
    }, SAMPLER_GLOBAL)) as SamplerDrain | null;
    if (!d) return;
    // A new document (reload, navigation) starts its sampler afresh.
    if (this.timeOrigin !== undefined && d.timeOrigin !== this.timeOrigin) this.firstFrameAt = undefined;
    this.timeOrigin = d.timeOrigin;
    this.firstFrameAt ??= d.firstFrameAt;
    this.frames.push(...d.frames);
    this.inputs.push(...d.inputs);
    this.rtc.push(...d.rtc);
    this.overflowed += d.overflowed;
    if (d.session) this.session = d.session;
  }

  /** Waits for the first presented frame; returns ms since navigation started. */
  async waitForFirstPicture(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.firstFrameAt === undefined) {
      if (Date.now() > deadline) throw new Error(`no video frame was presented within ${timeoutMs} ms of opening ${this.page.url()}`);
      await this.page.waitForTimeout(50);
      await this.drain();
    }
    return this.firstFrameAt - (this.navigationAt ?? this.timeOrigin ?? this.firstFrameAt);
  }

  async measure(opts: MeasureOptions): Promise<LatencyResult> {
    await this.waitForFirstPicture(opts.firstPictureTimeoutMs);
    await this.page.waitForTimeout(opts.settleMs ?? 1_000);
    await this.drain();
    const plan = opts.inputs === undefined ? DEFAULT_INPUTS : opts.inputs;
    const start = Date.now();
    const end = start + opts.seconds * 1000;
    let lastDrain = start;
    let pressed = 0;
    // Bounded: one iteration per input interval (or per drain when not pressing keys).
    const step = plan ? plan.intervalMs : DRAIN_EVERY_MS;
    for (let i = 0; Date.now() < end && i <= Math.ceil((opts.seconds * 1000) / step); i++) {
      const began = Date.now();
      if (plan && plan.keys.length > 0 && began + plan.holdMs < end) {
        const key = must(plan.keys[i % plan.keys.length], 'plan.keys[i % plan.keys.length]');
        await this.page.keyboard.down(key);
        await this.page.waitForTimeout(plan.holdMs);
        await this.page.keyboard.up(key);
        pressed++;
      }
      if (Date.now() - lastDrain >= DRAIN_EVERY_MS) {
        await this.drain();
        lastDrain = Date.now();
        opts.onProgress?.(this.progress(start, opts.seconds, pressed));
      }
      const wait = Math.min(step - (Date.now() - began), end - Date.now());
      if (wait > 0) await this.page.waitForTimeout(wait);
    }
    const windowEnd = Math.min(Date.now(), end);
    // Let the photons of the last inputs arrive.
    const graceEnd = Date.now() + (plan ? INPUT_GRACE_MS : 0);
    while (Date.now() < graceEnd) {
      await this.page.waitForTimeout(250);
      await this.drain();
      const lastInput = this.inputs[this.inputs.length - 1];
      const lastRow1 = [...this.frames].reverse().find((f) => f.row1 !== undefined)?.row1;
      if (!lastInput || (lastRow1 !== undefined && Math.abs(lastRow1 - lastInput.t) <= 2)) break;
    }
    await this.drain();
    return this.result(start, windowEnd);
  }

  private progress(start: number, seconds: number, keyPresses: number): Progress {
    const recent = this.frames.filter((f) => f.t >= start);
    const g2g = recent.slice(-120).flatMap((f) => (f.row0 === undefined ? [] : [f.t - f.row0]));
    return { elapsedS: (Date.now() - start) / 1000, seconds, frames: recent.length, g2gP50: summarize(g2g).p50, keyPresses };
  }

  private result(start: number, end: number): LatencyResult {
    const warnings: string[] = [];
    if (this.overflowed > 0) warnings.push(`${this.overflowed} samples were dropped in the page before they could be read`);
    const input: Parameters<typeof analyse>[0] = {
      frames: this.frames,
      inputs: this.inputs.filter((x) => x.t >= start && x.t <= end),
      rtc: this.rtc,
      windowStart: start,
      windowEnd: end,
      warnings,
    };
    const nav = this.navigationAt ?? this.timeOrigin;
    if (nav !== undefined) input.navigationAt = nav;
    if (this.firstFrameAt !== undefined) input.firstFrameAt = this.firstFrameAt;
    if (this.session) input.session = this.session;
    return analyse(input);
  }
}

/** One call for the common case: attach, open `url`, measure. */
export async function measureStream(page: Page, url: string, opts: MeasureOptions): Promise<LatencyResult> {
  const probe = await LatencyProbe.attach(page);
  await probe.open(url);
  return probe.measure(opts);
}

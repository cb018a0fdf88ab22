/**
 * One handset: a touch context (360x640, isMobile, hasTouch) in the shared
 * headless browser, showing the phone app (/phone#token=...), with two
 * init scripts that run before the app's own:
 *   - the QA toolkit's sampler (e2e/qa/page/sampler.ts): every presented
 *     frame of the <video> with its latency stamp rows, and getStats();
 *   - a small recorder of the subscriber's gestures: each touch on the
 *     phone picture (capture phase on window, so its Date.now() is the
 *     `ts` the app's own touch listener sends, to the millisecond) and each
 *     tap of an "Open" button (the start of a cold start or a resume).
 * Node drains both; times are Date.now() of this machine, the same clock
 * as the stamp and the server's log. The recorder also keeps the page's
 * peer connections (jitter-buffer counters, avCounters) and, with a frame
 * callback on the app's <video> from the start, the first frame and the
 * first frame with a readable stamp (the sampler finds the video by polling
 * every 250 ms, too coarse for start times).
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { phoneHook, playerHook } from '../../support/phone.ts';
import { samplerScript } from '../../qa/samplerScript.ts';
import { SAMPLER_GLOBAL, type RtcSnapshot, type SampledFrame, type SamplerDrain } from '../../qa/samples.ts';
import { waitUntil } from './tracker.ts';

export const HANDSET = { viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } as const;

const MARKS_GLOBAL = '__phoneBenchMarks';

/**
 * Runs in the page before its scripts (after the sampler's); a classic
 * script, so no bundling. `splitAudio` is an experiment (--no-av-sync): the
 * edge's SDP has no a=msid, so Chromium puts video and audio in one sync
 * group and holds the video back to play in sync with the audio; giving the
 * audio m-section its own msid stream takes the video out of that.
 */
export const marksScript = (splitAudio: boolean): string => `(() => {
  if (window !== window.top || window.${MARKS_GLOBAL}) return;
  const marks = { touches: [], opens: [], pcs: [], firstFrameAt: undefined, firstPhoneFrameAt: undefined };
  Object.defineProperty(window, '${MARKS_GLOBAL}', { value: marks });
  const Native = window.RTCPeerConnection;
  if (typeof Native === 'function') {
    class Kept extends Native {
      constructor(...args) {
        super(...args);
        marks.pcs.push(this);
      }
      setRemoteDescription(d) {
        if (${splitAudio} && d && typeof d.sdp === 'string') {
          const sdp = d.sdp.split(/(?=^m=)/m).map((m) => m.startsWith('m=audio') && !/^a=msid:/m.test(m) ? m.replace(/^(a=mid:[^\\r\\n]*\\r?\\n)/m, '$1a=msid:phone-audio phone-audio-track\\r\\n') : m).join('');
          d = { type: d.type, sdp };
        }
        return super.setRemoteDescription(d);
      }
    }
    Object.defineProperty(window, 'RTCPeerConnection', { value: Kept, writable: true, configurable: true });
  }
  const onPicture = (e) => e.target instanceof Element && e.target.closest('#picture') !== null;
  for (const phase of ['touchstart', 'touchend']) {
    window.addEventListener(phase, (e) => {
      if (onPicture(e) && marks.touches.length < 5000) marks.touches.push({ t: Date.now(), phase: phase === 'touchstart' ? 'start' : 'end' });
    }, { capture: true, passive: true });
  }
  // The first presented frame, and the first whose stamp the page's own meter read (the shell, not the
  // display before Chromium drew it). Registered after the app's meter (the app boots before
  // DOMContentLoaded), so in each frame's callbacks the meter has already counted this frame.
  document.addEventListener('DOMContentLoaded', () => {
    const video = document.getElementById('video');
    if (!video || typeof video.requestVideoFrameCallback !== 'function') return;
    const onFrame = () => {
      const now = Date.now();
      if (marks.firstFrameAt === undefined) marks.firstFrameAt = now;
      const hook = window.edgeplay;
      if (marks.firstPhoneFrameAt === undefined && hook && hook.stampFramesValid > 0) marks.firstPhoneFrameAt = now;
      if (marks.firstPhoneFrameAt === undefined) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });
  window.addEventListener('click', (e) => {
    const b = e.target instanceof Element ? e.target.closest('[data-testid=instance-open]') : null;
    if (!b) return;
    const row = b.closest('[data-testid=instance]');
    marks.opens.push({ t: Date.now(), instanceId: row ? row.getAttribute('data-instance-id') : null });
  }, { capture: true });
})();`;

export type TouchMark = { t: number; phase: 'start' | 'end' };
type JitterCounters = {
  jitterBufferDelay?: number;
  jitterBufferTargetDelay?: number;
  jitterBufferMinimumDelay?: number;
  jitterBufferEmittedCount?: number;
  jitter?: number;
};
export type AvCounters = { video?: JitterCounters; audio?: JitterCounters };

/** Mean delays over a window between two readings, ms: held in the jitter buffer, its target, and the minimum jitter alone needs. */
export type AvSync = {
  videoHeldMs: number | null;
  videoTargetMs: number | null;
  videoMinimumMs: number | null;
  audioTargetMs: number | null;
  audioJitterMs: number | null;
};

export function avSync(a: AvCounters, b: AvCounters): AvSync {
  const mean = (x: JitterCounters | undefined, y: JitterCounters | undefined, k: keyof JitterCounters): number | null => {
    const n = (y?.jitterBufferEmittedCount ?? 0) - (x?.jitterBufferEmittedCount ?? 0);
    const v0 = x?.[k];
    const v1 = y?.[k];
    if (v0 === undefined || v1 === undefined || n <= 0) return null;
    return Math.round(((v1 - v0) / n) * 1000);
  };
  const jitter = b.audio?.jitter;
  return {
    videoHeldMs: mean(a.video, b.video, 'jitterBufferDelay'),
    videoTargetMs: mean(a.video, b.video, 'jitterBufferTargetDelay'),
    videoMinimumMs: mean(a.video, b.video, 'jitterBufferMinimumDelay'),
    audioTargetMs: mean(a.audio, b.audio, 'jitterBufferTargetDelay'),
    audioJitterMs: jitter === undefined ? null : Math.round(jitter * 1000),
  };
}
export type OpenMark = { t: number; instanceId: string | null };

/** The page's session times, as Date.now() values (the hook keeps performance.now()). */
export type SessionTimes = { placedAt?: number; connectedAt?: number; firstFrameAt?: number; sessionId?: string; encoder?: string; video?: string };

export class Handset {
  readonly frames: SampledFrame[] = [];
  readonly rtc: RtcSnapshot[] = [];
  readonly touches: TouchMark[] = [];
  readonly opens: OpenMark[] = [];
  private closed = false;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** A new handset showing the app's list. */
  static async open(browser: Browser, appUrl: string, splitAudio = false, timeoutMs = 15_000): Promise<Handset> {
    const context = await browser.newContext(HANDSET);
    try {
      await context.addInitScript({ content: samplerScript() });
      await context.addInitScript({ content: marksScript(splitAudio) });
      const page = await context.newPage();
      await page.goto(appUrl, { timeout: timeoutMs });
      if (!(await page.evaluate((g) => g in window, MARKS_GLOBAL))) throw new Error('the benchmark page script did not run (a syntax error in marksScript?)');
      const h = new Handset(context, page);
      if (!(await waitUntil(async () => (await phoneHook(page).catch(() => undefined))?.view === 'list', timeoutMs)))
        throw new Error(`the phone app did not show its list within ${timeoutMs} ms`);
      return h;
    } catch (err) {
      await context.close().catch(() => {});
      throw err;
    }
  }

  /** Taps "Open" on the instance's row, as a thumb would. */
  async tapOpen(instanceId: string): Promise<void> {
    const row = this.page.locator(`[data-testid=instance][data-instance-id="${instanceId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await row.getByTestId('instance-open').tap();
  }

  /** Waits until the page says "playing" and a frame with a readable stamp (the shell itself, not a black screen) was presented. */
  async waitForPhone(timeoutMs: number): Promise<{ firstFrameAt: number; firstPhoneFrameAt: number }> {
    let first: { firstFrameAt?: number; firstPhoneFrameAt?: number } = {};
    const ok = await waitUntil(
      async () => {
        first = await this.page.evaluate((g) => {
          const m = (window as unknown as Record<string, { firstFrameAt?: number; firstPhoneFrameAt?: number } | undefined>)[g];
          return { ...(m?.firstFrameAt ? { firstFrameAt: m.firstFrameAt } : {}), ...(m?.firstPhoneFrameAt ? { firstPhoneFrameAt: m.firstPhoneFrameAt } : {}) };
        }, MARKS_GLOBAL);
        return first.firstPhoneFrameAt !== undefined && (await playerHook(this.page)).state === 'playing';
      },
      timeoutMs,
      100,
    );
    if (!ok || first.firstFrameAt === undefined || first.firstPhoneFrameAt === undefined) {
      const seen = await this.page
        .evaluate(() => {
          const h = (window as unknown as { edgeplay: { state: string; framesPresented: number; stampFramesRead: number; stampFramesValid: number } }).edgeplay;
          return `page state ${h.state}, ${h.framesPresented} frames presented, stamp read on ${h.stampFramesRead}, valid on ${h.stampFramesValid}`;
        })
        .catch((e: Error) => e.message);
      throw new Error(`no phone picture within ${timeoutMs} ms (${seen}; first frame ${first.firstFrameAt ? 'seen' : 'not seen'})`);
    }
    await this.drain();
    return { firstFrameAt: first.firstFrameAt, firstPhoneFrameAt: first.firstPhoneFrameAt };
  }

  async drain(): Promise<void> {
    if (this.closed) return;
    const d = await this.page.evaluate(
      ([sampler, marks]) => {
        const w = window as unknown as Record<string, unknown>;
        const s = w[sampler] as { drain(): unknown } | undefined;
        const m = w[marks] as { touches: unknown[]; opens: unknown[] } | undefined;
        return { sampler: s ? s.drain() : null, touches: m ? m.touches.splice(0) : [], opens: m ? m.opens.splice(0) : [] };
      },
      [SAMPLER_GLOBAL, MARKS_GLOBAL] as const,
    );
    const s = d.sampler as SamplerDrain | null;
    if (s) {
      this.frames.push(...s.frames);
      this.rtc.push(...s.rtc);
    }
    this.touches.push(...(d.touches as TouchMark[]));
    this.opens.push(...(d.opens as OpenMark[]));
  }

  /** Forgets what was drained so far (a new measuring window starts clean). */
  reset(): void {
    this.frames.length = 0;
    this.rtc.length = 0;
    this.touches.length = 0;
  }

  async sessionTimes(): Promise<SessionTimes> {
    return this.page.evaluate(() => {
      const h = (
        window as unknown as {
          edgeplay: {
            sessionAtMs?: number;
            connectedAtMs?: number;
            firstFrameAtMs?: number;
            sessionId?: string;
            video?: { encoder: string; width: number; height: number; fps: number };
          };
        }
      ).edgeplay;
      // No helper function in here: the TypeScript loader would wrap it in a __name() the page does not have.
      const o = performance.timeOrigin;
      const out: Record<string, unknown> = {
        placedAt: h.sessionAtMs === undefined ? undefined : Math.round(o + h.sessionAtMs),
        connectedAt: h.connectedAtMs === undefined ? undefined : Math.round(o + h.connectedAtMs),
        firstFrameAt: h.firstFrameAtMs === undefined ? undefined : Math.round(o + h.firstFrameAtMs),
        sessionId: h.sessionId,
      };
      if (h.video) {
        out.encoder = h.video.encoder;
        out.video = `${h.video.width}x${h.video.height}@${h.video.fps}`;
      }
      return out as SessionTimes;
    });
  }

  /**
   * Cumulative jitter-buffer counters of the received video and audio
   * (W3C webrtc-stats RTCInboundRtpStreamStats): the target delay includes
   * what A/V sync adds, the minimum delay is what jitter alone would need.
   */
  async avCounters(): Promise<AvCounters> {
    return this.page.evaluate(async (g) => {
      const m = (window as unknown as Record<string, { pcs: RTCPeerConnection[] } | undefined>)[g];
      const out: Record<string, Record<string, number>> = {};
      for (const pc of m?.pcs ?? []) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((e: Record<string, unknown>) => {
          if (e.type !== 'inbound-rtp' || (e.kind !== 'video' && e.kind !== 'audio')) return;
          const c: Record<string, number> = {};
          for (const k of ['jitterBufferDelay', 'jitterBufferTargetDelay', 'jitterBufferMinimumDelay', 'jitterBufferEmittedCount', 'jitter'])
            if (typeof e[k] === 'number') c[k] = e[k] as number;
          out[e.kind as string] = c;
        });
      }
      return out;
    }, MARKS_GLOBAL) as Promise<AvCounters>;
  }

  /** The page's own meter (client/stampMeter.ts), as a cross-check of the sampler. */
  async ownMeter(): Promise<{ g2gMs: number[]; inputToPhotonMs: number[]; inputsSent: number }> {
    return this.page.evaluate(() => {
      const h = (window as unknown as { edgeplay: { g2gMs: number[]; inputToPhotonMs: number[]; inputsSent: number } }).edgeplay;
      return { g2gMs: [...h.g2gMs], inputToPhotonMs: [...h.inputToPhotonMs], inputsSent: h.inputsSent };
    });
  }

  /** Closing the tab: the app says bye, the phone keeps running through its grace period. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.context.close().catch(() => {});
  }
}

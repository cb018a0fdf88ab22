/**
 * Once a second: WebRTC stats plus the stamp meter's latency figures into
 * `window.edgeplay.stats`, and into the stats panel when it is shown
 * (toggled with F2 or the backquote key).
 */
import type { EdgeplayHook } from './hook.ts';
import { percentile } from './samples.ts';
import type { StampMeter } from './stampMeter.ts';
import { formatStats, summariseRtcStats } from './statsModel.ts';
import type { PlayerStats, RtcCounters } from './statsModel.ts';
import type { PlayerUi } from './ui.ts';

/** KeyboardEvent.code values that toggle the panel (never sent to the game). */
export const STATS_TOGGLE_CODES: ReadonlySet<string> = new Set(['F2', 'Backquote']);
export const STATS_INTERVAL_MS = 1000;
/** Window for the latency percentiles. */
export const LATENCY_WINDOW_MS = 2000;

/** Where the panel shows its figures: the player's PlayerUi, or the phone app's view. */
export type StatsView = Pick<PlayerUi, 'statsVisible' | 'setStatsVisible' | 'renderStats'>;

export type StatsPanelOptions = {
  peer: () => RTCPeerConnection | undefined;
  /** Seconds of play left, when known. */
  remainingSeconds?: () => number | undefined;
  initiallyVisible?: boolean;
};

export class StatsPanel {
  private timer: number | undefined;
  private counters: RtcCounters | undefined;
  /** The peer connection `counters` came from: a resumed session has a new one, whose counters start at 0. */
  private countersPc: RTCPeerConnection | undefined;
  private lastFrames: { atMs: number; frames: number } | undefined;
  private busy = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly ui: StatsView,
    private readonly hook: EdgeplayHook,
    private readonly meter: StampMeter,
    private readonly opts: StatsPanelOptions,
  ) {
    ui.setStatsVisible(opts.initiallyVisible === true);
    window.addEventListener(
      'keydown',
      (e) => {
        if (!STATS_TOGGLE_CODES.has(e.code)) return;
        e.preventDefault();
        if (!e.repeat) this.toggle();
      },
      { signal: this.abort.signal },
    );
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = window.setInterval(() => void this.tick(), STATS_INTERVAL_MS);
    void this.tick();
  }

  /** Stops polling; the panel keeps its last figures and can still be toggled. */
  stop(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops polling and the keyboard toggle: for a page that makes a new panel per session. */
  dispose(): void {
    this.stop();
    this.abort.abort();
  }

  toggle(): void {
    this.ui.setStatsVisible(!this.ui.statsVisible);
    if (this.ui.statsVisible) this.ui.renderStats(formatStats(this.hook.stats));
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = Date.now();
      const stats: PlayerStats = { atMs: now, g2gSamples: 0 };
      const pc = this.opts.peer();
      if (pc !== this.countersPc) {
        this.counters = undefined;
        this.countersPc = pc;
      }
      if (pc && pc.connectionState !== 'closed') {
        const entries: unknown[] = [];
        (await pc.getStats()).forEach((v: unknown) => entries.push(v));
        const { figures, counters } = summariseRtcStats(entries, this.counters, now);
        this.counters = counters;
        Object.assign(stats, figures);
      }
      const frames = this.hook.framesPresented;
      if (this.lastFrames && now > this.lastFrames.atMs)
        stats.presentedFps = Math.round(((frames - this.lastFrames.frames) * 10000) / (now - this.lastFrames.atMs)) / 10;
      this.lastFrames = { atMs: now, frames };
      const g2g = this.meter.g2g.valuesSince(now - LATENCY_WINDOW_MS);
      stats.g2gSamples = g2g.length;
      const p50 = percentile(g2g, 50);
      const p95 = percentile(g2g, 95);
      if (p50 !== undefined) stats.g2gP50Ms = p50;
      if (p95 !== undefined) stats.g2gP95Ms = p95;
      if (this.meter.lastInputToPhotonMs !== undefined) stats.inputToPhotonLastMs = this.meter.lastInputToPhotonMs;
      const i2p = percentile(this.meter.inputToPhoton.valuesSince(now - 10 * LATENCY_WINDOW_MS), 50);
      if (i2p !== undefined) stats.inputToPhotonP50Ms = i2p;
      const left = this.opts.remainingSeconds?.();
      if (left !== undefined) stats.remainingSeconds = Math.max(0, Math.round(left));
      if (this.hook.edgeId) stats.edgeId = this.hook.edgeId;
      if (this.hook.placement?.region) stats.edgeRegion = this.hook.placement.region;
      if (this.hook.resumes > 0) stats.resumes = this.hook.resumes;
      if (this.hook.bitrate) stats.sender = this.hook.bitrate;
      this.hook.stats = stats;
      if (this.ui.statsVisible) this.ui.renderStats(formatStats(stats));
    } catch (err) {
      console.warn('edgeplay: stats failed:', err);
    } finally {
      this.busy = false;
    }
  }
}

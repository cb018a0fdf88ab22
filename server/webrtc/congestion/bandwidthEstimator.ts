/**
 * The sender's bandwidth estimate, from transport-wide congestion control
 * feedback (TWCC): a delay-based target (trendline detector + AIMD) capped
 * by a loss-based bound, between configured limits. Pure: the caller feeds
 * it what was sent and what the receiver reported, with times, and reads
 * the target back. server/webrtc/congestion/twccTap.ts connects it to werift.
 */
import { AckedRate } from './ackedRate.ts';
import { AimdRate, clamp } from './aimdRate.ts';
import { LossBound } from './lossBound.ts';
import { QueueDelay } from './queueDelay.ts';
import { SendHistory } from './sendHistory.ts';
import { TrainStretch } from './trainStretch.ts';
import { type DelaySignal, TrendlineDetector } from './trendline.ts';

export type EstimatorLimits = { startKbps: number; minKbps: number; maxKbps: number };

/** One packet as a TWCC report lists it; arrival in the receiver's clock (only differences matter). */
export type PacketReport = { seq: number; received: boolean; receivedAtMs: number };

export type Estimate = {
  targetKbps: number;
  /** What bounds the target now. */
  limitedBy: 'delay' | 'loss';
  delay: DelaySignal;
  lossFraction: number;
  ackedKbps: number | undefined;
  /** Queueing delay on the path now (latest one-way delay over the 10 s minimum). */
  queueMs: number;
};

/** A report listing more packets than this is cut: TWCC can name 65,535, a flood should not cost that. */
export const MAX_REPORTS_PER_FEEDBACK = 4096;
/** Round trip assumed until one is measured. */
const DEFAULT_RTT_MS = 100;
/** Trains stretched by more than this read as overuse (jitter on a 300 ms window stays well under it). */
const STRETCH_OVERUSE = 1.3;

export class BandwidthEstimator {
  private readonly sent = new SendHistory();
  private readonly trend = new TrendlineDetector();
  private readonly acked = new AckedRate();
  private readonly stretch = new TrainStretch();
  private readonly queue = new QueueDelay();
  private readonly aimd: AimdRate;
  private readonly loss: LossBound;
  private readonly limits: EstimatorLimits;
  /** Counters for the session record and tests. */
  readonly counts = { feedbacks: 0, reports: 0, unknown: 0, lost: 0, overuses: 0 };

  constructor(limits: EstimatorLimits) {
    const minKbps = Math.max(1, Math.min(limits.minKbps, limits.maxKbps));
    const maxKbps = Math.max(minKbps, limits.maxKbps);
    this.limits = { minKbps, maxKbps, startKbps: clamp(limits.startKbps, minKbps, maxKbps) };
    this.aimd = new AimdRate(this.limits.startKbps, minKbps, maxKbps);
    this.loss = new LossBound(this.limits.startKbps, minKbps, maxKbps);
  }

  onPacketSent(seq: number, size: number, sentAtMs: number): void {
    this.sent.record({ seq, size, sentAtMs });
  }

  /**
   * One TWCC feedback: the packets it reports, in sequence order. `rttMs` is
   * the current round trip if known; `encoderKbps` the rate the encoder is
   * set to (lets the target climb to the next rung while the encoder is held
   * below it).
   */
  onFeedback(reports: readonly PacketReport[], nowMs: number, rttMs = DEFAULT_RTT_MS, encoderKbps = 0): Estimate {
    this.counts.feedbacks++;
    let reported = 0;
    let lost = 0;
    let signal = this.trend.state;
    let newestSentMs: number | undefined;
    const n = Math.min(reports.length, MAX_REPORTS_PER_FEEDBACK);
    for (let i = 0; i < n; i++) {
      const r = reports[i];
      if (!r) continue;
      const p = this.sent.take(r.seq, nowMs);
      if (!p) {
        this.counts.unknown++;
        continue;
      }
      reported++;
      newestSentMs = Math.max(newestSentMs ?? p.sentAtMs, p.sentAtMs);
      if (!r.received || !Number.isFinite(r.receivedAtMs)) {
        lost++;
        continue;
      }
      this.acked.add(r.receivedAtMs, p.size);
      this.stretch.add(p.sentAtMs, r.receivedAtMs, p.size);
      this.queue.add(p.sentAtMs, r.receivedAtMs);
      signal = this.trend.onPacket(p.sentAtMs, r.receivedAtMs);
    }
    const stretch = this.stretch.ratio;
    if (stretch !== undefined && stretch > STRETCH_OVERUSE && signal === 'normal') signal = 'overuse';
    this.counts.reports += reported;
    this.counts.lost += lost;
    if (signal === 'overuse') this.counts.overuses++;
    const rtt = Number.isFinite(rttMs) && rttMs > 0 ? Math.min(rttMs, 2000) : DEFAULT_RTT_MS;
    const ackedKbps = this.acked.kbps;
    const delayTarget = this.aimd.update(signal, ackedKbps, rtt, nowMs, {
      encoderKbps,
      recentKbps: this.stretch.receiveKbps,
      queueMs: this.queue.ms,
      newestSentMs,
    });
    const lossBound = this.loss.update(reported, lost, delayTarget, rtt, nowMs);
    if (lossBound < delayTarget) this.aimd.capTo(lossBound);
    return {
      targetKbps: Math.round(this.aimd.target),
      limitedBy: lossBound < delayTarget ? 'loss' : 'delay',
      delay: signal,
      lossFraction: this.loss.loss,
      ackedKbps: ackedKbps === undefined ? undefined : Math.round(ackedKbps),
      queueMs: Math.round(this.queue.ms),
    };
  }

  /** Time since congestion last lowered the target, or undefined if it never has. */
  sinceDecrease(nowMs: number): number | undefined {
    return this.aimd.sinceDecrease(nowMs);
  }
}

/**
 * A session's congestion control, the edge side: the player's bandwidth
 * estimates (server/webrtc/congestion/) go through the bitrate ladder
 * (encoder/bitrateLadder.ts) to the session's encoder. Every change is
 * logged with its reason and counted; the player's page is told, for the
 * stats overlay. Spectators follow the player's stream and do not steer it.
 */
import type { Logger } from 'pino';
import { BitrateLadder } from '../../encoder/bitrateLadder.ts';
import type { BitrateInfo } from '../../protocol/index.ts';
import type { Estimate, EstimatorLimits } from '../webrtc/congestion/bandwidthEstimator.ts';
import type { VideoEncoder } from './ports.ts';

/** Opus at 64 kbit/s plus its RTP overhead: left to the audio whatever video wants. */
export const AUDIO_RESERVE_KBPS = 80;

export type CongestionSettings = { minKbps: number };

export class SessionBitrate {
  private readonly ladder: BitrateLadder;
  private readonly maxKbps: number;
  private last: Estimate | undefined;
  private lastToldMs = 0;
  readonly counts = { estimates: 0, downs: 0, ups: 0 };

  constructor(
    private readonly encoder: VideoEncoder,
    private readonly settings: CongestionSettings,
    hasAudio: boolean,
    private readonly log: Logger,
    private readonly tell: (info: BitrateInfo) => void,
  ) {
    this.maxKbps = encoder.bitrateKbps();
    this.ladder = new BitrateLadder(this.maxKbps, settings.minKbps, hasAudio ? AUDIO_RESERVE_KBPS : 0);
  }

  /** What the player's estimator starts from and is bounded by: the configured rate is the top. */
  get limits(): EstimatorLimits {
    return { startKbps: this.maxKbps, minKbps: this.settings.minKbps, maxKbps: Math.round(this.maxKbps * 1.5) };
  }

  get rungKbps(): number {
    return this.ladder.current.kbps;
  }

  onEstimate(e: Estimate, nowMs: number): void {
    this.counts.estimates++;
    this.last = e;
    const d = this.ladder.update(e.targetKbps, nowMs);
    if (d) {
      if (d.direction === 'down') this.counts.downs++;
      else this.counts.ups++;
      const reason = d.direction === 'up' ? 'probe' : e.limitedBy;
      this.log.info(
        {
          fromKbps: this.encoder.bitrateKbps(),
          toKbps: d.kbps,
          rung: d.rung,
          reason,
          estimateKbps: e.targetKbps,
          ackedKbps: e.ackedKbps,
          lossFraction: round2(e.lossFraction),
          queueMs: e.queueMs,
        },
        'video bitrate changed',
      );
      this.encoder.setBitrate(d.kbps, reason);
    }
    // The overlay refreshes once a second, and at once on a change.
    if (d || nowMs - this.lastToldMs >= 1000) {
      this.lastToldMs = nowMs;
      this.tell(this.info());
    }
  }

  info(): BitrateInfo {
    const e = this.last;
    return {
      rungKbps: this.ladder.current.kbps,
      rung: this.ladder.current.rung,
      estimateKbps: e?.targetKbps ?? this.maxKbps,
      ackedKbps: e?.ackedKbps ?? 0,
      lossPercent: e ? Math.round(e.lossFraction * 1000) / 10 : 0,
      queueMs: e?.queueMs ?? 0,
      limitedBy: e?.limitedBy ?? 'delay',
    };
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

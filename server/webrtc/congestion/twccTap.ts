/**
 * Connects the bandwidth estimator to a werift video sender. werift already
 * stamps every video packet with a transport-wide sequence number (when the
 * extension is negotiated), tells its own SenderBandwidthEstimator what it
 * sent, and hands it every TWCC feedback. That estimator has no delay
 * gradient and cannot find bandwidth above what is sent (werift issue #658),
 * so its two entry points are redirected to ours on this sender.
 */
import type { RTCRtpSender, TransportWideCC } from 'werift';
import { BandwidthEstimator, MAX_REPORTS_PER_FEEDBACK, type Estimate, type EstimatorLimits } from './bandwidthEstimator.ts';
import { twccReports } from './twccReports.ts';

type WeriftSentInfo = { wideSeq: number; size: number; sentAtMs: number };
type WeriftBwe = { rtpPacketSent(info: WeriftSentInfo): void; receiveTWCC(feedback: TransportWideCC): void };

export type TwccTapOptions = {
  limits: EstimatorLimits;
  /** The rate the encoder runs at now (lets the estimate climb to the next rung). */
  encoderKbps: () => number;
  onEstimate: (e: Estimate) => void;
  /** Feedback that could not be read (logged by the caller, never thrown). */
  onBadFeedback: (err: unknown) => void;
};

/** Returns the estimator, or undefined if this werift has no estimator hook to redirect. */
export function tapTwcc(sender: RTCRtpSender, o: TwccTapOptions): BandwidthEstimator | undefined {
  const bwe = (sender as unknown as { senderBWE?: Partial<WeriftBwe> }).senderBWE;
  if (!bwe || typeof bwe.rtpPacketSent !== 'function' || typeof bwe.receiveTWCC !== 'function') return undefined;
  const estimator = new BandwidthEstimator(o.limits);
  bwe.rtpPacketSent = (info) => estimator.onPacketSent(info.wideSeq, info.size, info.sentAtMs);
  bwe.receiveTWCC = (feedback) => {
    try {
      const reports = twccReports(feedback, MAX_REPORTS_PER_FEEDBACK);
      // werift's send times are Date.now()-based milliseconds (milliTime), so feedback is judged on the same clock.
      const rttS = (sender as unknown as { rtt?: number }).rtt;
      o.onEstimate(estimator.onFeedback(reports, Date.now(), rttS === undefined ? undefined : rttS * 1000, o.encoderKbps()));
    } catch (err) {
      o.onBadFeedback(err);
    }
  };
  return estimator;
}

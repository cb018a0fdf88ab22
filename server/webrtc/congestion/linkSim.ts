/**
 * A simulated bottleneck for the estimator's tests: an encoder that sends
 * whatever the estimator targets (30 frames a second, 1200-byte packets),
 * a FIFO link with a capacity, a base delay and random loss, and a receiver
 * that sends TWCC feedback every 50 ms. Deterministic from its seed.
 */
import { BandwidthEstimator, type Estimate, type EstimatorLimits, type PacketReport } from './bandwidthEstimator.ts';

export type LinkPhase = { untilMs: number; capacityKbps: number; lossRate?: number; baseDelayMs?: number };
export type SimSample = { atMs: number; targetKbps: number; sentKbps: number; queueMs: number; estimate: Estimate };

const PACKET_BYTES = 1200;
const FRAME_MS = 1000 / 30;
const FEEDBACK_MS = 50;

/** mulberry32: small, seeded, good enough for loss draws. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulate(limits: EstimatorLimits, phases: readonly LinkPhase[], seed = 1): SimSample[] {
  const est = new BandwidthEstimator(limits);
  const rand = seeded(seed);
  const endMs = phases[phases.length - 1]?.untilMs ?? 0;
  const phaseAt = (t: number): LinkPhase => phases.find((p) => t < p.untilMs) ?? (phases[phases.length - 1] as LinkPhase);
  let target = limits.startKbps;
  let seq = 0;
  let linkFreeAtMs = 0;
  let pending: PacketReport[] = [];
  let nextFeedbackMs = FEEDBACK_MS;
  let sentBytesWindow = 0;
  let lastQueueMs = 0;
  const samples: SimSample[] = [];
  let last: Estimate | undefined;
  for (let frameAt = 0; frameAt < endMs; frameAt += FRAME_MS) {
    const phase = phaseAt(frameAt);
    const frameBytes = (target * 1000) / 8 / 30;
    const packets = Math.max(1, Math.round(frameBytes / PACKET_BYTES));
    for (let k = 0; k < packets; k++) {
      const sentAt = frameAt + k * 0.2; // a little pacing within the frame
      seq = (seq + 1) & 0xffff;
      est.onPacketSent(seq, PACKET_BYTES, sentAt);
      sentBytesWindow += PACKET_BYTES;
      const serviceMs = (PACKET_BYTES * 8) / phase.capacityKbps;
      const start = Math.max(sentAt, linkFreeAtMs);
      lastQueueMs = start - sentAt;
      // A queue past 1 s is full: the packet is dropped at its tail and takes no link time.
      const tailDrop = lastQueueMs > 1000;
      if (!tailDrop) linkFreeAtMs = start + serviceMs;
      const lost = tailDrop || rand() < (phase.lossRate ?? 0);
      pending.push({ seq, received: !lost, receivedAtMs: linkFreeAtMs + (phase.baseDelayMs ?? 20) });
    }
    while (frameAt >= nextFeedbackMs) {
      const now = nextFeedbackMs + (phase.baseDelayMs ?? 20);
      const due = pending.filter((p) => !p.received || p.receivedAtMs <= nextFeedbackMs);
      pending = pending.filter((p) => p.received && p.receivedAtMs > nextFeedbackMs);
      last = est.onFeedback(due, now, 2 * (phase.baseDelayMs ?? 20) + lastQueueMs, target);
      target = last.targetKbps;
      nextFeedbackMs += FEEDBACK_MS;
    }
    if (last && Math.floor(frameAt / 100) !== Math.floor((frameAt + FRAME_MS) / 100)) {
      samples.push({ atMs: frameAt, targetKbps: target, sentKbps: (sentBytesWindow * 8) / 100, queueMs: lastQueueMs, estimate: last });
      sentBytesWindow = 0;
    }
  }
  return samples;
}

/**
 * Reads a TWCC feedback (RTCP transport-cc, draft-holmer-rmcat-transport-wide-cc-extensions)
 * as werift parsed it into per-packet reports. werift's own `packetResults`
 * cannot be used: it skips status-vector chunks (so sequence numbers slip
 * as soon as Chromium sends one) and truncates every receive delta to whole
 * milliseconds before summing them (so arrival times drift by up to 1 ms a
 * packet). Here every chunk kind is read and deltas are summed in µs.
 */
import type { PacketReport } from './bandwidthEstimator.ts';

/** The fields of werift's TransportWideCC this reads (after deSerialize: deltas in µs). */
export type TwccFeedback = {
  baseSequenceNumber: number;
  packetStatusCount: number;
  /** 24 bits, in multiples of 64 ms. */
  referenceTime: number;
  packetChunks: readonly ({ runLength: number; packetStatus: number } | { symbolList: readonly number[] })[];
  recvDeltas: readonly { delta: number }[];
};

/** Packet status symbols: 0 not received, 1 small delta, 2 large (or negative) delta. */
const RECEIVED_SMALL = 1;
const RECEIVED_LARGE = 2;

export function twccReports(fb: TwccFeedback, max: number): PacketReport[] {
  const count = Math.min(fb.packetStatusCount, max);
  const statuses: number[] = [];
  for (const chunk of fb.packetChunks) {
    if (statuses.length >= count) break;
    if ('runLength' in chunk) {
      for (let i = 0; i < chunk.runLength && statuses.length < count; i++) statuses.push(chunk.packetStatus);
    } else {
      for (const s of chunk.symbolList) if (statuses.length < count) statuses.push(s);
    }
  }
  const reports: PacketReport[] = [];
  let arrivalUs = fb.referenceTime * 64_000;
  let d = 0;
  for (let i = 0; i < statuses.length; i++) {
    const seq = (fb.baseSequenceNumber + i) & 0xffff;
    const status = statuses[i];
    if (status === RECEIVED_SMALL || status === RECEIVED_LARGE) {
      const delta = fb.recvDeltas[d++];
      if (!delta || !Number.isFinite(delta.delta)) break; // a report shorter than its statuses: stop where it ends
      arrivalUs += delta.delta;
      reports.push({ seq, received: true, receivedAtMs: arrivalUs / 1000 });
    } else {
      reports.push({ seq, received: false, receivedAtMs: Number.NaN });
    }
  }
  return reports;
}

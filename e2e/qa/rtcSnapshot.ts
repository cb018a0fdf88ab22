/**
 * Picks the receiving video stream's cumulative counters out of one
 * RTCPeerConnection.getStats() report (W3C webrtc-stats: RTCInboundRtpStreamStats,
 * RTCCodecStats, RTCIceCandidatePairStats). Pure, with no runtime imports, so the
 * in-page sampler bundles it as is; Node tests feed it fixtures.
 */
import type { RtcSnapshot } from './samples.ts';

type Entry = Record<string, unknown>;

const num = (e: Entry | undefined, key: string): number | undefined => {
  const v = e?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const str = (e: Entry | undefined, key: string): string | undefined => {
  const v = e?.[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};

const COUNTERS = [
  'bytesReceived',
  'packetsReceived',
  'packetsLost',
  'nackCount',
  'pliCount',
  'firCount',
  'framesReceived',
  'framesDecoded',
  'framesDropped',
  'keyFramesDecoded',
  'jitterBufferDelay',
  'jitterBufferEmittedCount',
  'totalDecodeTime',
  'freezeCount',
  'totalFreezesDuration',
  'frameWidth',
  'frameHeight',
] as const;

/** The snapshot of the report's busiest inbound video stream, or undefined when it has none yet. */
export function rtcSnapshot(report: Iterable<unknown>, t: number, pc: number): RtcSnapshot | undefined {
  const entries: Entry[] = [];
  const byId = new Map<string, Entry>();
  for (const v of report) {
    if (typeof v !== 'object' || v === null) continue;
    const e = v as Entry;
    entries.push(e);
    const id = str(e, 'id');
    if (id) byId.set(id, e);
  }
  let video: Entry | undefined;
  for (const e of entries) {
    if (e.type !== 'inbound-rtp' || (e.kind !== 'video' && e.mediaType !== 'video')) continue;
    if (!video || (num(e, 'bytesReceived') ?? 0) > (num(video, 'bytesReceived') ?? 0)) video = e;
  }
  if (!video) return undefined;
  const snap: RtcSnapshot = { t, pc };
  for (const key of COUNTERS) {
    const v = num(video, key);
    if (v !== undefined) snap[key] = v;
  }
  const codecId = str(video, 'codecId');
  const mime = str(codecId ? byId.get(codecId) : undefined, 'mimeType');
  if (mime) snap.codec = mime.replace(/^video\//i, '');
  const decoder = str(video, 'decoderImplementation');
  if (decoder) snap.decoderImplementation = decoder;
  // The transport's selected pair; else a nominated, succeeded one.
  let pair: Entry | undefined;
  for (const e of entries) {
    const id = e.type === 'transport' ? str(e, 'selectedCandidatePairId') : undefined;
    if (id && byId.get(id)) pair = byId.get(id);
  }
  pair ??= entries.find((e) => e.type === 'candidate-pair' && e.nominated === true && e.state === 'succeeded');
  const rtt = num(pair, 'currentRoundTripTime');
  if (rtt !== undefined) snap.rttMs = Math.round(rtt * 10_000) / 10;
  return snap;
}

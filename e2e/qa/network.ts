/**
 * Network and decoder figures of a window, from the sampler's cumulative
 * getStats() snapshots: every counter is the sum of its increases between
 * consecutive snapshots of the same peer connection, so a reconnect (a new
 * connection starting from zero) neither goes negative nor is lost.
 * Definitions follow W3C webrtc-stats (RTCInboundRtpStreamStats).
 */
import type { RtcSnapshot } from './samples.ts';
import { must } from '../../protocol/must.ts';

export type NetworkFigures = {
  /** Mean received video bitrate over the window. */
  bitrateKbps: number | null;
  packetsReceived: number | null;
  packetsLost: number | null;
  /** packetsLost / (packetsLost + packetsReceived), in percent. */
  lossPercent: number | null;
  nackCount: number | null;
  pliCount: number | null;
  firCount: number | null;
  framesDropped: number | null;
  /** jitterBufferDelay / jitterBufferEmittedCount over the window: mean time a frame waited in the jitter buffer. */
  jitterBufferMs: number | null;
  /** totalDecodeTime / framesDecoded over the window. */
  decodeMsPerFrame: number | null;
  decodedFps: number | null;
  /** Chromium's own freeze counting (webrtc-stats freezeCount, totalFreezesDuration). */
  rtcFreezeCount: number | null;
  rtcFreezesMs: number | null;
  rttMs: number | null;
};

type Counter = Exclude<keyof RtcSnapshot, 't' | 'pc' | 'codec' | 'decoderImplementation' | 'rttMs' | 'frameWidth' | 'frameHeight'>;

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** The snapshots that bracket [start, end]: the last one at or before start through the first at or after end. */
export function bracket(snaps: readonly RtcSnapshot[], start: number, end: number): RtcSnapshot[] {
  const sorted = [...snaps].sort((a, b) => a.t - b.t);
  let from = 0;
  for (let i = 0; i < sorted.length; i++) if (must(sorted[i], 'sorted[i]').t <= start) from = i;
  let to = sorted.length - 1;
  for (let i = sorted.length - 1; i >= 0; i--) if (must(sorted[i], 'sorted[i]').t >= end) to = i;
  return sorted.slice(from, to + 1);
}

/** Sum of a counter's increases across the snapshots (a new connection counts from zero). */
export function increase(snaps: readonly RtcSnapshot[], key: Counter): number | null {
  let total = 0;
  let seen = false;
  for (let i = 1; i < snaps.length; i++) {
    const cur = must(snaps[i], 'snaps[i]');
    const v = cur[key];
    if (v === undefined) continue;
    // Per connection: find this connection's previous snapshot.
    let prev: RtcSnapshot | undefined;
    for (let j = i - 1; j >= 0; j--) {
      if (must(snaps[j], 'snaps[j]').pc === cur.pc) {
        prev = snaps[j];
        break;
      }
    }
    const before = prev?.[key];
    seen = true;
    if (before === undefined) {
      if (prev === undefined) total += v; // a connection that started inside the window
      continue;
    }
    if (v > before) total += v - before;
  }
  return seen ? total : null;
}

/** Figures for the window [start, end]; null where the browser reported nothing. */
export function networkFigures(snaps: readonly RtcSnapshot[], start: number, end: number): NetworkFigures {
  const s = bracket(snaps, start, end);
  const first = s[0];
  const last = s[s.length - 1];
  const spanMs = first && last ? last.t - first.t : 0;
  const inc = (k: Counter) => (s.length >= 2 ? increase(s, k) : null);
  const ratio = (a: number | null, b: number | null, scale: number) => (a !== null && b !== null && b > 0 ? round1((a / b) * scale) : null);
  const bytes = inc('bytesReceived');
  const received = inc('packetsReceived');
  const lost = inc('packetsLost');
  const decoded = inc('framesDecoded');
  const rtts = s.map((x) => x.rttMs).filter((v): v is number => v !== undefined);
  return {
    bitrateKbps: bytes !== null && spanMs > 0 ? Math.round((bytes * 8) / spanMs) : null,
    packetsReceived: received,
    packetsLost: lost,
    lossPercent: lost !== null && received !== null && lost + received > 0 ? Math.round((lost / (lost + received)) * 10_000) / 100 : null,
    nackCount: inc('nackCount'),
    pliCount: inc('pliCount'),
    firCount: inc('firCount'),
    framesDropped: inc('framesDropped'),
    jitterBufferMs: ratio(inc('jitterBufferDelay'), inc('jitterBufferEmittedCount'), 1000),
    decodeMsPerFrame: ratio(inc('totalDecodeTime'), decoded, 1000),
    decodedFps: decoded !== null && spanMs > 0 ? round1((decoded * 1000) / spanMs) : null,
    rtcFreezeCount: inc('freezeCount'),
    rtcFreezesMs: (() => {
      const v = inc('totalFreezesDuration');
      return v === null ? null : Math.round(v * 1000);
    })(),
    rttMs: rtts.length ? round1(rtts.reduce((a, b) => a + b, 0) / rtts.length) : null,
  };
}

/** Per-interval [second, kbps, decoded fps] between consecutive snapshots of the same connection, seconds from `start`. */
export function rtcTimeline(snaps: readonly RtcSnapshot[], start: number, end: number): Array<[number, number | null, number | null]> {
  const sorted = [...snaps].filter((x) => x.t >= start && x.t <= end + 1000).sort((a, b) => a.t - b.t);
  const out: Array<[number, number | null, number | null]> = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = must(sorted[i - 1], 'sorted[i - 1]');
    const b = must(sorted[i], 'sorted[i]');
    const dt = b.t - a.t;
    if (a.pc !== b.pc || dt <= 0) continue;
    const kbps = a.bytesReceived !== undefined && b.bytesReceived !== undefined ? Math.round(((b.bytesReceived - a.bytesReceived) * 8) / dt) : null;
    const fps = a.framesDecoded !== undefined && b.framesDecoded !== undefined ? round1(((b.framesDecoded - a.framesDecoded) * 1000) / dt) : null;
    out.push([Math.round(b.t - start) / 1000, kbps, fps]);
  }
  return out;
}

/**
 * Turns RTCPeerConnection.getStats() reports into the player's stats
 * figures. Pure: takes the report's entries as plain objects, so tests feed
 * it fixtures and the page feeds it the real report.
 */

import type { BitrateInfo } from '../protocol/signalling.ts';

/** What the stats overlay shows and `window.edgeplay.stats` exposes, refreshed once a second. */
export type PlayerStats = {
  /** Date.now() when these figures were taken. */
  atMs: number;
  width?: number;
  height?: number;
  codec?: string;
  decoderImplementation?: string;
  /** Frames presented per second (requestVideoFrameCallback), over the last interval. */
  presentedFps?: number;
  /** Frames decoded per second (inbound-rtp framesDecoded delta). */
  decodedFps?: number;
  /** Video bitrate over the last interval, from bytesReceived. */
  bitrateKbps?: number;
  /** ICE candidate pair currentRoundTripTime, in ms. */
  rttMs?: number;
  packetsLost?: number;
  packetsReceived?: number;
  /** Mean jitter-buffer delay of frames emitted over the last interval (cumulative mean before there is one). */
  jitterBufferMs?: number;
  framesDropped?: number;
  freezeCount?: number;
  totalFreezesDurationMs?: number;
  nackCount?: number;
  pliCount?: number;
  keyFramesDecoded?: number;
  /** Glass-to-glass latency percentiles over the last ~2 s of stamped frames. */
  g2gP50Ms?: number;
  g2gP95Ms?: number;
  g2gSamples: number;
  inputToPhotonLastMs?: number;
  inputToPhotonP50Ms?: number;
  /** The edge's congestion control: the encoder's rate and the sender's estimate. */
  sender?: BitrateInfo;
  /** Seconds of play left, when the session has a limit and the first picture has been shown. */
  remainingSeconds?: number;
  /** The edge serving the session, its region, and how often the session moved to another edge. */
  edgeId?: string;
  edgeRegion?: string;
  resumes?: number;
};

/** The WebRTC-derived part of PlayerStats plus the counters needed for the next delta. */
export type RtcFigures = Omit<
  PlayerStats,
  | 'atMs'
  | 'presentedFps'
  | 'g2gP50Ms'
  | 'g2gP95Ms'
  | 'g2gSamples'
  | 'inputToPhotonLastMs'
  | 'inputToPhotonP50Ms'
  | 'remainingSeconds'
  | 'edgeId'
  | 'edgeRegion'
  | 'resumes'
>;

export type RtcCounters = {
  atMs: number;
  bytesReceived: number;
  framesDecoded?: number;
  jitterBufferDelay?: number;
  jitterBufferEmittedCount?: number;
};

type Entry = Record<string, unknown>;

const isEntry = (v: unknown): v is Entry => typeof v === 'object' && v !== null;
const num = (e: Entry | undefined, key: string): number | undefined => {
  const v = e?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const str = (e: Entry | undefined, key: string): string | undefined => {
  const v = e?.[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};
const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Picks the selected candidate pair: the transport's selectedCandidatePairId, else a nominated succeeded pair. */
function selectedPair(entries: readonly Entry[], byId: Map<string, Entry>): Entry | undefined {
  for (const e of entries) {
    if (e.type !== 'transport') continue;
    const id = str(e, 'selectedCandidatePairId');
    const pair = id ? byId.get(id) : undefined;
    if (pair) return pair;
  }
  return entries.find((e) => e.type === 'candidate-pair' && e.nominated === true && e.state === 'succeeded');
}

/**
 * Summarises one getStats() report. `prev` is the counters returned by the
 * previous call (for rates); `nowMs` is the caller's clock (Date.now()).
 */
export function summariseRtcStats(
  report: Iterable<unknown>,
  prev: RtcCounters | undefined,
  nowMs: number,
): { figures: RtcFigures; counters: RtcCounters | undefined } {
  const entries: Entry[] = [];
  const byId = new Map<string, Entry>();
  for (const v of report) {
    if (!isEntry(v)) continue;
    entries.push(v);
    const id = str(v, 'id');
    if (id) byId.set(id, v);
  }
  const figures: RtcFigures = {};
  const pair = selectedPair(entries, byId);
  const rtt = num(pair, 'currentRoundTripTime');
  if (rtt !== undefined) figures.rttMs = round1(rtt * 1000);

  const video = entries.find((e) => e.type === 'inbound-rtp' && (e.kind === 'video' || e.mediaType === 'video'));
  if (!video) return { figures, counters: undefined };

  const set = <K extends keyof RtcFigures>(key: K, value: RtcFigures[K] | undefined): void => {
    if (value !== undefined) figures[key] = value;
  };
  set('width', num(video, 'frameWidth'));
  set('height', num(video, 'frameHeight'));
  set('decoderImplementation', str(video, 'decoderImplementation'));
  const codecId = str(video, 'codecId');
  const mime = str(codecId ? byId.get(codecId) : undefined, 'mimeType');
  set('codec', mime?.replace(/^video\//i, ''));
  set('packetsLost', num(video, 'packetsLost'));
  set('packetsReceived', num(video, 'packetsReceived'));
  set('framesDropped', num(video, 'framesDropped'));
  set('freezeCount', num(video, 'freezeCount'));
  const freezes = num(video, 'totalFreezesDuration');
  if (freezes !== undefined) figures.totalFreezesDurationMs = Math.round(freezes * 1000);
  set('nackCount', num(video, 'nackCount'));
  set('pliCount', num(video, 'pliCount'));
  set('keyFramesDecoded', num(video, 'keyFramesDecoded'));

  const counters: RtcCounters = { atMs: nowMs, bytesReceived: num(video, 'bytesReceived') ?? 0 };
  const framesDecoded = num(video, 'framesDecoded');
  const jbDelay = num(video, 'jitterBufferDelay');
  const jbCount = num(video, 'jitterBufferEmittedCount');
  if (framesDecoded !== undefined) counters.framesDecoded = framesDecoded;
  if (jbDelay !== undefined) counters.jitterBufferDelay = jbDelay;
  if (jbCount !== undefined) counters.jitterBufferEmittedCount = jbCount;

  const dtMs = prev ? nowMs - prev.atMs : 0;
  if (prev && dtMs > 0) {
    const bytes = counters.bytesReceived - prev.bytesReceived;
    if (bytes >= 0) figures.bitrateKbps = Math.round((bytes * 8) / dtMs);
    if (framesDecoded !== undefined && prev.framesDecoded !== undefined && framesDecoded >= prev.framesDecoded)
      figures.decodedFps = round1(((framesDecoded - prev.framesDecoded) * 1000) / dtMs);
  }
  if (figures.decodedFps === undefined) set('decodedFps', num(video, 'framesPerSecond'));

  if (jbDelay !== undefined && jbCount !== undefined) {
    const dCount = prev?.jitterBufferEmittedCount !== undefined ? jbCount - prev.jitterBufferEmittedCount : 0;
    const dDelay = prev?.jitterBufferDelay !== undefined ? jbDelay - prev.jitterBufferDelay : 0;
    if (dCount > 0 && dDelay >= 0) figures.jitterBufferMs = round1((dDelay / dCount) * 1000);
    else if (jbCount > 0) figures.jitterBufferMs = round1((jbDelay / jbCount) * 1000);
  }
  return { figures, counters };
}

const ms = (v: number | undefined): string => (v === undefined ? '–' : `${Math.round(v)} ms`);
const n = (v: number | undefined, unit = ''): string => (v === undefined ? '–' : `${v}${unit}`);
const clock = (s: number): string => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/** The overlay's lines, label and value. */
export function formatStats(s: PlayerStats | undefined): Array<[string, string]> {
  if (!s) return [['stats', 'waiting…']];
  const rows: Array<[string, string]> = [
    ['resolution', s.width && s.height ? `${s.width}×${s.height}` : '–'],
    ['fps (presented / decoded)', `${n(s.presentedFps)} / ${n(s.decodedFps)}`],
    ['bitrate', n(s.bitrateKbps, ' kbps')],
    ['RTT', ms(s.rttMs)],
    ['packets lost', `${n(s.packetsLost)}${s.packetsReceived !== undefined ? ` of ${s.packetsReceived}` : ''}`],
    ['jitter buffer', ms(s.jitterBufferMs)],
    ['codec / decoder', `${s.codec ?? '–'} / ${s.decoderImplementation ?? '–'}`],
    ['glass-to-glass p50 (2 s)', s.g2gP50Ms === undefined ? '–' : `${ms(s.g2gP50Ms)} (p95 ${ms(s.g2gP95Ms)}, n=${s.g2gSamples})`],
    ['input-to-photon last / p50', `${ms(s.inputToPhotonLastMs)} / ${ms(s.inputToPhotonP50Ms)}`],
    ['freezes / dropped', `${n(s.freezeCount)} (${ms(s.totalFreezesDurationMs)}) / ${n(s.framesDropped)}`],
    ['NACK / PLI', `${n(s.nackCount)} / ${n(s.pliCount)}`],
  ];
  if (s.sender) {
    const c = s.sender;
    rows.push(['sender rate (rung) / estimate', `${c.rungKbps} kbps (${c.rung}) / ${c.estimateKbps} kbps`]);
    rows.push(['acked / loss / queue', `${c.ackedKbps} kbps / ${c.lossPercent} % / ${c.queueMs} ms (${c.limitedBy})`]);
  }
  if (s.remainingSeconds !== undefined) rows.push(['time left', clock(Math.max(0, s.remainingSeconds))]);
  if (s.edgeId !== undefined) rows.push(['edge', s.edgeRegion ? `${s.edgeId} (${s.edgeRegion})` : s.edgeId]);
  if (s.resumes) rows.push(['moved to another edge', `${s.resumes}×`]);
  return rows;
}

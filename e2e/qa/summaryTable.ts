/**
 * The summary of a report as label/value rows: printed by the CLI and shown
 * as the HTML report's table, so both say the same thing the same way.
 */
import type { LatencyResult } from './result.ts';
import type { Freezes, Summary } from './stats.ts';

const ms = (v: number | null): string => (v === null ? '–' : `${v} ms`);
const val = (v: number | string | null, unit = ''): string => (v === null ? '–' : `${v}${unit}`);
const pcts = (s: Summary): string => (s.n === 0 ? 'no samples' : `p50 ${ms(s.p50)} · p95 ${ms(s.p95)} · p99 ${ms(s.p99)} · max ${ms(s.max)} (n=${s.n})`);
const freezes = (f: Freezes): string => (f.count === 0 ? 'none' : `${f.count}, ${f.totalMs} ms in all (longest ${f.longestMs} ms)`);

export function summaryRows(r: LatencyResult): Array<[string, string]> {
  const n = r.network;
  const s = r.session;
  return [
    ['first picture', r.firstPictureMs === null ? 'not seen' : `${r.firstPictureMs} ms after navigation`],
    ['glass-to-glass', pcts(r.glassToGlassMs)],
    ['input-to-photon', `${pcts(r.inputToPhotonMs)}; ${r.inputToPhotonMs.inputsSeen} of ${r.inputToPhotonMs.inputsSent} inputs seen`],
    ['fps presented / decoded', `${r.fps.presented} / ${val(r.fps.decoded)}`],
    ['freezes > 100 ms', freezes(r.freezes.over100ms)],
    ['freezes > 250 ms', freezes(r.freezes.over250ms)],
    ['stamp decoded', r.stamp.decodeRate === null ? 'no stamped frame' : `${(r.stamp.decodeRate * 100).toFixed(1)} % of ${r.stamp.framesRead} frames`],
    ['bitrate', val(n.bitrateKbps, ' kbps')],
    ['packets lost', n.packetsLost === null ? '–' : `${n.packetsLost} of ${val(n.packetsReceived)} received (${val(n.lossPercent, ' %')})`],
    ['NACK / PLI / FIR', `${val(n.nackCount)} / ${val(n.pliCount)} / ${val(n.firCount)}`],
    ['jitter buffer', ms(n.jitterBufferMs)],
    ['decode time per frame', ms(n.decodeMsPerFrame)],
    ['frames dropped', val(n.framesDropped)],
    ["browser's freeze count", n.rtcFreezeCount === null ? '–' : `${n.rtcFreezeCount} (${val(n.rtcFreezesMs, ' ms')})`],
    ['round-trip time', ms(n.rttMs)],
    ['encoder / edge', `${val(s.encoder)} / ${val(s.edgeId)}`],
    ['codec / decoder / size', `${val(s.codec)} / ${val(s.decoder)} / ${s.width && s.height ? `${s.width}×${s.height}` : '–'}`],
  ];
}

/** Rows as aligned plain text. */
export function formatRows(rows: ReadonlyArray<[string, string]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

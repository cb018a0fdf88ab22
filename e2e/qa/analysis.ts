/**
 * Turns what the sampler collected into a LatencyResult. Pure: the probe
 * passes everything it drained plus the window, tests pass fixed samples.
 *
 * Input-to-photon (spec: latency-stamp.md, "Reading"): row 1 carries the
 * client's Date.now() of the latest input the source applied. The sampler
 * saw each keyboard event in a capture-phase listener that runs just before
 * the page's own, so its time equals the client's `ts` to within a
 * millisecond or two. The first presented frame whose row 1 changes to a
 * value within INPUT_MATCH_MS of a recorded input yields one sample:
 * presentation time minus row 1.
 */
import { networkFigures, rtcTimeline } from './network.ts';
import type { LatencyResult } from './result.ts';
import type { PageSession, RtcSnapshot, SampledFrame, SampledInput } from './samples.ts';
import { detectFreezes, fpsTimeline, presentedFps, summarize } from './stats.ts';
import { must } from '../../protocol/must.ts';

export const INPUT_MATCH_MS = 2;

export type I2pSample = { t: number; ms: number; input: number };

/**
 * Input-to-photon samples from frames (in presentation order) and inputs.
 * Each input matches at most once: a value that stays in row 1 over many
 * frames counts only on its first frame.
 */
export function matchInputs(frames: readonly SampledFrame[], inputs: readonly SampledInput[], toleranceMs = INPUT_MATCH_MS): I2pSample[] {
  const used = new Set<number>();
  const out: I2pSample[] = [];
  let lastRow1: number | undefined;
  for (const f of frames) {
    if (f.row1 === undefined || f.row1 === lastRow1) continue;
    lastRow1 = f.row1;
    if (f.row1 === 0) continue;
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      const d = Math.abs(must(inputs[i], 'inputs[i]').t - f.row1);
      if (d <= toleranceMs && !used.has(i) && (best < 0 || d < Math.abs(must(inputs[best], 'inputs[best]').t - f.row1))) best = i;
    }
    if (best < 0) continue;
    used.add(best);
    out.push({ t: f.t, ms: f.t - f.row1, input: best });
  }
  return out;
}

export type AnalysisInput = {
  frames: readonly SampledFrame[];
  /** Inputs sent inside the window. */
  inputs: readonly SampledInput[];
  rtc: readonly RtcSnapshot[];
  windowStart: number;
  windowEnd: number;
  /** When navigation started (Date.now() before page.goto, or the document's timeOrigin) and the first frame was shown. */
  navigationAt?: number;
  firstFrameAt?: number;
  session?: PageSession;
  warnings?: string[];
};

const at3 = (t: number, start: number): number => Math.round(t - start) / 1000;

export function analyse(a: AnalysisInput): LatencyResult {
  const { windowStart: start, windowEnd: end } = a;
  const inWindow = a.frames.filter((f) => f.t >= start && f.t <= end);
  const read = inWindow.filter((f) => f.read);
  const valid = read.filter((f) => f.row0 !== undefined);
  const g2g = valid.map((f) => [at3(f.t, start), f.t - must(f.row0, 'f.row0')] as [number, number]);
  // Frames after the window still count for inputs sent inside it (their photons arrive later).
  const i2p = matchInputs(a.frames, a.inputs);
  const net = networkFigures(a.rtc, start, end);
  const lastRtc = [...a.rtc].reverse().find((s) => s.codec || s.decoderImplementation);
  const last = inWindow[inWindow.length - 1];
  const warnings = [...(a.warnings ?? [])];
  if (inWindow.length === 0) warnings.push('no frame was presented during the measurement');
  if (a.rtc.length === 0) warnings.push('no getStats figures: the page created no RTCPeerConnection after the probe was attached');
  if (a.inputs.length > 0 && i2p.length < a.inputs.length / 2)
    warnings.push(`only ${i2p.length} of ${a.inputs.length} inputs showed up in the stamp's row 1: does this stream echo input times?`);
  return {
    firstPictureMs: a.navigationAt !== undefined && a.firstFrameAt !== undefined ? a.firstFrameAt - a.navigationAt : null,
    window: { startedAt: new Date(start).toISOString(), seconds: Math.round(end - start) / 1000 },
    stamp: { framesRead: read.length, framesValid: valid.length, decodeRate: read.length ? Math.round((valid.length / read.length) * 1000) / 1000 : null },
    glassToGlassMs: summarize(g2g.map(([, ms]) => ms)),
    inputToPhotonMs: { ...summarize(i2p.map((s) => s.ms)), inputsSent: a.inputs.length, inputsSeen: i2p.length },
    fps: { presented: presentedFps(inWindow, start, end), decoded: net.decodedFps },
    freezes: { over100ms: detectFreezes(inWindow, start, end, 100), over250ms: detectFreezes(inWindow, start, end, 250) },
    network: net,
    session: {
      encoder: a.session?.encoder ?? null,
      edgeId: a.session?.edgeId ?? null,
      sessionId: a.session?.sessionId ?? null,
      codec: lastRtc?.codec ?? a.session?.codec ?? null,
      decoder: lastRtc?.decoderImplementation ?? null,
      width: last?.w ?? a.session?.width ?? null,
      height: last?.h ?? a.session?.height ?? null,
    },
    timeline: {
      g2g,
      inputToPhoton: i2p.map((s) => [at3(s.t, start), s.ms]),
      presentedFps: fpsTimeline(inWindow, start, end),
      rtc: rtcTimeline(a.rtc, start, end),
    },
    warnings,
  };
}

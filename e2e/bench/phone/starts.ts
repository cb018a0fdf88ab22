/**
 * Step 1: time from tapping "Open" to the first picture.
 *   - cold: the instance is stopped; the edge starts Xvfb, PulseAudio,
 *     Chromium on the instance's profile, the capture and the encoders;
 *   - resume: the instance runs (its handset tab was closed, within the
 *     grace period); a new tab opens it again and gets a fresh ticket.
 * Every time is ms after the tap (the Open button's click on the handset):
 * placed = the app's /open and placement answered (the edge has prepared
 * the session by then, see FleetBroker.place); edge ready = the edge logged
 * "phone running" (Chromium up, the shell attached); connected = WebRTC
 * connected; first frame = the first presented frame; first phone picture =
 * the first presented frame whose latency stamp reads, i.e. the shell itself
 * rather than the display before Chromium painted it.
 */
import type { Bench } from './bench.ts';
import { load, stopPhone } from './bench.ts';
import { Handset } from './handset.ts';
import { edgeStart, parseLog, type EdgeStart } from './serverLog.ts';
import { waitUntil } from './tracker.ts';

export type StartSample = {
  kind: 'cold' | 'resume';
  rep: number;
  /** The instance's very first start: Chromium creates its profile. */
  freshProfile: boolean;
  sessionId?: string;
  /** ms after the tap. */
  placedMs?: number;
  edgeSessionReadyMs?: number;
  edgeReadyMs?: number;
  connectedMs?: number;
  firstFrameMs?: number;
  firstPhoneFrameMs?: number;
  /** The phone source's own split (ms since it started), from the edge's log. */
  source?: Pick<EdgeStart, 'sourceFirstFrameMs' | 'devToolsMs' | 'attachedMs'>;
  encoder?: string;
  video?: string;
  loadavg: number[];
};

const OPEN_TIMEOUT_MS = 45_000;

const since = (t: number | undefined, t0: number): number | undefined => (t === undefined ? undefined : t - t0);

/** Taps Open on a fresh handset and measures until the phone's picture shows. The handset stays open. */
export async function timedOpen(
  b: Bench,
  instanceId: string,
  kind: StartSample['kind'],
  rep: number,
  freshProfile: boolean,
  timeoutMs = OPEN_TIMEOUT_MS,
): Promise<{ sample: StartSample; handset: Handset }> {
  const h = await Handset.open(b.browser, b.appUrl, b.opts.splitAudio);
  try {
    const loadavg = load();
    await h.tapOpen(instanceId);
    const shown = await h.waitForPhone(timeoutMs);
    const tap = h.opens.find((o) => o.instanceId === instanceId)?.t;
    if (tap === undefined) throw new Error('the tap on Open was not seen by the page');
    const times = await h.sessionTimes();
    // The edge's "phone running" may trail the first frame a little (both follow Chromium's start).
    let edge: EdgeStart = {};
    await waitUntil(() => {
      edge = edgeStart(parseLog(b.stack.output()), times.sessionId);
      return kind === 'resume' || edge.phoneRunningAt !== undefined;
    }, 5_000);
    const sample: StartSample = { kind, rep, freshProfile, loadavg };
    const put = <K extends keyof StartSample>(k: K, v: StartSample[K] | undefined) => {
      if (v !== undefined) sample[k] = v;
    };
    put('sessionId', times.sessionId);
    put('placedMs', since(times.placedAt, tap));
    if (kind === 'cold') {
      put('edgeSessionReadyMs', since(edge.sessionReadyAt, tap));
      put('edgeReadyMs', since(edge.phoneRunningAt, tap));
      const { sourceFirstFrameMs, devToolsMs, attachedMs } = edge;
      sample.source = {
        ...(sourceFirstFrameMs !== undefined ? { sourceFirstFrameMs } : {}),
        ...(devToolsMs !== undefined ? { devToolsMs } : {}),
        ...(attachedMs !== undefined ? { attachedMs } : {}),
      };
    }
    put('connectedMs', since(times.connectedAt, tap));
    put('firstFrameMs', since(shown.firstFrameAt, tap));
    put('firstPhoneFrameMs', since(shown.firstPhoneFrameAt, tap));
    put('encoder', times.encoder);
    put('video', times.video);
    return { sample, handset: h };
  } catch (err) {
    await h.close();
    throw err;
  }
}

const show = (s: StartSample): string =>
  `placed ${s.placedMs ?? '-'} ms${s.edgeReadyMs !== undefined ? `, edge ready ${s.edgeReadyMs} ms` : ''}, connected ${s.connectedMs ?? '-'} ms, first frame ${s.firstFrameMs ?? '-'} ms, phone picture ${s.firstPhoneFrameMs ?? '-'} ms (load ${s.loadavg[0]})`;

/**
 * `reps` cold starts (stopping the instance between them), then `reps`
 * resumes (closing the tab between them). Returns the samples and the last
 * handset, still showing the running phone.
 */
export async function measureStarts(b: Bench, instanceId: string, reps: number): Promise<{ samples: StartSample[]; handset: Handset }> {
  const samples: StartSample[] = [];
  let h: Handset | undefined;
  for (let rep = 1; rep <= reps; rep++) {
    const r = await timedOpen(b, instanceId, 'cold', rep, rep === 1);
    samples.push(r.sample);
    b.log(`  cold start ${rep}/${reps}${rep === 1 ? ' (fresh profile)' : ''}: ${show(r.sample)}`);
    // The tab goes first (a drop); the phone then stops for the next cold start, or keeps running for the resumes.
    await r.handset.close();
    if (rep < reps) await stopPhone(b, instanceId);
  }
  for (let rep = 1; rep <= reps; rep++) {
    await h?.close();
    const r = await timedOpen(b, instanceId, 'resume', rep, false);
    h = r.handset;
    samples.push(r.sample);
    b.log(`  resume ${rep}/${reps}: ${show(r.sample)}`);
  }
  if (!h) throw new Error('no resume was measured');
  return { samples, handset: h };
}

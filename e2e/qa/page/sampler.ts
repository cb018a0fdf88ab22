/**
 * The latency sampler, injected into every page before the page's own
 * scripts (page.addInitScript, bundled by ../samplerScript.ts). It relies on
 * nothing of the player page, so it measures any stream of the product, game
 * or phone, even a page whose own meter is broken:
 *   - wraps RTCPeerConnection to keep each instance, for getStats();
 *   - finds the <video> showing the stream and samples every presented frame
 *     with requestVideoFrameCallback, reading the latency stamp
 *     (docs/latency-stamp.md) from the top 2c rows via a canvas;
 *   - records keyboard events in a capture-phase listener, registered before
 *     the page's, so its Date.now() is the client's input `ts` to the ms.
 * Node drains the bounded buffers through `window.__edgeplayQaSampler.drain()`.
 */
import { readStampRows, stampCellSize } from '../../../protocol/latencyStamp.ts';
import { rtcSnapshot } from '../rtcSnapshot.ts';
import { SAMPLER_GLOBAL } from '../samples.ts';
import type { PageSession, RtcSnapshot, SampledFrame, SampledInput, SamplerDrain } from '../samples.ts';
import { must } from '../../../protocol/must.ts';

const FRAME_CAP = 20_000;
const INPUT_CAP = 5_000;
const RTC_CAP = 3_600;
const STATS_INTERVAL_MS = 1_000;
const FIND_VIDEO_INTERVAL_MS = 250;

type Ctx2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function install(): void {
  const w = window as unknown as Record<string, unknown>;
  if (window !== window.top || w[SAMPLER_GLOBAL]) return;

  const frames: SampledFrame[] = [];
  const inputs: SampledInput[] = [];
  const rtc: RtcSnapshot[] = [];
  let overflowed = 0;
  let firstFrameAt: number | undefined;
  const push = <T>(list: T[], item: T, cap: number): void => {
    if (list.length >= cap) {
      list.shift();
      overflowed++;
    }
    list.push(item);
  };

  // 1. Peer connections, captured as the page creates them.
  const pcs: RTCPeerConnection[] = [];
  const Native = window.RTCPeerConnection;
  if (typeof Native === 'function') {
    class Captured extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        pcs.push(this);
      }
    }
    Object.defineProperty(window, 'RTCPeerConnection', { value: Captured, writable: true, configurable: true });
  }

  // 2. Inputs: capture phase on window runs before any listener the page adds on window or below.
  const onKey = (down: boolean) => (e: KeyboardEvent) => {
    if (!e.repeat) push(inputs, { t: Date.now(), code: e.code, down }, INPUT_CAP);
  };
  window.addEventListener('keydown', onKey(true), { capture: true });
  window.addEventListener('keyup', onKey(false), { capture: true });

  // 3. Frames.
  let video: HTMLVideoElement | undefined;
  let handle: number | undefined;
  let ctx: Ctx2D | undefined;
  let canvasSize = '';

  const context = (width: number, height: number): Ctx2D | undefined => {
    const size = `${width}x${height}`;
    if (ctx && canvasSize === size) return ctx;
    const settings: CanvasRenderingContext2DSettings = { willReadFrequently: true, alpha: false };
    if (typeof OffscreenCanvas === 'function') {
      ctx = new OffscreenCanvas(width, height).getContext('2d', settings) ?? undefined;
    } else {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      ctx = canvas.getContext('2d', settings) ?? undefined;
    }
    canvasSize = size;
    return ctx;
  };

  const onFrame = (_now: DOMHighResTimeStamp, meta: VideoFrameCallbackMetadata): void => {
    const v = video;
    if (!v) return;
    handle = v.requestVideoFrameCallback(onFrame);
    const t = Date.now();
    firstFrameAt ??= t;
    const width = v.videoWidth || meta.width;
    const height = v.videoHeight || meta.height;
    const frame: SampledFrame = { t, pf: meta.presentedFrames, w: width, h: height, read: false };
    const c = stampCellSize(width);
    const g = c > 0 && height >= 2 * c ? context(width, 2 * c) : undefined;
    if (g) {
      try {
        g.drawImage(v, 0, 0, width, 2 * c, 0, 0, width, 2 * c);
        const rows = readStampRows(g.getImageData(0, 0, width, 2 * c).data, width, 2 * c);
        frame.read = true;
        if (rows.row0 !== undefined) frame.row0 = rows.row0;
        if (rows.row1 !== undefined) frame.row1 = rows.row1;
      } catch {
        /* no decodable frame at this instant: counted as not read */
      }
    }
    push(frames, frame, FRAME_CAP);
  };

  /** The stream's video: the playing <video> with the largest picture. */
  const findVideo = (): void => {
    let best: HTMLVideoElement | undefined;
    for (const v of Array.from(document.querySelectorAll('video'))) {
      if (v.readyState < 2 || !v.videoWidth) continue;
      if (!best || v.videoWidth * v.videoHeight > best.videoWidth * best.videoHeight) best = v;
    }
    if (!best || best === video) return;
    if (video && handle !== undefined) video.cancelVideoFrameCallback(handle);
    video = best;
    handle = best.requestVideoFrameCallback(onFrame);
  };
  setInterval(findVideo, FIND_VIDEO_INTERVAL_MS);

  // 4. getStats of every open connection, once a second.
  const pollStats = async (): Promise<void> => {
    const t = Date.now();
    for (let i = 0; i < pcs.length; i++) {
      const pc = must(pcs[i], 'pcs[i]');
      if (pc.connectionState === 'closed') continue;
      try {
        const snap = rtcSnapshot((await pc.getStats()).values(), t, i);
        if (snap) push(rtc, snap, RTC_CAP);
      } catch {
        /* closed while asking */
      }
    }
  };
  setInterval(() => void pollStats(), STATS_INTERVAL_MS);

  const session = (): PageSession | undefined => {
    const hook = window.edgeplay;
    if (!hook || typeof hook !== 'object') return undefined;
    const s: PageSession = {};
    if (hook.video?.encoder) s.encoder = hook.video.encoder;
    if (hook.video?.codec) s.codec = hook.video.codec;
    if (hook.video?.width) s.width = hook.video.width;
    if (hook.video?.height) s.height = hook.video.height;
    if (hook.video?.fps) s.fps = hook.video.fps;
    if (hook.edgeId) s.edgeId = hook.edgeId;
    if (hook.sessionId) s.sessionId = hook.sessionId;
    return s;
  };

  const drain = (): SamplerDrain => {
    const out: SamplerDrain = {
      timeOrigin: performance.timeOrigin,
      frames: frames.splice(0),
      inputs: inputs.splice(0),
      rtc: rtc.splice(0),
      overflowed,
      peerConnections: pcs.length,
    };
    if (firstFrameAt !== undefined) out.firstFrameAt = firstFrameAt;
    const s = session();
    if (s) out.session = s;
    return out;
  };
  Object.defineProperty(window, SAMPLER_GLOBAL, { value: { version: 1, drain }, configurable: true });
}

install();

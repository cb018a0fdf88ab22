/**
 * `window.edgeplay`: the page's live state for tests and QA tools
 * (Playwright reads it with page.evaluate). Everything in it is bounded.
 * `document.body.dataset.state` mirrors `state`.
 */
import type { VideoInfo } from '../protocol/signalling.ts';
import type { PlayerStats } from './statsModel.ts';
import { pushBounded } from './samples.ts';

export type PlayerState = 'connecting' | 'playing' | 'ended' | 'error';

/**
 * Error codes: the protocol's ErrorCode values (from the broker or edge),
 * plus the page's own: 'stream-lost', 'timeout', 'network', 'connect-failed',
 * 'bad-response', 'bad-page', 'unsupported', 'webrtc-failed'.
 */
export type EdgeplayHook = {
  state: PlayerState;
  /** 'play' (started from a link) or 'watch' (joined as a viewer). */
  mode?: 'play' | 'watch';
  role?: 'player' | 'viewer';
  sessionId?: string;
  edgeId?: string;
  errorCode?: string;
  message?: string;
  endReason?: string;
  /** performance.now() when the session response arrived / the peer connection first connected / the first frame was presented. */
  sessionAtMs?: number;
  connectedAtMs?: number;
  firstFrameAtMs?: number;
  framesPresented: number;
  stampFramesRead: number;
  stampFramesValid: number;
  /** Glass-to-glass latency of each stamped frame, newest last (at most HOOK_SAMPLE_CAP). */
  g2gMs: number[];
  /** Input-to-photon latency samples, newest last (at most HOOK_SAMPLE_CAP). */
  inputToPhotonMs: number[];
  lastRow0?: number;
  lastRow1?: number;
  inputsSent: number;
  inputsDropped: number;
  video?: VideoInfo;
  stats?: PlayerStats;
};

export const HOOK_SAMPLE_CAP = 2000;

export function createHook(): EdgeplayHook {
  return {
    state: 'connecting',
    framesPresented: 0,
    stampFramesRead: 0,
    stampFramesValid: 0,
    g2gMs: [],
    inputToPhotonMs: [],
    inputsSent: 0,
    inputsDropped: 0,
  };
}

/** Creates the hook and publishes it as `window.edgeplay`. */
export function installHook(win: Window): EdgeplayHook {
  const hook = createHook();
  (win as unknown as { edgeplay: EdgeplayHook }).edgeplay = hook;
  win.document.body.dataset.state = hook.state;
  return hook;
}

export function setHookState(hook: EdgeplayHook, state: PlayerState, doc: Document | undefined): void {
  hook.state = state;
  if (doc?.body) doc.body.dataset.state = state;
}

export const recordG2g = (hook: EdgeplayHook, v: number): void => pushBounded(hook.g2gMs, v, HOOK_SAMPLE_CAP);
export const recordInputToPhoton = (hook: EdgeplayHook, v: number): void => pushBounded(hook.inputToPhotonMs, v, HOOK_SAMPLE_CAP);

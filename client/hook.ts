/**
 * `window.edgeplay`: the page's live state for tests and QA tools
 * (Playwright reads it with page.evaluate). Everything in it is bounded.
 * `document.body.dataset.state` mirrors `state`.
 */
import type { PlacementDecision } from '../protocol/fleet.ts';
import type { BitrateInfo, VideoInfo } from '../protocol/signalling.ts';
import type { PlayerStats } from './statsModel.ts';
import { pushBounded } from './samples.ts';

/**
 * 'reconnecting': the edge was lost and the page is moving the session to another one.
 * 'idle': no session yet (the phone app's instance list; the player page never uses it).
 */
export type PlayerState = 'idle' | 'connecting' | 'playing' | 'reconnecting' | 'ended' | 'error';

/**
 * Error codes: the protocol's ErrorCode values (from the broker or edge),
 * the broker's link codes ('link-revoked', 'link-expired', 'link-used-up'),
 * plus the page's own: 'stream-lost' (also: gave up moving to another edge),
 * 'timeout', 'network', 'connect-failed', 'bad-response', 'gone',
 * 'bad-page', 'unsupported', 'webrtc-failed'.
 */
export type EdgeplayHook = {
  state: PlayerState;
  /** 'play' (started from a link) or 'watch' (joined as a viewer). */
  mode?: 'play' | 'watch';
  role?: 'player' | 'viewer';
  sessionId?: string;
  /** The edge currently serving the session (changes on resume). */
  edgeId?: string;
  /** The broker's latest placement decision (edge, basis, reason). */
  placement?: PlacementDecision;
  /** The latest probe results: RTT per candidate edge id, null = unreachable within the budget. */
  probeRttsMs?: Record<string, number | null>;
  /** The latest spectator link the player asked for (Invite button). */
  spectatorUrl?: string;
  /** Notices the edge sent (e.g. 'input-limited'), in order; the player saw each as a hint. */
  notices?: string[];
  /** Times the session was moved to another edge and the picture came back. */
  resumes: number;
  /** performance.now() when the latest edge loss was noticed / the picture came back after it. */
  lastLossAtMs?: number;
  lastResumeAtMs?: number;
  /** Seconds of play left as the page counts them (the edge is authoritative); undefined = no limit. */
  playSecondsRemaining?: number;
  errorCode?: string;
  message?: string;
  endReason?: string;
  /** performance.now() when the first placement arrived / the peer connection first connected / the first frame was presented. */
  sessionAtMs?: number;
  connectedAtMs?: number;
  firstFrameAtMs?: number;
  /** Frames presented since the page opened; keeps counting across resumes. */
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
  /** The edge's congestion control, as it last reported (rate, estimate, loss, queue). */
  bitrate?: BitrateInfo;
};

export const HOOK_SAMPLE_CAP = 2000;

export function createHook(): EdgeplayHook {
  return {
    state: 'connecting',
    resumes: 0,
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
  win.edgeplay = hook;
  win.document.body.dataset.state = hook.state;
  return hook;
}

export function setHookState(hook: EdgeplayHook, state: PlayerState, doc: Document | undefined): void {
  hook.state = state;
  if (doc?.body) doc.body.dataset.state = state;
}

export const recordG2g = (hook: EdgeplayHook, v: number): void => pushBounded(hook.g2gMs, v, HOOK_SAMPLE_CAP);
export const recordInputToPhoton = (hook: EdgeplayHook, v: number): void => pushBounded(hook.inputToPhotonMs, v, HOOK_SAMPLE_CAP);

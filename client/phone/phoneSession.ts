/**
 * One opened phone instance: open it through the broker, get placed,
 * connect to its edge, show it, take touch and key input, and keep it
 * connected. A phone is not a demo: when the connection drops, the
 * instance is still running on its edge (for its grace period), so the
 * page simply opens it again: `/open` gives a fresh ticket to the same
 * running instance, and the screen is as it was. Retries back off and are
 * bounded (client/reconnectPolicy.ts); a phone that was stopped (by the
 * subscriber elsewhere, its grace period, idleness) is not reconnected.
 *
 * The session reports its end once, through `onOutcome`; `leave()` (the
 * subscriber went back to the list) reports nothing.
 */
import type { GeoPoint } from '../../protocol/fleet.ts';
import type { InputEvent, NavAction } from '../../protocol/input.ts';
import type { ApiFailure, ApiResult } from '../brokerApi.ts';
import { setHookState } from '../hook.ts';
import type { EdgeplayHook } from '../hook.ts';
import type { InputSender } from '../inputChannels.ts';
import type { Placed } from '../placement.ts';
import { DefaultReconnectPolicy, ReconnectEpisode, isResumableEdgeError, isResumableEndReason } from '../reconnectPolicy.ts';
import type { ReconnectPolicy } from '../reconnectPolicy.ts';
import { EdgeConnection } from '../signalling.ts';
import type { Welcome } from '../signalling.ts';
import { STATS_TOGGLE_CODES } from '../statsOverlay.ts';
import { toWebSocketUrl } from '../urls.ts';
import { KeyInput } from './keyInput.ts';
import { isAuthFailure } from './phoneApi.ts';
import type { PhoneApi } from './phoneApi.ts';
import type { EdgeplayPhoneHook } from './phoneHook.ts';
import type { PhoneView } from './phoneView.ts';
import { TouchInput } from './touchInput.ts';

/** A stopped phone boots before its first picture: allow for it. */
export const START_TIMEOUT_MS = 45_000;
/** A reconnect whose picture has not come back this long after connecting counts as failed, and the next one starts. */
export const RECONNECT_ATTEMPT_TIMEOUT_MS = 10_000;
/**
 * Mobile networks drop for longer than a game player would wait, and the
 * instance keeps running meanwhile (minutes of grace): retry for up to a
 * minute, backing off to one try every 5 s.
 */
export const PHONE_RETRY_DELAYS_MS: readonly number[] = [0, 500, 1500, 3000, 5000];
export const PHONE_MAX_RECONNECT_MS = 60_000;

export type SessionOutcome =
  /** The edge ended the session (stopped, grace-expired, idle, a failure of the phone...). */
  | { kind: 'ended'; reason: string; message: string }
  /** It could not be opened, connected or reconnected. */
  | { kind: 'failed'; code: string; message: string }
  /** The broker refused the subscriber's token on the way. */
  | { kind: 'unauthorized'; code: string; message: string };

/**
 * Edge `ended` reasons worth opening the instance again for: the edge went
 * away or dropped this page, but the phone may well still be running.
 */
export const isReconnectableEnd = (reason: string): boolean => isResumableEndReason(reason) || reason === 'connection-lost';

/**
 * Edge refusals worth another /open: a busy or failing edge, or a ticket
 * that lapsed while the page waited (/open issues a fresh one).
 */
export const isReconnectableEdgeError = (code: string): boolean => isResumableEdgeError(code) || code === 'unauthorized';

/** Broker answers after which opening again cannot help: the instance or the account is gone, or the request is wrong. */
const FATAL_OPEN_CODES: ReadonlySet<string> = new Set(['unknown-instance', 'unknown-subscriber', 'bad-request', 'forbidden']);
export const isRetryableOpenFailure = (e: ApiFailure): boolean => !isAuthFailure(e) && !FATAL_OPEN_CODES.has(e.code) && e.status !== 403;

export function outcomeOfApiFailure(e: ApiFailure): SessionOutcome {
  return isAuthFailure(e) ? { kind: 'unauthorized', code: e.code, message: e.message } : { kind: 'failed', code: e.code, message: e.message };
}

export type PhoneSessionDeps = {
  api: PhoneApi;
  instanceId: string;
  instanceName: string;
  where: GeoPoint | undefined;
  hook: EdgeplayHook;
  phoneHook: EdgeplayPhoneHook;
  sender: InputSender;
  view: PhoneView;
  /** Shows a stream in the view (and tells the stamp meter when it is a new one). */
  showStream(stream: MediaStream): void;
  /** The session is over for good; not called after leave(). */
  onOutcome(o: SessionOutcome): void;
  policy?: ReconnectPolicy;
};

export class PhoneSession {
  private conn: EdgeConnection | undefined;
  private episode: ReconnectEpisode | undefined;
  private touch: TouchInput | undefined;
  private keys: KeyInput | undefined;
  private readonly policy: ReconnectPolicy;
  private done = false;
  private startTimer: number | undefined;
  private retryTimer: number | undefined;
  private attemptTimer: number | undefined;

  constructor(private readonly d: PhoneSessionDeps) {
    this.policy = d.policy ?? new DefaultReconnectPolicy(PHONE_RETRY_DELAYS_MS, PHONE_MAX_RECONNECT_MS);
  }

  get peer(): RTCPeerConnection | undefined {
    return this.conn?.pc;
  }

  get finished(): boolean {
    return this.done;
  }

  async start(): Promise<void> {
    this.setState('connecting');
    this.d.view.showOverlay('connecting', `Opening “${this.d.instanceName}”…`, 'Starting your phone if it was stopped.');
    this.startTimer = window.setTimeout(() => this.finish({ kind: 'failed', code: 'timeout', message: '' }), START_TIMEOUT_MS);
    const placed = await this.openAndPlace();
    if (this.done) return;
    if (!placed.ok) return this.finish(outcomeOfApiFailure(placed.error));
    this.d.hook.sessionAtMs = performance.now();
    this.usePlacement(placed.value);
  }

  /** A navigation button of the bar: back, home, recents. */
  nav(action: NavAction): void {
    this.send({ t: 'nav', ts: Date.now(), action });
  }

  /** The subscriber went back to the list: disconnect, the phone keeps running for its grace period. */
  leave(): void {
    if (this.done) return;
    this.d.hook.endReason = 'user-left';
    this.cleanUp('ended');
  }

  /** The first picture of each connection (from the stamp meter). */
  onFirstFrame(): void {
    if (this.done) return;
    const now = performance.now();
    window.clearTimeout(this.startTimer);
    window.clearTimeout(this.attemptTimer);
    if (this.d.hook.state === 'reconnecting') {
      this.episode = undefined;
      this.d.hook.resumes++;
      this.d.hook.lastResumeAtMs = now;
      this.d.phoneHook.reconnects++;
    }
    this.setState('playing');
    this.d.view.hideOverlay();
    this.d.view.releaseStill();
  }

  private send(ev: InputEvent): void {
    if (!this.done) this.d.sender.send(ev);
  }

  private setState(state: 'connecting' | 'playing' | 'reconnecting' | 'ended' | 'error'): void {
    setHookState(this.d.hook, state, document);
  }

  /** /open (starts the instance if it was stopped), then probes and placement, as for a game. */
  private async openAndPlace(): Promise<ApiResult<Placed>> {
    const { api, instanceId, where, hook } = this.d;
    const offer = await api.open(instanceId, where);
    if (!offer.ok) return offer;
    // Left while the broker answered: the caller checks `done` and drops this.
    if (this.done) return { ok: false, error: { code: 'left', message: '' } };
    return api.place(offer.value, where, (rtts) => {
      hook.probeRttsMs = rtts;
    });
  }

  private usePlacement(p: Placed): void {
    const hook = this.d.hook;
    hook.sessionId = p.sessionId;
    if (p.edgeId) hook.edgeId = p.edgeId;
    if (p.placement) hook.placement = p.placement;
    if (p.video && p.video.width > 0) {
      hook.video = p.video;
      this.d.view.setVideoHint(p.video);
    }
    let url: string;
    try {
      url = toWebSocketUrl(p.signalUrl, location.href);
    } catch {
      return this.finish({ kind: 'failed', code: 'bad-response', message: 'The server sent an invalid signalling address.' });
    }
    this.connect(url);
  }

  private connect(url: string): void {
    const conn: EdgeConnection = new EdgeConnection(url, {
      welcome: (w) => this.conn === conn && this.onWelcome(w),
      track: (stream) => this.conn === conn && this.d.showStream(stream),
      channel: (ch) => {
        if (this.conn !== conn) return ch.close();
        this.d.sender.add(ch);
        this.startInput();
      },
      connected: () => {
        if (this.conn !== conn) return;
        this.d.hook.connectedAtMs ??= performance.now();
        if (this.d.hook.state === 'connecting') this.d.view.showOverlay('connecting', 'Connecting…', 'Waiting for the first picture');
      },
      ended: (reason, message) => {
        if (this.conn !== conn) return;
        if (isReconnectableEnd(reason)) this.lost(reason, message);
        else this.finish({ kind: 'ended', reason, message });
      },
      failed: (code, message) => {
        if (this.conn !== conn) return;
        if (isReconnectableEdgeError(code)) this.lost(code, message);
        else this.finish({ kind: 'failed', code, message });
      },
      lost: (code, message) => this.conn === conn && this.lost(code, message),
    });
    this.conn = conn;
  }

  private onWelcome(w: Welcome): void {
    const hook = this.d.hook;
    hook.sessionId = w.sessionId;
    hook.role = w.role;
    if (w.edgeId) hook.edgeId = w.edgeId;
    if (w.video) {
      hook.video = w.video;
      this.d.view.setVideoHint(w.video);
    }
    if (w.role === 'player') this.startInput();
  }

  /** Touch and keys are taken for the session's whole life: while reconnecting the sender simply has no channel. */
  private startInput(): void {
    if (this.touch || this.done || this.d.hook.role === 'viewer') return;
    const view = this.d.view;
    const send = (ev: InputEvent) => this.send(ev);
    this.touch = new TouchInput({ target: view.picture, map: (x, y) => view.mapClient(x, y), send, onGesture: () => view.unmute() });
    this.keys = new KeyInput({ send, textField: view.textField, reservedCodes: STATS_TOGGLE_CODES, onGesture: () => view.unmute() });
  }

  /** The connection dropped, but the phone is likely still running: open it again, over its last picture. */
  private lost(_code: string, _message: string): void {
    if (this.done) return;
    window.clearTimeout(this.attemptTimer);
    // Fingers down when the link dropped will never see their end: lift them now, so nothing stays pressed.
    this.touch?.liftAll();
    if (this.d.hook.state !== 'reconnecting') {
      this.d.hook.lastLossAtMs = performance.now();
      this.d.view.holdStill();
      this.setState('reconnecting');
      this.d.view.showOverlay('reconnecting', 'Reconnecting…', 'Your phone is still running; getting its screen back.');
      this.episode = new ReconnectEpisode(this.policy, () => performance.now());
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = this.episode?.next() ?? null;
    if (delay === null) return this.finish({ kind: 'failed', code: 'stream-lost', message: '' });
    this.retryTimer = window.setTimeout(() => {
      this.reconnect().catch((err: unknown) => this.finish({ kind: 'failed', code: 'internal', message: `The phone page failed: ${String(err)}` }));
    }, delay);
  }

  /** One attempt: /open again, placement, connect. A failure schedules the next one. */
  private async reconnect(): Promise<void> {
    if (this.done) return;
    this.d.phoneHook.reconnectAttempts++;
    const placed = await this.openAndPlace();
    if (this.done) return;
    if (!placed.ok) {
      if (isRetryableOpenFailure(placed.error)) return this.scheduleReconnect();
      return this.finish(outcomeOfApiFailure(placed.error));
    }
    this.usePlacement(placed.value);
    if (this.done) return;
    this.attemptTimer = window.setTimeout(() => {
      if (this.done || this.d.hook.state !== 'reconnecting') return;
      this.conn?.close(false);
      this.lost('stream-lost', 'The phone sent no picture.');
    }, RECONNECT_ATTEMPT_TIMEOUT_MS);
  }

  /** The end, reported once. */
  private finish(o: SessionOutcome): void {
    if (this.done) return;
    const hook = this.d.hook;
    if (o.kind === 'ended') {
      hook.endReason = o.reason;
      hook.message = o.message;
      this.cleanUp('ended');
    } else {
      hook.errorCode = o.code;
      hook.message = o.message;
      this.cleanUp('error');
    }
    this.d.onOutcome(o);
  }

  private cleanUp(state: 'ended' | 'error'): void {
    this.done = true;
    this.setState(state);
    window.clearTimeout(this.startTimer);
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.attemptTimer);
    this.touch?.stop();
    this.keys?.stop();
    // `bye` tells the edge this page left on purpose: a phone then waits out its grace period.
    this.conn?.close(true);
    this.d.sender.closeAll();
  }
}

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
import { DefaultReconnectPolicy, isResumableEdgeError, isResumableEndReason } from '../reconnectPolicy.ts';
import type { ReconnectPolicy } from '../reconnectPolicy.ts';
import { SessionDriver } from '../sessionDriver.ts';
import { STATS_TOGGLE_CODES } from '../statsOverlay.ts';
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
  private readonly driver: SessionDriver;
  private touch: TouchInput | undefined;
  private keys: KeyInput | undefined;

  constructor(private readonly d: PhoneSessionDeps) {
    this.driver = new SessionDriver({
      hook: d.hook,
      screen: d.view,
      sender: d.sender,
      doc: document,
      policy: d.policy ?? new DefaultReconnectPolicy(PHONE_RETRY_DELAYS_MS, PHONE_MAX_RECONNECT_MS),
      retry: { canRetry: () => true, endReason: isReconnectableEnd, edgeError: isReconnectableEdgeError, apiFailure: isRetryableOpenFailure },
      reopen: () => {
        d.phoneHook.reconnectAttempts++;
        return this.openAndPlace();
      },
      startTimeoutMs: START_TIMEOUT_MS,
      attemptTimeoutMs: RECONNECT_ATTEMPT_TIMEOUT_MS,
      reconnectingDetail: 'Your phone is still running; getting its screen back.',
      noPictureMessage: 'The phone sent no picture.',
      placed: (t) => {
        if ('sessionId' in t && t.video && t.video.width > 0) d.view.setVideoHint(t.video);
      },
      welcomed: (w) => {
        if (w.video) d.view.setVideoHint(w.video);
      },
      showStream: (stream) => d.showStream(stream),
      inputReady: () => this.startInput(),
      // Fingers down when the link dropped will never see their end: lift them now, so nothing stays pressed.
      lost: () => this.touch?.liftAll(),
      resumed: () => d.phoneHook.reconnects++,
      crashed: (err) => this.driver.fail('internal', `The phone page failed: ${String(err)}`),
      finished: (end) => {
        this.stopInput();
        d.onOutcome(end.kind === 'ended' ? end : end.refused ? outcomeOfApiFailure(end.refused) : { kind: 'failed', code: end.code, message: end.message });
      },
    });
  }

  get peer(): RTCPeerConnection | undefined {
    return this.driver.peer;
  }

  get finished(): boolean {
    return this.driver.finished;
  }

  start(): Promise<void> {
    setHookState(this.d.hook, 'connecting', document);
    this.d.view.showOverlay('connecting', `Opening “${this.d.instanceName}”…`, 'Starting your phone if it was stopped.');
    return this.driver.start(() => this.openAndPlace());
  }

  /** A navigation button of the bar: back, home, recents. */
  nav(action: NavAction): void {
    this.send({ t: 'nav', ts: Date.now(), action });
  }

  /** The subscriber went back to the list: disconnect (with a `bye`, so the phone waits out its grace period). */
  leave(): void {
    if (this.driver.finished) return;
    this.driver.stop();
    this.stopInput();
    this.d.hook.endReason = 'user-left';
    setHookState(this.d.hook, 'ended', document);
  }

  /** The first picture of each connection (from the stamp meter). */
  onFirstFrame(): void {
    this.driver.firstFrame();
  }

  private send(ev: InputEvent): void {
    if (!this.driver.finished) this.d.sender.send(ev);
  }

  /** /open (starts the instance if it was stopped), then probes and placement, as for a game. */
  private async openAndPlace(): Promise<ApiResult<Placed>> {
    const { api, instanceId, where, hook } = this.d;
    const offer = await api.open(instanceId, where);
    if (!offer.ok) return offer;
    // Left while the broker answered: the driver drops this.
    if (this.driver.finished) return { ok: false, error: { code: 'left', message: '' } };
    return api.place(offer.value, where, (rtts) => {
      hook.probeRttsMs = rtts;
    });
  }

  /** Touch and keys are taken for the session's whole life: while reconnecting the sender simply has no channel. */
  private startInput(): void {
    if (this.touch || this.driver.finished || this.d.hook.role === 'viewer') return;
    const view = this.d.view;
    const send = (ev: InputEvent) => this.send(ev);
    this.touch = new TouchInput({ target: view.picture, map: (x, y) => view.mapClient(x, y), send, onGesture: () => view.unmute() });
    this.keys = new KeyInput({ send, textField: view.textField, reservedCodes: STATS_TOGGLE_CODES, onGesture: () => view.unmute() });
  }

  private stopInput(): void {
    this.touch?.stop();
    this.keys?.stop();
  }
}

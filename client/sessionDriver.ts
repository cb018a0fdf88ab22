/**
 * One streaming session of a page, from its first placement to its end:
 * get placed (the page says how), connect to the edge, and when the edge
 * goes away, run a reconnect episode (client/reconnectPolicy.ts) of
 * attempts to be placed again, each bounded by an attempt timer, until the
 * picture is back or the session is over. The game page and the phone app
 * configure it with how to reopen the session and what may be retried;
 * what they show and which inputs they take stays theirs.
 *
 * The session ends once, through `finished`. Timers, the clock and the
 * edge connection are passed in, so the whole course can be tested apart.
 */
import type { ApiFailure, ApiResult } from './brokerApi.ts';
import { setHookState } from './hook.ts';
import type { EdgeplayHook, PlayerState } from './hook.ts';
import type { Placed } from './placement.ts';
import { ReconnectEpisode } from './reconnectPolicy.ts';
import type { ReconnectPolicy } from './reconnectPolicy.ts';
import { EdgeConnection } from './signalling.ts';
import type { EdgeConnectionEvents, Welcome } from './signalling.ts';
import { toWebSocketUrl } from './urls.ts';

/** Where to connect: a placement, or (a spectator) just the edge's address. */
export type SessionTarget = Placed | { signalUrl: string };

export type SessionEnd =
  /** The edge ended the session (or the page ended it as the edge would have). */
  | { kind: 'ended'; reason: string; message: string }
  /** It could not be placed, connected or moved; `refused` is the broker's answer when it said no. */
  | { kind: 'failed'; code: string; message: string; refused?: ApiFailure };

export type DriverConnection = { readonly pc: RTCPeerConnection | undefined; close(sendBye: boolean): void };

export type DriverTimers = { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void; now(): number };

/** What may be retried: whether this session can move at all, and which ends and refusals are worth another placement. */
export type RetryRules = {
  canRetry(): boolean;
  endReason(reason: string): boolean;
  edgeError(code: string): boolean;
  apiFailure(f: ApiFailure): boolean;
};

/** The part of the page's screen the driver changes. */
export type SessionScreen = {
  showOverlay(kind: 'connecting' | 'reconnecting', title: string, detail?: string): void;
  hideOverlay(): void;
  holdStill(): void;
  releaseStill(): void;
};

export type SessionDriverOptions = {
  hook: EdgeplayHook;
  screen: SessionScreen;
  /** Where the page's data channels go (the driver adds them, and closes them at the end). */
  sender: { add(ch: RTCDataChannel): void; closeAll(): void };
  policy: ReconnectPolicy;
  retry: RetryRules;
  /** Another placement of the same session, for each reconnect attempt. */
  reopen(): Promise<ApiResult<Placed>>;
  /** No first picture this long after start(): the session fails with 'timeout'. */
  startTimeoutMs: number;
  /** A reconnect whose picture has not come back this long after it was placed counts as lost too. */
  attemptTimeoutMs: number;
  /** The detail of the reconnecting overlay, and the loss message when an attempt timer fires. */
  reconnectingDetail: string;
  noPictureMessage: string;
  /** How the session ends when the episode gave up (`lastEnd`: an edge's `ended` that started it); undefined: 'stream-lost', or the broker's refusal. */
  giveUp?(lastEnd: { reason: string; message: string } | undefined): SessionEnd | undefined;
  // What the page does at each step (all optional).
  placed?(t: SessionTarget): void;
  welcomed?(w: Welcome): void;
  showStream(stream: MediaStream): void;
  /** The page may take input now (this side is the player, or a channel arrived and it is not a viewer). */
  inputReady?(): void;
  notice?(code: string, message: string): void;
  /** Every loss; `now` when it starts a reconnect episode. */
  lost?(episodeStartedAtMs: number | undefined): void;
  resumed?(): void;
  crashed(err: unknown): void;
  finished(end: SessionEnd): void;
  // Test seams.
  timers?: DriverTimers;
  connect?(url: string, events: EdgeConnectionEvents, rtcConfig: RTCConfiguration): DriverConnection;
  doc?: Document;
  pageHref?: string;
};

const browserTimers: DriverTimers = {
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (id) => window.clearTimeout(id as number | undefined),
  now: () => performance.now(),
};

export class SessionDriver {
  private conn: DriverConnection | undefined;
  private episode: ReconnectEpisode | undefined;
  /** An `ended` from an edge that went away: how the session ends if it cannot be moved (see giveUp). */
  private lastEnd: { reason: string; message: string } | undefined;
  private done = false;
  private startTimer: unknown;
  private retryTimer: unknown;
  private attemptTimer: unknown;
  private readonly timers: DriverTimers;

  constructor(private readonly o: SessionDriverOptions) {
    this.timers = o.timers ?? browserTimers;
  }

  get finished(): boolean {
    return this.done;
  }

  get peer(): RTCPeerConnection | undefined {
    return this.conn?.pc;
  }

  /** Places the session (the page's first placement, or a spectator's edge address) and connects. */
  async start(open: () => Promise<ApiResult<SessionTarget>>): Promise<void> {
    this.startTimer = this.timers.setTimeout(() => this.fail('timeout', ''), this.o.startTimeoutMs);
    const target = await open();
    if (this.done) return;
    if (!target.ok) {
      this.finish({ kind: 'failed', code: target.error.code, message: target.error.message, refused: target.error });
      return;
    }
    if ('sessionId' in target.value) this.o.hook.sessionAtMs = this.timers.now();
    this.use(target.value);
  }

  /** The first picture of each connection (from the page's stamp meter). */
  firstFrame(): void {
    if (this.done) return;
    const hook = this.o.hook;
    this.timers.clearTimeout(this.startTimer);
    this.timers.clearTimeout(this.attemptTimer);
    if (hook.state === 'reconnecting') {
      this.episode = undefined;
      this.lastEnd = undefined;
      hook.resumes++;
      hook.lastResumeAtMs = this.timers.now();
      this.o.resumed?.();
    }
    this.setState('playing');
    this.o.screen.hideOverlay();
    this.o.screen.releaseStill();
  }

  fail(code: string, message: string): void {
    this.finish({ kind: 'failed', code, message });
  }

  /** The end, once: records it in the hook, stops everything the driver started, tells the page. */
  finish(end: SessionEnd): void {
    if (this.done) return;
    const hook = this.o.hook;
    if (end.kind === 'ended') hook.endReason = end.reason;
    else hook.errorCode = end.code;
    hook.message = end.message;
    this.stop();
    this.setState(end.kind === 'ended' ? 'ended' : 'error');
    this.o.finished(end);
  }

  /** The page goes away (or back to its list): disconnect with a `bye`, end nothing on the page. */
  stop(): void {
    this.done = true;
    this.timers.clearTimeout(this.startTimer);
    this.timers.clearTimeout(this.retryTimer);
    this.timers.clearTimeout(this.attemptTimer);
    this.conn?.close(true);
    this.o.sender.closeAll();
  }

  private setState(state: PlayerState): void {
    setHookState(this.o.hook, state, this.o.doc);
  }

  /** Takes a placement (first or again) and connects to its edge. */
  private use(t: SessionTarget): void {
    const hook = this.o.hook;
    if ('sessionId' in t) {
      hook.sessionId = t.sessionId;
      if (t.edgeId) hook.edgeId = t.edgeId;
      hook.placement = t.placement;
      if (t.video && t.video.width > 0) hook.video = t.video;
    }
    this.o.placed?.(t);
    let url: string;
    try {
      url = toWebSocketUrl(t.signalUrl, this.o.pageHref ?? location.href);
    } catch {
      return this.fail('bad-response', 'The server sent an invalid signalling address.');
    }
    // The placement's TURN relays (with this session's credentials); none: the browser's defaults, as before TURN.
    this.connect(url, 'iceServers' in t && t.iceServers ? { iceServers: t.iceServers } : {});
  }

  private connect(url: string, rtcConfig: RTCConfiguration): void {
    const { hook, retry } = this.o;
    const current = () => this.conn === conn;
    const events: EdgeConnectionEvents = {
      welcome: (w) => {
        if (!current()) return;
        hook.sessionId = w.sessionId;
        hook.role = w.role;
        if (w.edgeId) hook.edgeId = w.edgeId;
        if (w.video) hook.video = w.video;
        this.o.welcomed?.(w);
        if (w.role === 'player') this.o.inputReady?.();
      },
      track: (stream) => current() && this.o.showStream(stream),
      channel: (ch) => {
        if (!current()) return ch.close();
        this.o.sender.add(ch);
        if (hook.role !== 'viewer') this.o.inputReady?.();
      },
      connected: () => {
        if (!current()) return;
        hook.connectedAtMs ??= this.timers.now();
        if (hook.state === 'connecting') this.o.screen.showOverlay('connecting', 'Connecting…', 'Waiting for the first picture');
      },
      ended: (reason, message) => {
        if (!current()) return;
        if (!retry.endReason(reason) || !retry.canRetry()) return this.finish({ kind: 'ended', reason, message });
        this.lastEnd = { reason, message };
        this.lost(reason, message);
      },
      failed: (code, message) => {
        if (!current()) return;
        if (retry.edgeError(code) && retry.canRetry()) this.lost(code, message);
        else this.fail(code, message);
      },
      lost: (code, message) => current() && this.lost(code, message),
      notice: (code, message) => this.o.notice?.(code, message),
      bitrate: (info) => {
        if (current()) this.o.hook.bitrate = info;
      },
    };
    const conn = (this.o.connect ?? ((u, ev, rtc) => new EdgeConnection(u, ev, { rtcConfig: rtc })))(url, events, rtcConfig);
    this.conn = conn;
  }

  /** The edge went away without ending the session: place it again, over the last picture. */
  private lost(code: string, message: string): void {
    if (this.done) return;
    if (!this.o.retry.canRetry()) return this.fail(code, message);
    this.timers.clearTimeout(this.attemptTimer);
    let startedAt: number | undefined;
    if (this.o.hook.state !== 'reconnecting') {
      startedAt = this.timers.now();
      this.o.hook.lastLossAtMs = startedAt;
    }
    this.o.lost?.(startedAt);
    if (startedAt !== undefined) {
      this.o.screen.holdStill();
      this.setState('reconnecting');
      this.o.screen.showOverlay('reconnecting', 'Reconnecting…', this.o.reconnectingDetail);
      this.episode = new ReconnectEpisode(this.o.policy, () => this.timers.now());
    }
    this.scheduleAttempt();
  }

  private scheduleAttempt(): void {
    const delay = this.episode?.next() ?? null;
    if (delay === null) return this.giveUp(undefined);
    this.retryTimer = this.timers.setTimeout(() => {
      this.attempt().catch((err: unknown) => this.o.crashed(err));
    }, delay);
  }

  /** One attempt: placed again, connect, and a bound on the picture's return. A refusal schedules the next one. */
  private async attempt(): Promise<void> {
    if (this.done) return;
    const placed = await this.o.reopen();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by stop() or a callback during the await
    if (this.done) return;
    if (!placed.ok) {
      if (this.o.retry.apiFailure(placed.error)) {
        this.scheduleAttempt();
        return;
      }
      this.giveUp(placed.error);
      return;
    }
    this.use(placed.value);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- use() can finish the session
    if (this.done) return;
    this.attemptTimer = this.timers.setTimeout(() => {
      if (this.done || this.o.hook.state !== 'reconnecting') return;
      this.conn?.close(false);
      this.lost('stream-lost', this.o.noPictureMessage);
    }, this.o.attemptTimeoutMs);
  }

  /** The session could not be moved: say why, as precisely as the page knows. */
  private giveUp(refused: ApiFailure | undefined): void {
    const end = this.o.giveUp?.(this.lastEnd);
    if (end) return this.finish(end);
    if (refused) return this.finish({ kind: 'failed', code: refused.code, message: refused.message, refused });
    this.fail('stream-lost', '');
  }
}

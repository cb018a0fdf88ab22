/**
 * Entry point of the player page (/play/<linkId>, /watch/<sessionId>):
 * wires placement on an edge, the edge connection (and moving the session
 * to another edge when its edge is lost), input capture, the latency stamp
 * meter, the stats panel, the countdown and the screens together.
 */
import type { PlacementOffer } from '../protocol/fleet.ts';
import type { ApiFailure, ApiResult } from './brokerApi.ts';
import { PlayClock, countdownBadge } from './countdown.ts';
import { installHook, setHookState } from './hook.ts';
import type { EdgeplayHook } from './hook.ts';
import { InputCapture } from './inputCapture.ts';
import { InputSender } from './inputChannels.ts';
import { endText, errorText } from './messages.ts';
import { completePlacement, requestPlacement, requestResume, requestSpectatorLink, requestWatch } from './placement.ts';
import type { Placed } from './placement.ts';
import { DefaultReconnectPolicy, ReconnectEpisode, isResumableEdgeError, isResumableEndReason, isRetryableApiFailure } from './reconnectPolicy.ts';
import type { ReconnectPolicy } from './reconnectPolicy.ts';
import { SentInputLog } from './samples.ts';
import { EdgeConnection } from './signalling.ts';
import type { Welcome } from './signalling.ts';
import { StampMeter } from './stampMeter.ts';
import { STATS_TOGGLE_CODES, StatsPanel } from './statsOverlay.ts';
import { PlayerUi } from './ui.ts';
import { grantOf, locationHint, parseRoute, toWebSocketUrl } from './urls.ts';
import type { Route } from './urls.ts';

/** No picture this long after the page opened: give up with 'timeout'. */
const START_TIMEOUT_MS = 30_000;
/**
 * A new edge that has not shown a picture this long after it was assigned
 * counts as lost too, so the retry policy moves on instead of waiting.
 */
const RESUME_ATTEMPT_TIMEOUT_MS = 8_000;
/** Several times a second, so the countdown never skips or repeats a second. */
const CLOCK_TICK_MS = 250;
const CTA_TEXT = 'Get the full game';

class Player {
  readonly hook: EdgeplayHook;
  private readonly ui: PlayerUi;
  private readonly sentInputs = new SentInputLog(256);
  private readonly sender: InputSender;
  private readonly meter: StampMeter;
  private readonly stats: StatsPanel;
  private readonly clock = new PlayClock();
  private readonly policy: ReconnectPolicy = new DefaultReconnectPolicy();
  private readonly where = locationHint(location.search);
  private conn: EdgeConnection | undefined;
  private input: InputCapture | undefined;
  private route: Route | undefined;
  /** The latest placement: where the session runs, and the token to move it. */
  private placed: Placed | undefined;
  /** Set while the page is moving the session to another edge. */
  private episode: ReconnectEpisode | undefined;
  /** An `ended` from an edge that went away (edge-shutdown): shown if the session cannot be moved. */
  private pendingEnd: { reason: string; message: string } | undefined;
  private played = false;
  private startTimer: number | undefined;
  private clockTimer: number | undefined;
  private retryTimer: number | undefined;
  private attemptTimer: number | undefined;

  constructor() {
    this.hook = installHook(window);
    this.ui = new PlayerUi(document);
    this.sender = new InputSender(this.hook, this.sentInputs);
    this.meter = new StampMeter(this.ui.video, this.hook, this.sentInputs, { onFirstFrame: () => this.onFirstFrame() });
    const params = new URLSearchParams(location.search);
    this.stats = new StatsPanel(this.ui, this.hook, this.meter, {
      peer: () => this.conn?.pc,
      remainingSeconds: () => this.clock.remaining(performance.now()),
      initiallyVisible: params.get('stats') === '1',
    });
    window.addEventListener('pagehide', () => this.leave());
    window.addEventListener('pageshow', (e) => {
      if (e.persisted) location.reload(); // back/forward cache: the old session is gone
    });
  }

  private get again(): { text: string; href: string } {
    return { text: this.route?.kind === 'watch' ? 'Watch again' : 'Play again', href: location.pathname + location.search };
  }

  async run(): Promise<void> {
    this.route = parseRoute(location.pathname);
    this.ui.showOverlay('connecting', 'Connecting…');
    if (!this.route) return this.fail('bad-page', '');
    if (typeof RTCPeerConnection !== 'function' || typeof WebSocket !== 'function') return this.fail('unsupported', '');
    this.hook.mode = this.route.kind;
    this.startTimer = window.setTimeout(() => this.fail('timeout', ''), START_TIMEOUT_MS);
    this.meter.start();
    if (this.route.kind === 'watch') {
      // Spectators watch with the grant the player shared; they are never placed or moved.
      this.hook.sessionId = this.route.sessionId;
      this.hook.role = 'viewer';
      const grant = grantOf(location.hash);
      if (!grant) return this.fail('unauthorized', 'Watching needs the spectator link the player shares.');
      const target = await requestWatch(this.route.sessionId, grant);
      if (this.terminal) return;
      if (!target.ok) return this.fail(target.error.code, target.error.message);
      this.connect(target.value.signalUrl);
      return;
    }
    this.ui.showOverlay('connecting', 'Finding the nearest server…');
    const offer = await requestPlacement(this.route.linkId, this.where);
    if (this.terminal) return;
    if (!offer.ok) return this.fail(offer.error.code, offer.error.message);
    const placed = await this.probeAndReport(offer.value);
    if (this.terminal) return;
    if (!placed.ok) return this.fail(placed.error.code, placed.error.message);
    this.hook.sessionAtMs = performance.now();
    this.usePlacement(placed.value);
  }

  private get terminal(): boolean {
    return this.hook.state === 'ended' || this.hook.state === 'error';
  }

  private get canResume(): boolean {
    return this.route?.kind === 'play' && (this.placed?.resumeToken ?? '') !== '';
  }

  private probeAndReport(offer: PlacementOffer): Promise<ApiResult<Placed>> {
    return completePlacement(offer, this.where, (rtts) => {
      this.hook.probeRttsMs = rtts;
    });
  }

  /** Takes a placement (first or resumed) and connects to its edge. */
  private usePlacement(s: Placed): void {
    this.placed = s;
    this.hook.sessionId = s.sessionId;
    if (s.edgeId) this.hook.edgeId = s.edgeId;
    this.hook.placement = s.placement;
    if (s.video && s.video.width > 0) this.hook.video = s.video;
    this.clock.set(s.playSecondsRemaining);
    this.hook.playSecondsRemaining = s.playSecondsRemaining;
    let url: string;
    try {
      url = toWebSocketUrl(s.signalUrl, location.href);
    } catch {
      return this.fail('bad-response', 'The server sent an invalid signalling address.');
    }
    this.connect(url);
  }

  private connect(url: string): void {
    if (this.hook.state === 'connecting') this.ui.showOverlay('connecting', 'Connecting…');
    const conn: EdgeConnection = new EdgeConnection(url, {
      welcome: (w) => this.conn === conn && this.onWelcome(w),
      track: (stream) => this.conn === conn && this.showStream(stream),
      channel: (ch) => {
        if (this.conn !== conn) return ch.close();
        this.sender.add(ch);
        if (this.hook.role !== 'viewer') this.startInput();
      },
      connected: () => {
        if (this.conn !== conn) return;
        this.hook.connectedAtMs ??= performance.now();
        if (this.hook.state === 'connecting') this.ui.showOverlay('connecting', 'Connecting…', 'Waiting for the first picture');
      },
      ended: (reason, message) => {
        if (this.conn !== conn) return;
        if (isResumableEndReason(reason) && this.canResume) {
          this.pendingEnd = { reason, message };
          this.lost(reason, message);
        } else this.end(reason, message);
      },
      failed: (code, message) => {
        if (this.conn !== conn) return;
        if (isResumableEdgeError(code) && this.canResume) this.lost(code, message);
        else this.fail(code, message);
      },
      lost: (code, message) => this.conn === conn && this.lost(code, message),
      notice: (code, message) => {
        (this.hook.notices ??= []).push(code);
        this.ui.hint(message, 6000);
      },
    });
    this.conn = conn;
    this.stats.start();
  }

  /**
   * The edge went away without ending the session: go back to the broker
   * and move the session to another edge, over the last picture. Spectators
   * and pages without a resume token can only report the loss.
   */
  private lost(code: string, message: string): void {
    if (this.terminal) return;
    if (!this.canResume) return this.fail(code, message);
    window.clearTimeout(this.attemptTimer);
    if (this.hook.state !== 'reconnecting') {
      const now = performance.now();
      this.hook.lastLossAtMs = now;
      this.clock.pause(now);
      this.ui.holdStill();
      setHookState(this.hook, 'reconnecting', document);
      this.ui.showOverlay('reconnecting', 'Reconnecting…', 'Moving your game to another server.');
      this.episode = new ReconnectEpisode(this.policy, () => performance.now());
    }
    this.scheduleResume();
  }

  private scheduleResume(): void {
    const delay = this.episode?.next() ?? null;
    if (delay === null) return this.giveUp(undefined);
    this.retryTimer = window.setTimeout(() => {
      this.resume().catch((err: unknown) => this.crash(err));
    }, delay);
  }

  /** One attempt: resume offer, probes, placement, connect. A failure schedules the next attempt. */
  private async resume(): Promise<void> {
    const from = this.placed;
    if (!from || this.terminal) return;
    const offer = await requestResume(from.sessionId, from.resumeToken);
    if (this.terminal) return;
    if (!offer.ok) return this.resumeFailed(offer.error);
    const placed = await this.probeAndReport(offer.value);
    if (this.terminal) return;
    if (!placed.ok) return this.resumeFailed(placed.error);
    this.usePlacement(placed.value);
    if (this.terminal) return;
    this.attemptTimer = window.setTimeout(() => {
      if (this.hook.state !== 'reconnecting') return;
      this.conn?.close(false);
      this.lost('stream-lost', 'The new game server sent no picture.');
    }, RESUME_ATTEMPT_TIMEOUT_MS);
  }

  private resumeFailed(error: ApiFailure): void {
    if (isRetryableApiFailure(error)) this.scheduleResume();
    else this.giveUp(error);
  }

  /** The session could not be moved: say why, as precisely as we know. */
  private giveUp(refused: ApiFailure | undefined): void {
    if (this.pendingEnd) return this.end(this.pendingEnd.reason, this.pendingEnd.message);
    // Lost in the last moments of a demo: its time was up anyway, so end it as the edge would have.
    if (this.clock.remaining(performance.now()) === 0) return this.end('time-limit', '');
    if (refused) return this.fail(refused.code, refused.message);
    this.fail('stream-lost', '');
  }

  private onWelcome(w: Welcome): void {
    this.hook.sessionId = w.sessionId;
    this.hook.role = w.role;
    if (w.edgeId) this.hook.edgeId = w.edgeId;
    if (w.video) this.hook.video = w.video;
    if (w.role === 'player') this.startInput();
  }

  private showStream(stream: MediaStream): void {
    const video = this.ui.video;
    if (video.srcObject !== stream) {
      const replacing = video.srcObject !== null;
      video.srcObject = stream;
      // A resumed session's stream: keep counting frames, and report its first picture.
      if (replacing) this.meter.newSource();
    }
    video.play().catch(() => undefined); // muted autoplay; a failure here shows as no first frame
  }

  private startInput(): void {
    if (this.input || this.terminal) return;
    this.input = new InputCapture({
      target: this.ui.video,
      send: (ev) => this.sender.send(ev),
      reservedCodes: STATS_TOGGLE_CODES,
      // ?lock=0 keeps the pointer free (absolute coordinates), e.g. for tests driving the mouse.
      pointerLock: new URLSearchParams(location.search).get('lock') !== '0',
      onGesture: () => this.unmute(),
    });
  }

  /** Turns sound on at the first user gesture when the stream has audio (autoplay starts muted). */
  private unmute(): void {
    const v = this.ui.video;
    const s = v.srcObject;
    if (!v.muted || !(s instanceof MediaStream) || s.getAudioTracks().length === 0) return;
    if (navigator.userActivation && !navigator.userActivation.isActive) return;
    v.muted = false;
    v.play().catch(() => {
      v.muted = true;
      v.play().catch(() => undefined);
    });
  }

  /** The first picture of each stream: the first one of the session, or the picture coming back after a resume. */
  private onFirstFrame(): void {
    if (this.terminal) return;
    const now = performance.now();
    window.clearTimeout(this.attemptTimer);
    if (this.hook.state === 'reconnecting') {
      this.episode = undefined;
      this.pendingEnd = undefined;
      this.hook.resumes++;
      this.hook.lastResumeAtMs = now;
    }
    setHookState(this.hook, 'playing', document);
    this.ui.hideOverlay();
    this.ui.releaseStill();
    // The edge counts play time from its first picture; so does the page.
    this.clock.run(now);
    this.updateClock();
    if (this.played) return;
    this.played = true;
    window.clearTimeout(this.startTimer);
    this.clockTimer = window.setInterval(() => this.updateClock(), CLOCK_TICK_MS);
    if (this.hook.role !== 'viewer') {
      this.ui.offerShare(() => void this.shareSpectatorLink());
      const mouse = matchMedia('(pointer: fine)').matches;
      this.ui.hint(mouse ? 'Click the picture to capture the mouse · Esc releases it · F2 shows stats' : 'F2 shows stats');
    }
  }

  /** Asks the broker for a link others may watch with; shows it and copies it where the browser allows. */
  private async shareSpectatorLink(): Promise<void> {
    const placed = this.placed;
    if (!placed?.resumeToken) return;
    const r = await requestSpectatorLink(placed.sessionId, placed.resumeToken);
    if (!r.ok) {
      this.ui.hint(errorText(r.error.code, r.error.message).detail, 6000);
      return;
    }
    this.hook.spectatorUrl = r.value.watchUrl;
    navigator.clipboard?.writeText(r.value.watchUrl).catch(() => undefined);
    this.ui.hint(`Spectator link (copied): ${r.value.watchUrl}`, 10_000);
  }

  /** Mirrors the time left; at 0 it waits for the edge, which ends the session. */
  private updateClock(): void {
    if (this.terminal) return;
    const left = this.clock.remaining(performance.now());
    this.hook.playSecondsRemaining = left === undefined ? undefined : Math.round(left * 10) / 10;
    this.ui.setTimer(countdownBadge(left));
  }

  private end(reason: string, message: string): void {
    if (!this.finish('ended')) return;
    this.hook.endReason = reason;
    this.hook.message = message;
    const t = endText(reason, message);
    if (reason === 'time-limit') {
      // The demo is over: the publisher's call to action, not an invitation to start another play.
      const cta = this.placed?.endScreenUrl;
      this.ui.showOverlay('ended', t.title, t.detail, cta ? { cta: { text: CTA_TEXT, href: cta } } : {});
    } else {
      this.ui.showOverlay('ended', t.title, t.detail, { action: this.again });
    }
  }

  private fail(code: string, message: string): void {
    if (!this.finish('error')) return;
    this.hook.errorCode = code;
    const t = errorText(code, message);
    this.hook.message = t.detail;
    this.ui.showOverlay('error', t.title, t.detail, { action: this.again, errorCode: code });
  }

  /** Moves to a final state once; false when already there. */
  private finish(state: 'ended' | 'error'): boolean {
    if (this.terminal) return false;
    setHookState(this.hook, state, document);
    window.clearTimeout(this.startTimer);
    window.clearInterval(this.clockTimer);
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.attemptTimer);
    this.input?.stop();
    this.conn?.close(true);
    this.sender.closeAll();
    this.meter.stop();
    this.stats.stop();
    return true;
  }

  /** An unexpected exception in the page's own code. */
  crash(err: unknown): void {
    console.error('edgeplay:', err);
    this.fail('internal', `The player page failed: ${String(err)}`);
  }

  private leave(): void {
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.attemptTimer);
    this.input?.stop();
    this.conn?.close(true);
  }
}

function boot(): void {
  const player = new Player();
  player.run().catch((err: unknown) => player.crash(err));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot, { once: true });
else boot();

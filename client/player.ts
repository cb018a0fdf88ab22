/**
 * Entry point of the player page (/play/<linkId>, /watch/<sessionId>):
 * wires placement on an edge, the edge connection (and moving the session
 * to another edge when its edge is lost), input capture, the latency stamp
 * meter, the stats panel, the countdown and the screens together.
 */
import type { PlacementOffer } from '../protocol/fleet.ts';
import type { ApiResult } from './brokerApi.ts';
import { PlayClock, countdownBadge } from './countdown.ts';
import { installHook } from './hook.ts';
import type { EdgeplayHook } from './hook.ts';
import { InputCapture } from './inputCapture.ts';
import { InputSender } from './inputChannels.ts';
import { endText, errorText } from './messages.ts';
import { completePlacement, requestPlacement, requestResume, requestSpectatorLink, requestWatch } from './placement.ts';
import type { Placed } from './placement.ts';
import { DefaultReconnectPolicy, isResumableEdgeError, isResumableEndReason, isRetryableApiFailure } from './reconnectPolicy.ts';
import { SentInputLog } from './samples.ts';
import { SessionDriver } from './sessionDriver.ts';
import type { SessionEnd, SessionTarget } from './sessionDriver.ts';
import { StampMeter } from './stampMeter.ts';
import { STATS_TOGGLE_CODES, StatsPanel } from './statsOverlay.ts';
import { PlayerUi } from './ui.ts';
import { grantOf, locationHint, parseRoute } from './urls.ts';
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
  private readonly driver: SessionDriver;
  private readonly where = locationHint(location.search);
  private input: InputCapture | undefined;
  private route: Route | undefined;
  /** The latest placement: where the session runs, and the token to move it. */
  private placed: Placed | undefined;
  private played = false;
  private clockTimer: number | undefined;

  constructor() {
    this.hook = installHook(window);
    this.ui = new PlayerUi(document);
    this.sender = new InputSender(this.hook, this.sentInputs);
    this.driver = new SessionDriver({
      hook: this.hook,
      screen: this.ui,
      sender: this.sender,
      doc: document,
      policy: new DefaultReconnectPolicy(),
      // Spectators and pages without a resume token can only report the loss.
      retry: { canRetry: () => this.canResume, endReason: isResumableEndReason, edgeError: isResumableEdgeError, apiFailure: isRetryableApiFailure },
      reopen: () => this.resume(),
      startTimeoutMs: START_TIMEOUT_MS,
      attemptTimeoutMs: RESUME_ATTEMPT_TIMEOUT_MS,
      reconnectingDetail: 'Moving your game to another server.',
      noPictureMessage: 'The new game server sent no picture.',
      giveUp: (lastEnd) => this.giveUp(lastEnd),
      placed: (t) => this.onPlaced(t),
      showStream: (stream) => this.showStream(stream),
      inputReady: () => this.startInput(),
      notice: (code, message) => {
        (this.hook.notices ??= []).push(code);
        this.ui.hint(message, 6000);
      },
      lost: (episodeStartedAtMs) => {
        if (episodeStartedAtMs !== undefined) this.clock.pause(episodeStartedAtMs);
      },
      crashed: (err) => this.crash(err),
      finished: (end) => this.onFinished(end),
    });
    this.meter = new StampMeter(this.ui.video, this.hook, this.sentInputs, { onFirstFrame: () => this.onFirstFrame() });
    const params = new URLSearchParams(location.search);
    this.stats = new StatsPanel(this.ui, this.hook, this.meter, {
      peer: () => this.driver.peer,
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
    if (!this.route) {
      this.driver.fail('bad-page', '');
      return;
    }
    if (typeof RTCPeerConnection !== 'function' || typeof WebSocket !== 'function') {
      this.driver.fail('unsupported', '');
      return;
    }
    this.hook.mode = this.route.kind;
    this.meter.start();
    if (this.route.kind === 'watch') {
      // Spectators watch with the grant the player shared; they are never placed or moved.
      const { sessionId } = this.route;
      this.hook.sessionId = sessionId;
      this.hook.role = 'viewer';
      const grant = grantOf(location.hash);
      if (!grant) {
        this.driver.fail('unauthorized', 'Watching needs the spectator link the player shares.');
        return;
      }
      return this.driver.start(() => requestWatch(sessionId, grant));
    }
    this.ui.showOverlay('connecting', 'Finding the nearest server…');
    const { linkId } = this.route;
    await this.driver.start(async () => this.probeAndReport(await requestPlacement(linkId, this.where)));
  }

  private get canResume(): boolean {
    return this.route?.kind === 'play' && (this.placed?.resumeToken ?? '') !== '';
  }

  /** The second half of a placement, unless the session ended while the broker answered (the driver then drops it). */
  private async probeAndReport(offer: ApiResult<PlacementOffer>): Promise<ApiResult<Placed>> {
    if (!offer.ok) return offer;
    if (this.driver.finished) return { ok: false, error: { code: 'left', message: '' } };
    return completePlacement(offer.value, this.where, (rtts) => {
      this.hook.probeRttsMs = rtts;
    });
  }

  /** A placement (first or resumed) or a spectator's edge, about to be connected to. */
  private onPlaced(t: SessionTarget): void {
    if ('sessionId' in t) {
      this.placed = t;
      this.clock.set(t.playSecondsRemaining);
      this.hook.playSecondsRemaining = t.playSecondsRemaining;
    }
    if (this.hook.state === 'connecting') this.ui.showOverlay('connecting', 'Connecting…');
    this.stats.start();
  }

  /** One resume: a resume offer for the session, probes, placement. */
  private async resume(): Promise<ApiResult<Placed>> {
    const from = this.placed;
    if (!from) throw new Error('no placement to resume');
    return this.probeAndReport(await requestResume(from.sessionId, from.resumeToken));
  }

  /** The session could not be moved: an edge's own `ended`, or the demo's time was up anyway. */
  private giveUp(lastEnd: { reason: string; message: string } | undefined): SessionEnd | undefined {
    if (lastEnd) return { kind: 'ended', ...lastEnd };
    // Lost in the last moments of a demo: its time was up anyway, so end it as the edge would have.
    if (this.clock.remaining(performance.now()) === 0) return { kind: 'ended', reason: 'time-limit', message: '' };
    return undefined;
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
    if (this.input || this.driver.finished) return;
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
    if ('userActivation' in navigator && !navigator.userActivation.isActive) return; // not in every browser
    v.muted = false;
    v.play().catch(() => {
      v.muted = true;
      v.play().catch(() => undefined);
    });
  }

  /** The first picture of each stream: the first one of the session, or the picture coming back after a resume. */
  private onFirstFrame(): void {
    if (this.driver.finished) return;
    this.driver.firstFrame();
    // The edge counts play time from its first picture; so does the page.
    this.clock.run(performance.now());
    this.updateClock();
    if (this.played) return;
    this.played = true;
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
    if ('clipboard' in navigator) navigator.clipboard.writeText(r.value.watchUrl).catch(() => undefined); // secure contexts only
    this.ui.hint(`Spectator link (copied): ${r.value.watchUrl}`, 10_000);
  }

  /** Mirrors the time left; at 0 it waits for the edge, which ends the session. */
  private updateClock(): void {
    if (this.driver.finished) return;
    const left = this.clock.remaining(performance.now());
    this.hook.playSecondsRemaining = left === undefined ? undefined : Math.round(left * 10) / 10;
    this.ui.setTimer(countdownBadge(left));
  }

  /** The session is over: stop the page's own parts and show why. */
  private onFinished(end: SessionEnd): void {
    window.clearInterval(this.clockTimer);
    this.input?.stop();
    this.meter.stop();
    this.stats.stop();
    if (end.kind === 'failed') {
      const t = errorText(end.code, end.message);
      this.hook.message = t.detail;
      this.ui.showOverlay('error', t.title, t.detail, { action: this.again, errorCode: end.code });
      return;
    }
    const t = endText(end.reason, end.message);
    if (end.reason === 'time-limit') {
      // The demo is over: the publisher's call to action, not an invitation to start another play.
      const cta = this.placed?.endScreenUrl;
      this.ui.showOverlay('ended', t.title, t.detail, cta ? { cta: { text: CTA_TEXT, href: cta } } : {});
    } else {
      this.ui.showOverlay('ended', t.title, t.detail, { action: this.again });
    }
  }

  /** An unexpected exception in the page's own code. */
  crash(err: unknown): void {
    console.error('edgeplay:', err);
    this.driver.fail('internal', `The player page failed: ${String(err)}`);
  }

  private leave(): void {
    this.input?.stop();
    this.driver.stop();
  }
}

function boot(): void {
  const player = new Player();
  player.run().catch((err: unknown) => player.crash(err));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot, { once: true });
else boot();

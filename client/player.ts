/**
 * Entry point of the player page (/play/<linkId>, /watch/<sessionId>):
 * wires the broker call, the edge connection, input capture, the latency
 * stamp meter, the stats panel and the screens together.
 */
import { startSession } from './brokerApi.ts';
import { installHook, setHookState } from './hook.ts';
import type { EdgeplayHook } from './hook.ts';
import { InputCapture } from './inputCapture.ts';
import { InputSender } from './inputChannels.ts';
import { endText, errorText } from './messages.ts';
import { SentInputLog } from './samples.ts';
import { EdgeConnection } from './signalling.ts';
import type { Welcome } from './signalling.ts';
import { StampMeter } from './stampMeter.ts';
import { STATS_TOGGLE_CODES, StatsPanel } from './statsOverlay.ts';
import { PlayerUi } from './ui.ts';
import { parseRoute, toWebSocketUrl, watchSignalUrl } from './urls.ts';
import type { Route } from './urls.ts';

/** No picture this long after the page opened: give up with 'timeout'. */
const START_TIMEOUT_MS = 30_000;
/** Show the time-left badge in the last minute. */
const TIMER_BADGE_SECONDS = 60;

const clock = (s: number): string => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

class Player {
  readonly hook: EdgeplayHook;
  private readonly ui: PlayerUi;
  private readonly sentInputs = new SentInputLog(256);
  private readonly sender: InputSender;
  private readonly meter: StampMeter;
  private readonly stats: StatsPanel;
  private conn: EdgeConnection | undefined;
  private input: InputCapture | undefined;
  private route: Route | undefined;
  private playSeconds = 0;
  private playEndsAt: number | undefined;
  private startTimer: number | undefined;
  private clockTimer: number | undefined;

  constructor() {
    this.hook = installHook(window);
    this.ui = new PlayerUi(document);
    this.sender = new InputSender(this.hook, this.sentInputs);
    this.meter = new StampMeter(this.ui.video, this.hook, this.sentInputs, { onFirstFrame: () => this.onFirstFrame() });
    const params = new URLSearchParams(location.search);
    this.stats = new StatsPanel(this.ui, this.hook, this.meter, {
      peer: () => this.conn?.pc,
      remainingSeconds: () => (this.playEndsAt === undefined ? undefined : (this.playEndsAt - performance.now()) / 1000),
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
      this.hook.sessionId = this.route.sessionId;
      this.hook.role = 'viewer';
      this.connect(watchSignalUrl(this.route.sessionId, location.href));
      return;
    }
    this.ui.showOverlay('connecting', 'Starting your game…');
    const result = await startSession(this.route.linkId);
    if (this.terminal) return;
    if (!result.ok) return this.fail(result.error.code, result.error.message);
    const s = result.session;
    this.hook.sessionAtMs = performance.now();
    this.hook.sessionId = s.sessionId;
    this.hook.edgeId = s.edgeId;
    if (s.video.width > 0) this.hook.video = s.video;
    this.playSeconds = s.playSeconds;
    let url: string;
    try {
      url = toWebSocketUrl(s.signalUrl, location.href);
    } catch {
      return this.fail('bad-response', 'The server sent an invalid signalling address.');
    }
    this.connect(url);
  }

  private get terminal(): boolean {
    return this.hook.state === 'ended' || this.hook.state === 'error';
  }

  private connect(url: string): void {
    this.ui.showOverlay('connecting', 'Connecting…');
    this.conn = new EdgeConnection(url, {
      welcome: (w) => this.onWelcome(w),
      track: (stream) => this.showStream(stream),
      channel: (ch) => {
        this.sender.add(ch);
        if (this.hook.role !== 'viewer') this.startInput();
      },
      connected: () => {
        this.hook.connectedAtMs ??= performance.now();
        if (this.hook.state === 'connecting') this.ui.showOverlay('connecting', 'Connecting…', 'Waiting for the first picture');
      },
      ended: (reason, message) => this.end(reason, message),
      failed: (code, message) => this.fail(code, message),
    });
    this.stats.start();
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
    if (video.srcObject !== stream) video.srcObject = stream;
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

  private onFirstFrame(): void {
    if (this.hook.state !== 'connecting') return;
    window.clearTimeout(this.startTimer);
    setHookState(this.hook, 'playing', document);
    this.ui.hideOverlay();
    if (this.hook.role !== 'viewer') {
      const mouse = matchMedia('(pointer: fine)').matches;
      this.ui.hint(mouse ? 'Click the picture to capture the mouse · Esc releases it · F2 shows stats' : 'F2 shows stats');
    }
    if (this.playSeconds > 0) {
      this.playEndsAt = performance.now() + this.playSeconds * 1000;
      this.clockTimer = window.setInterval(() => this.updateClock(), 1000);
    }
  }

  private updateClock(): void {
    if (this.playEndsAt === undefined || this.terminal) return;
    const left = Math.max(0, (this.playEndsAt - performance.now()) / 1000);
    this.ui.setTimer(left <= TIMER_BADGE_SECONDS ? `${clock(Math.ceil(left))} left` : undefined);
  }

  private end(reason: string, message: string): void {
    if (!this.finish('ended')) return;
    this.hook.endReason = reason;
    this.hook.message = message;
    const t = endText(reason, message);
    this.ui.showOverlay('ended', t.title, t.detail, this.again);
  }

  private fail(code: string, message: string): void {
    if (!this.finish('error')) return;
    this.hook.errorCode = code;
    const t = errorText(code, message);
    this.hook.message = t.detail;
    this.ui.showOverlay('error', t.title, t.detail, this.again);
  }

  /** Moves to a final state once; false when already there. */
  private finish(state: 'ended' | 'error'): boolean {
    if (this.terminal) return false;
    setHookState(this.hook, state, document);
    window.clearTimeout(this.startTimer);
    window.clearInterval(this.clockTimer);
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

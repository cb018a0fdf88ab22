/**
 * Entry point of the cloud-phone app page (/phone#token=...): takes the
 * subscriber's token, shows their phones (instanceList.ts), opens one in
 * the streaming view (phoneView.ts, phoneSession.ts), and comes back to the
 * list with a notice when the phone stops or cannot be reached. Publishes
 * `window.edgeplay` (the session, as on the game player) and
 * `window.edgeplayPhone` (the app) for tests.
 */
import { isPhoneStoppedReason } from '../../protocol/endReasons.ts';
import type { InstanceView } from '../../protocol/phone.ts';
import type { ApiFailure } from '../brokerApi.ts';
import { installHook, setHookState } from '../hook.ts';
import type { EdgeplayHook } from '../hook.ts';
import { InputSender } from '../inputChannels.ts';
import { SentInputLog } from '../samples.ts';
import { StampMeter } from '../stampMeter.ts';
import { StatsPanel } from '../statsOverlay.ts';
import { locationHint } from '../urls.ts';
import { byId } from './dom.ts';
import { InstanceList } from './instanceList.ts';
import type { NoticeKind } from './instanceList.ts';
import { PhoneApi, isAuthFailure } from './phoneApi.ts';
import { installPhoneHook, setView } from './phoneHook.ts';
import type { EdgeplayPhoneHook, PhoneAppView } from './phoneHook.ts';
import { ACCESS_EXPIRED, NO_ACCESS, endNotice, phoneErrorText } from './phoneMessages.ts';
import type { ScreenText } from './phoneMessages.ts';
import { PhoneSession } from './phoneSession.ts';
import type { SessionOutcome } from './phoneSession.ts';
import { PhoneView } from './phoneView.ts';
import { forgetToken, sessionStore, takeToken } from './token.ts';

/** The list refreshes itself this often while shown, so phases (starting → running, grace expired) stay true. */
const LIST_REFRESH_MS = 10_000;

/** Clears what belonged to the previous session; the page-wide counters (frames, samples, inputs) keep counting. */
function resetSessionFields(hook: EdgeplayHook): void {
  for (const k of [
    'mode',
    'role',
    'sessionId',
    'edgeId',
    'placement',
    'probeRttsMs',
    'lastLossAtMs',
    'lastResumeAtMs',
    'playSecondsRemaining',
    'errorCode',
    'message',
    'endReason',
    'sessionAtMs',
    'connectedAtMs',
    'firstFrameAtMs',
    'video',
    'stats',
  ] as const)
    delete hook[k];
  hook.resumes = 0;
}

class PhoneApp {
  private readonly hook: EdgeplayHook;
  private readonly phoneHook: EdgeplayPhoneHook;
  private readonly sentInputs = new SentInputLog(256);
  private readonly sender: InputSender;
  private readonly view: PhoneView;
  private readonly list: InstanceList;
  private readonly meter: StampMeter;
  private readonly where = locationHint(location.search);
  private readonly loading: HTMLElement;
  private readonly errorView: HTMLElement;
  private api: PhoneApi | undefined;
  private session: PhoneSession | undefined;
  private stats: StatsPanel | undefined;
  private statsWanted = new URLSearchParams(location.search).get('stats') === '1';
  private streamsShown = 0;
  private refreshing = false;

  constructor() {
    this.hook = installHook(window);
    setHookState(this.hook, 'idle', document);
    this.phoneHook = installPhoneHook(window);
    this.sender = new InputSender(this.hook, this.sentInputs);
    this.loading = byId(document, 'loading', HTMLElement);
    this.errorView = byId(document, 'error-view', HTMLElement);
    this.view = new PhoneView(document, {
      nav: (action) => this.session?.nav(action),
      backToList: () => this.leaveToList(),
      stopPhone: () => void this.stopOpenPhone(),
      toggleStats: () => this.stats?.toggle(),
      layoutChanged: (l, r) => {
        this.phoneHook.layout = {
          picture: { left: r.left, top: r.top, width: r.width, height: r.height },
          navPlacement: l.navPlacement,
          frame: l.frame,
          hiddenRows: l.hiddenRows,
        };
      },
    });
    this.list = new InstanceList(document, {
      open: (i) => this.open(i),
      stop: (i) => void this.stopFromList(i),
      remove: (i) => void this.remove(i),
      create: (name) => this.create(name),
    });
    this.meter = new StampMeter(this.view.video, this.hook, this.sentInputs, { onFirstFrame: () => this.session?.onFirstFrame() });
    // Once for the page: it reads whatever stream the video element shows, session after session.
    this.meter.start();
    byId(document, 'error-retry', HTMLButtonElement).addEventListener('click', () => void this.run());
    window.setInterval(() => {
      if (this.phoneHook.view === 'list' && document.visibilityState === 'visible') void this.refresh();
    }, LIST_REFRESH_MS);
    document.addEventListener('visibilitychange', () => {
      if (this.phoneHook.view === 'list' && document.visibilityState === 'visible') void this.refresh();
    });
    // The operator's app may hand this tab a fresh link (a new token in the fragment).
    window.addEventListener('hashchange', () => {
      if (/[#&]token=/.test(location.hash)) void this.run();
    });
    window.addEventListener('pagehide', () => this.session?.leave());
    window.addEventListener('pageshow', (e) => {
      if (e.persisted) location.reload(); // back/forward cache: the old connection is gone
    });
  }

  /** Token, then the list. */
  async run(): Promise<void> {
    const token = takeToken({ location, history, storage: sessionStore(window) });
    if (!token) {
      this.showError(NO_ACCESS, 'no-token');
      return;
    }
    this.api = new PhoneApi(token);
    if (await this.refresh()) this.showList();
  }

  private setView(view: PhoneAppView): void {
    setView(this.phoneHook, view, document);
    this.loading.hidden = view !== 'loading';
    this.errorView.hidden = view !== 'error';
    if (view === 'list') this.list.show();
    else this.list.hide();
    if (view !== 'phone') this.view.hide();
  }

  private showError(text: ScreenText, code: string, retry = false): void {
    this.closeSession();
    this.phoneHook.errorCode = code;
    byId(document, 'error-title', HTMLHeadingElement).textContent = text.title;
    const detail = byId(document, 'error-detail', HTMLParagraphElement);
    detail.textContent = text.detail;
    this.errorView.dataset.errorCode = code;
    byId(document, 'error-retry', HTMLButtonElement).hidden = !retry;
    this.setView('error');
  }

  /** The broker refused the token: forget it, and send the subscriber back to the operator's app. */
  private authFailed(e: Pick<ApiFailure, 'code'>): void {
    forgetToken({ storage: sessionStore(window) });
    this.showError(e.code === 'token-expired' ? ACCESS_EXPIRED : NO_ACCESS, e.code);
  }

  private showList(): void {
    delete this.phoneHook.errorCode;
    this.setView('list');
  }

  private notice(text: ScreenText | undefined, kind: NoticeKind = 'info', code?: string): void {
    this.list.setNotice(text, kind, code);
    if (text) this.phoneHook.notice = { kind, title: text.title, detail: text.detail, ...(code ? { code } : {}) };
    else delete this.phoneHook.notice;
  }

  private failureNotice(e: ApiFailure): void {
    if (isAuthFailure(e)) return this.authFailed(e);
    this.notice(phoneErrorText(e.code, e.message), 'error', e.code);
  }

  /** Fetches the list; false when it could not be shown (an error screen or notice says why). */
  private async refresh(): Promise<boolean> {
    const api = this.api;
    if (!api || this.refreshing) return false;
    this.refreshing = true;
    try {
      const home = await api.home();
      if (!home.ok) {
        if (isAuthFailure(home.error)) this.authFailed(home.error);
        else if (this.phoneHook.view === 'list') this.failureNotice(home.error);
        else if (this.phoneHook.view !== 'phone') this.showError(phoneErrorText(home.error.code, home.error.message), home.error.code, true);
        return false;
      }
      this.phoneHook.instances = home.value.instances;
      this.phoneHook.maxInstances = home.value.maxInstances;
      this.list.render(home.value);
      return true;
    } finally {
      this.refreshing = false;
    }
  }

  // ---- list actions ----

  private open(i: InstanceView): void {
    const api = this.api;
    if (!api || this.session) return;
    if (typeof RTCPeerConnection !== 'function' || typeof WebSocket !== 'function') {
      this.notice(phoneErrorText('unsupported', ''), 'error', 'unsupported');
      return;
    }
    this.notice(undefined);
    resetSessionFields(this.hook);
    this.phoneHook.openInstanceId = i.instanceId;
    this.phoneHook.reconnects = 0;
    this.phoneHook.reconnectAttempts = 0;
    this.setView('phone');
    this.view.show();
    this.stats = new StatsPanel(this.view, this.hook, this.meter, { peer: () => this.session?.peer, initiallyVisible: this.statsWanted });
    this.stats.start();
    const session = new PhoneSession({
      api,
      instanceId: i.instanceId,
      instanceName: i.name || 'your phone',
      where: this.where,
      hook: this.hook,
      phoneHook: this.phoneHook,
      sender: this.sender,
      view: this.view,
      showStream: (stream) => {
        // A new stream on the same element: the meter counts on, and reports its first picture.
        if (this.view.attachStream(stream) && this.streamsShown++ > 0) this.meter.newSource();
      },
      onOutcome: (o) => this.sessionOver(o),
    });
    this.session = session;
    session.start().catch((err: unknown) => {
      console.error('edgeplay phone:', err);
      if (this.session === session) this.sessionOver({ kind: 'failed', code: 'internal', message: `The phone page failed: ${String(err)}` });
    });
  }

  private closeSession(): void {
    this.session?.leave();
    this.session = undefined;
    if (this.stats) {
      this.statsWanted = this.view.statsVisible;
      this.stats.dispose();
      this.stats = undefined;
    }
    delete this.phoneHook.openInstanceId;
  }

  /** The session ended by itself (stopped, unreachable, refused): back to the list, saying why. */
  private sessionOver(o: SessionOutcome): void {
    this.closeSession();
    if (o.kind === 'unauthorized') return this.authFailed(o);
    if (o.kind === 'ended') this.notice(endNotice(o.reason, o.message), isPhoneStoppedReason(o.reason) ? 'info' : 'error', o.reason);
    else this.notice(phoneErrorText(o.code, o.message), 'error', o.code);
    this.showList();
    void this.refresh();
  }

  /** "Back to list": the phone keeps running through its grace period. */
  private leaveToList(): void {
    const name = this.openName();
    this.closeSession();
    this.notice({
      title: `“${name}” is still running.`,
      detail: 'Come back within a few minutes and it is just as you left it; after that it stops by itself. Its data is kept.',
    });
    this.showList();
    void this.refresh();
  }

  private openName(): string {
    const id = this.phoneHook.openInstanceId;
    return this.phoneHook.instances.find((i) => i.instanceId === id)?.name || 'Your phone';
  }

  /** "Stop phone" from the menu: disconnect, stop, back to the list. */
  private async stopOpenPhone(): Promise<void> {
    const id = this.phoneHook.openInstanceId;
    const name = this.openName();
    this.closeSession();
    this.showList();
    if (id) await this.stop(id, name);
  }

  private stopFromList(i: InstanceView): Promise<void> {
    return this.stop(i.instanceId, i.name);
  }

  private async stop(instanceId: string, name: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.list.setBusy(instanceId, true);
    const r = await api.stop(instanceId);
    this.list.setBusy(instanceId, false);
    if (r.ok) this.notice({ title: `“${name}” stopped.`, detail: 'Its data is kept; open it to start it again.' });
    else this.failureNotice(r.error);
    await this.refresh();
  }

  private async remove(i: InstanceView): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.list.setBusy(i.instanceId, true);
    const r = await api.remove(i.instanceId);
    this.list.setBusy(i.instanceId, false);
    if (r.ok) this.notice({ title: `“${i.name}” deleted.`, detail: 'Its apps and data are gone.' });
    else this.failureNotice(r.error);
    await this.refresh();
  }

  private async create(name: string): Promise<{ text: ScreenText; code: string } | undefined> {
    const api = this.api;
    if (!api) return undefined;
    const r = await api.create(name);
    if (!r.ok) {
      if (isAuthFailure(r.error)) {
        this.authFailed(r.error);
        return undefined;
      }
      return { text: phoneErrorText(r.error.code, r.error.message), code: r.error.code };
    }
    this.notice({ title: `“${r.value.name}” is ready.`, detail: 'Open it to start it.' });
    await this.refresh();
    return undefined;
  }

  /** An unexpected exception in the page's own code. */
  crash(err: unknown): void {
    console.error('edgeplay phone:', err);
    this.showError({ title: 'Something went wrong', detail: `The phone page failed: ${String(err)}` }, 'internal', true);
  }
}

function boot(): void {
  const app = new PhoneApp();
  app.run().catch((err: unknown) => app.crash(err));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot, { once: true });
else boot();

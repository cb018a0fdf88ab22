/**
 * The page targets of the phone's Chromium, as the phone source drives them:
 * every page target is attached (flat session) and made a phone — mobile
 * viewport, touch, mobile user agent — and the newest live page is the one
 * that gets input (in kiosk mode a new window opens on top of the old).
 *
 * Emulation belongs to the DevTools session: it is lost if our connection
 * drops (the phone source treats that as a failure), and it is applied again
 * when a page comes back from a renderer crash. A crashed renderer ("Aw,
 * Snap!") is reloaded, a bounded number of times.
 */
import type { Logger } from 'pino';
import type { CdpClient, TargetInfo, UserAgentMetadata } from './cdpClient.ts';

export type PhoneEmulation = {
  width: number;
  height: number;
  userAgent: string;
  userAgentMetadata?: UserAgentMetadata;
  maxTouchPoints?: number;
};

export type ShellPagesOptions = {
  emulation: PhoneEmulation;
  logger: Logger;
  /** The page crashed this many times within `crashWindowMs` → `onGiveUp` (default 3 in 60 s). */
  maxCrashes?: number;
  crashWindowMs?: number;
  onGiveUp: (why: string) => void;
  /** The page that gets input changed (input state must start over). */
  onChange: () => void;
};

type Page = { targetId: string; sessionId: string };

export class ShellPages {
  /** Attached pages, oldest first; the last is current. */
  private readonly pages: Page[] = [];
  private readonly attaching = new Set<string>();
  private readonly crashes: number[] = [];
  private firstPage: (() => void) | undefined;
  /** Page crashes seen (for metrics and tests). */
  crashCount = 0;

  private constructor(
    private readonly cdp: CdpClient,
    private readonly o: ShellPagesOptions,
  ) {}

  /** Subscribes to targets and resolves once a page is attached and emulated (or rejects after `timeoutMs`). */
  static async attach(cdp: CdpClient, o: ShellPagesOptions, timeoutMs = 10_000): Promise<ShellPages> {
    const pages = new ShellPages(cdp, o);
    const first = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no page target in ${timeoutMs} ms`)), timeoutMs);
      pages.firstPage = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    cdp.on('Target.targetCreated', ({ targetInfo }) => pages.consider(targetInfo));
    cdp.on('Target.targetInfoChanged', ({ targetInfo }) => pages.consider(targetInfo));
    cdp.on('Target.targetDestroyed', ({ targetId }) => pages.drop(targetId));
    cdp.on('Target.detachedFromTarget', ({ targetId }) => targetId && pages.drop(targetId));
    cdp.on('Target.targetCrashed', ({ targetId, status }) => pages.crashed(targetId, status));
    // Discovery first: a page created between getTargets and subscribing would otherwise be missed.
    await cdp.send('Target.setDiscoverTargets', { discover: true });
    const { targetInfos } = await cdp.send('Target.getTargets', {});
    for (const t of targetInfos) pages.consider(t);
    await first;
    return pages;
  }

  /** The session of the page that gets input, if any. */
  get sessionId(): string | undefined {
    return this.pages.at(-1)?.sessionId;
  }

  private consider(t: TargetInfo): void {
    if (t.type !== 'page' || this.attaching.has(t.targetId) || this.pages.some((p) => p.targetId === t.targetId)) return;
    this.attaching.add(t.targetId);
    this.adopt(t)
      .catch((err: Error) => this.o.logger.debug({ err: err.message, targetId: t.targetId }, 'could not attach to a page'))
      .finally(() => this.attaching.delete(t.targetId));
  }

  private async adopt(t: TargetInfo): Promise<void> {
    const t0 = Date.now();
    const { sessionId } = await this.cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: true });
    const attachMs = Date.now() - t0;
    await this.emulate(sessionId);
    this.pages.push({ targetId: t.targetId, sessionId });
    this.o.logger.debug({ targetId: t.targetId, url: t.url, attachMs, emulateMs: Date.now() - t0 - attachMs }, 'page attached');
    this.o.onChange();
    this.firstPage?.();
    this.firstPage = undefined;
  }

  private emulate(sessionId: string): Promise<unknown> {
    const e = this.o.emulation;
    const opt = { sessionId };
    return Promise.all([
      this.cdp.send('Emulation.setDeviceMetricsOverride', { width: e.width, height: e.height, deviceScaleFactor: 1, mobile: true }, opt),
      this.cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: e.maxTouchPoints ?? 5 }, opt),
      this.cdp.send('Emulation.setUserAgentOverride', { userAgent: e.userAgent, platform: 'Linux armv8l', userAgentMetadata: e.userAgentMetadata }, opt),
      // No window manager gives the window focus; the page should still act focused (caret, :focus, hasFocus()).
      this.cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true }, opt),
    ]);
  }

  private drop(targetId: string): void {
    const i = this.pages.findIndex((p) => p.targetId === targetId);
    if (i < 0) return;
    const wasCurrent = i === this.pages.length - 1;
    this.pages.splice(i, 1);
    this.o.logger.debug({ targetId, left: this.pages.length }, 'page gone');
    if (wasCurrent) this.o.onChange();
  }

  private crashed(targetId: string, status: string): void {
    const page = this.pages.find((p) => p.targetId === targetId);
    if (!page) return;
    this.crashCount++;
    const now = Date.now();
    this.crashes.push(now);
    while ((this.crashes[0] ?? now) < now - (this.o.crashWindowMs ?? 60_000)) this.crashes.shift();
    if (this.crashes.length >= (this.o.maxCrashes ?? 3)) return this.o.onGiveUp(`shell page crashed ${this.crashes.length} times (${status})`);
    this.o.logger.warn({ targetId, status }, 'shell page crashed, reloading');
    this.o.onChange();
    // Reloading brings up a new renderer under the same target and session; emulation is applied again to be sure.
    this.cdp
      .send('Page.reload', {}, { sessionId: page.sessionId })
      .then(() => this.emulate(page.sessionId))
      .catch((err: Error) => this.o.logger.warn({ err: err.message }, 'could not reload the crashed shell page'));
  }
}

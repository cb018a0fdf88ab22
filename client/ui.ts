/**
 * The player page's DOM: the full-window video, a still of the last
 * picture while reconnecting, the connecting / reconnecting / ended / error
 * overlay (the end screen with the publisher's call to action), the stats
 * panel, a short hint and the countdown badge. Uses the elements of
 * player.html and creates any that are missing.
 */
import { holdStill, releaseStill } from './stillFrame.ts';

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, id: string, tag: K, parent: HTMLElement, className?: string): HTMLElementTagNameMap[K] {
  const found = doc.getElementById(id);
  if (found instanceof HTMLElement && found.tagName.toLowerCase() === tag) return found as HTMLElementTagNameMap[K];
  const made = doc.createElement(tag);
  made.id = id;
  if (className) made.className = className;
  parent.appendChild(made);
  return made;
}

/** 'reconnecting' is translucent: it sits over the last picture. */
export type OverlayKind = 'connecting' | 'reconnecting' | 'ended' | 'error';

export type OverlayOptions = {
  /** A secondary link, e.g. "Play again" (reloads). */
  action?: { text: string; href: string };
  /** The end screen's call to action: opens the publisher's page in a new tab. */
  cta?: { text: string; href: string };
  /** Shown on the title as data-error-code, like the server's own error pages. */
  errorCode?: string;
};

export class PlayerUi {
  readonly video: HTMLVideoElement;
  private readonly still: HTMLCanvasElement;
  private readonly overlay: HTMLDivElement;
  private readonly spinner: HTMLDivElement;
  private readonly title: HTMLHeadingElement;
  private readonly detail: HTMLParagraphElement;
  private readonly cta: HTMLAnchorElement;
  private readonly action: HTMLAnchorElement;
  private readonly stats: HTMLDivElement;
  private readonly hintBox: HTMLDivElement;
  private readonly timer: HTMLDivElement;
  private readonly share: HTMLButtonElement;
  private hintTimer: number | undefined;

  constructor(private readonly doc: Document) {
    const body = doc.body;
    this.video = el(doc, 'video', 'video', body);
    this.video.autoplay = true;
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.disablePictureInPicture = true;
    this.still = el(doc, 'still', 'canvas', body, 'still');
    this.overlay = el(doc, 'overlay', 'div', body, 'overlay');
    this.spinner = el(doc, 'overlay-spinner', 'div', this.overlay, 'spinner');
    this.title = el(doc, 'overlay-title', 'h1', this.overlay);
    this.detail = el(doc, 'overlay-detail', 'p', this.overlay);
    this.cta = el(doc, 'overlay-cta', 'a', this.overlay, 'button cta');
    this.action = el(doc, 'overlay-action', 'a', this.overlay, 'button');
    this.stats = el(doc, 'stats', 'div', body, 'stats');
    this.hintBox = el(doc, 'hint', 'div', body, 'hint');
    this.timer = el(doc, 'timer', 'div', body, 'timer');
    this.share = el(doc, 'share', 'button', body, 'share');
    this.share.type = 'button';
    this.share.textContent = 'Invite spectators';
    this.share.hidden = true;
    this.share.dataset.testid = 'share';
    this.cta.dataset.testid = 'end-cta';
    this.timer.dataset.testid = 'countdown';
  }

  /** The blocking overlay. */
  showOverlay(kind: OverlayKind, title: string, detail = '', opts: OverlayOptions = {}): void {
    this.overlay.hidden = false;
    this.overlay.dataset.kind = kind;
    // Tests and QA find the end screen by test id; it is the same overlay in its 'ended' form.
    if (kind === 'ended') this.overlay.dataset.testid = 'end-screen';
    else delete this.overlay.dataset.testid;
    this.spinner.hidden = kind !== 'connecting' && kind !== 'reconnecting';
    this.title.textContent = title;
    if (opts.errorCode) this.title.dataset.errorCode = opts.errorCode;
    else delete this.title.dataset.errorCode;
    this.detail.textContent = detail;
    this.detail.hidden = detail.length === 0;
    this.cta.hidden = !opts.cta;
    if (opts.cta) {
      this.cta.textContent = opts.cta.text;
      this.cta.href = opts.cta.href;
      this.cta.target = '_blank';
      this.cta.rel = 'noopener';
    }
    this.action.hidden = !opts.action;
    if (opts.action) {
      this.action.textContent = opts.action.text;
      this.action.href = opts.action.href;
    }
    if (kind === 'ended' || kind === 'error') {
      this.setTimer(undefined);
      this.releaseStill();
    }
  }

  hideOverlay(): void {
    this.overlay.hidden = true;
  }

  /** Keeps the last picture on screen while reconnecting (client/stillFrame.ts). */
  holdStill(): void {
    holdStill(this.video, this.still);
  }

  releaseStill(): void {
    releaseStill(this.still);
  }

  /** A short message at the bottom of the screen that fades after `ms`. */
  /** Shows the player's "Invite spectators" button. */
  offerShare(onClick: () => void): void {
    this.share.hidden = false;
    this.share.onclick = (e) => {
      e.stopPropagation();
      onClick();
    };
  }

  hint(text: string, ms = 4000): void {
    this.hintBox.textContent = text;
    this.hintBox.classList.add('visible');
    if (this.hintTimer !== undefined) window.clearTimeout(this.hintTimer);
    this.hintTimer = window.setTimeout(() => this.hintBox.classList.remove('visible'), ms);
  }

  /** The time-left badge; undefined hides it. */
  setTimer(text: string | undefined): void {
    this.timer.hidden = text === undefined;
    this.timer.textContent = text ?? '';
  }

  get statsVisible(): boolean {
    return !this.stats.hidden;
  }

  setStatsVisible(visible: boolean): void {
    this.stats.hidden = !visible;
  }

  renderStats(rows: ReadonlyArray<readonly [string, string]>): void {
    const doc = this.doc;
    const table = doc.createElement('table');
    for (const [label, value] of rows) {
      const tr = doc.createElement('tr');
      const th = doc.createElement('th');
      th.textContent = label;
      const td = doc.createElement('td');
      td.textContent = value;
      tr.append(th, td);
      table.appendChild(tr);
    }
    this.stats.replaceChildren(table);
  }
}

/**
 * The player page's DOM: the full-window video, the connecting / ended /
 * error overlay, the stats panel, a short hint and the time-left badge.
 * Uses the elements of player.html and creates any that are missing.
 */

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, id: string, tag: K, parent: HTMLElement, className?: string): HTMLElementTagNameMap[K] {
  const found = doc.getElementById(id);
  if (found instanceof HTMLElement && found.tagName.toLowerCase() === tag) return found as HTMLElementTagNameMap[K];
  const made = doc.createElement(tag);
  made.id = id;
  if (className) made.className = className;
  parent.appendChild(made);
  return made;
}

export type OverlayKind = 'connecting' | 'ended' | 'error';

export class PlayerUi {
  readonly video: HTMLVideoElement;
  private readonly overlay: HTMLDivElement;
  private readonly spinner: HTMLDivElement;
  private readonly title: HTMLHeadingElement;
  private readonly detail: HTMLParagraphElement;
  private readonly action: HTMLAnchorElement;
  private readonly stats: HTMLDivElement;
  private readonly hintBox: HTMLDivElement;
  private readonly timer: HTMLDivElement;
  private hintTimer: number | undefined;

  constructor(private readonly doc: Document) {
    const body = doc.body;
    this.video = el(doc, 'video', 'video', body);
    this.video.autoplay = true;
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.disablePictureInPicture = true;
    this.overlay = el(doc, 'overlay', 'div', body, 'overlay');
    this.spinner = el(doc, 'overlay-spinner', 'div', this.overlay, 'spinner');
    this.title = el(doc, 'overlay-title', 'h1', this.overlay);
    this.detail = el(doc, 'overlay-detail', 'p', this.overlay);
    this.action = el(doc, 'overlay-action', 'a', this.overlay, 'button');
    this.stats = el(doc, 'stats', 'div', body, 'stats');
    this.hintBox = el(doc, 'hint', 'div', body, 'hint');
    this.timer = el(doc, 'timer', 'div', body, 'timer');
  }

  /** The blocking overlay; `action` adds a link (e.g. "Play again" that reloads). */
  showOverlay(kind: OverlayKind, title: string, detail = '', action?: { text: string; href: string }): void {
    this.overlay.hidden = false;
    this.overlay.dataset.kind = kind;
    this.spinner.hidden = kind !== 'connecting';
    this.title.textContent = title;
    this.detail.textContent = detail;
    this.detail.hidden = detail.length === 0;
    this.action.hidden = !action;
    if (action) {
      this.action.textContent = action.text;
      this.action.href = action.href;
    }
    if (kind !== 'connecting') this.setTimer(undefined);
  }

  hideOverlay(): void {
    this.overlay.hidden = true;
  }

  /** A short message at the bottom of the screen that fades after `ms`. */
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

/**
 * The streaming view's DOM (phone.html #phone-view): the phone picture in
 * its clipping box, the navigation bar, the hidden text field for the
 * handset's keyboard, the connecting / reconnecting overlay, the menu and
 * the stats panel. It positions everything from layout.ts and re-lays out
 * whenever the screen changes (rotation, the on-screen keyboard, a resized
 * window, the stream's size), and maps client points onto the phone with
 * the same numbers.
 */
import type { NavAction } from '../../protocol/input.ts';
import type { StatsView } from '../statsOverlay.ts';
import { byId, place } from './dom.ts';
import { computeLayout, hiddenTopRows, mapPoint } from './layout.ts';
import type { PhoneLayout, PicturePoint, Size } from './layout.ts';
import { holdStill, releaseStill } from '../stillFrame.ts';

export type PhoneViewHandlers = {
  nav(action: NavAction): void;
  /** "Back to list": disconnect, the phone keeps running for its grace period. */
  backToList(): void;
  stopPhone(): void;
  toggleStats(): void;
  /** After every re-layout: where the picture now is, in client px. */
  layoutChanged?(layout: PhoneLayout, pictureOnScreen: DOMRect): void;
};

export type OverlayKind = 'connecting' | 'reconnecting';

export class PhoneView implements StatsView {
  readonly root: HTMLElement;
  readonly picture: HTMLDivElement;
  readonly video: HTMLVideoElement;
  readonly textField: HTMLInputElement;
  private readonly still: HTMLCanvasElement;
  private readonly navbar: HTMLElement;
  private readonly keyboardButton: HTMLButtonElement;
  private readonly overlay: HTMLDivElement;
  private readonly overlaySpinner: HTMLDivElement;
  private readonly overlayTitle: HTMLHeadingElement;
  private readonly overlayDetail: HTMLParagraphElement;
  private readonly menu: HTMLDivElement;
  private readonly statsButton: HTMLButtonElement;
  private readonly stats: HTMLDivElement;
  private layoutNow: PhoneLayout;
  /** The stream's size from the edge's welcome, until the video element knows it. */
  private videoHint: Size | undefined;
  private relayoutFrame: number | undefined;

  constructor(
    private readonly doc: Document,
    private readonly handlers: PhoneViewHandlers,
  ) {
    this.root = byId(doc, 'phone-view', HTMLElement);
    this.picture = byId(doc, 'picture', HTMLDivElement);
    this.video = byId(doc, 'video', HTMLVideoElement);
    this.still = byId(doc, 'still', HTMLCanvasElement);
    this.navbar = byId(doc, 'navbar', HTMLElement);
    this.keyboardButton = byId(doc, 'nav-keyboard', HTMLButtonElement);
    this.textField = byId(doc, 'text-input', HTMLInputElement);
    this.overlay = byId(doc, 'phone-overlay', HTMLDivElement);
    this.overlaySpinner = byId(doc, 'phone-overlay-spinner', HTMLDivElement);
    this.overlayTitle = byId(doc, 'phone-overlay-title', HTMLHeadingElement);
    this.overlayDetail = byId(doc, 'phone-overlay-detail', HTMLParagraphElement);
    this.menu = byId(doc, 'menu', HTMLDivElement);
    this.statsButton = byId(doc, 'menu-stats', HTMLButtonElement);
    this.stats = byId(doc, 'stats', HTMLDivElement);
    this.video.muted = true; // autoplay needs it; unmute() turns sound on at the first gesture
    this.video.playsInline = true;
    this.video.disablePictureInPicture = true;
    this.layoutNow = computeLayout({ viewport: { width: 0, height: 0 }, video: { width: 0, height: 0 }, hiddenRows: 0 });

    const navs: ReadonlyArray<[string, NavAction]> = [
      ['nav-back', 'back'],
      ['nav-home', 'home'],
      ['nav-recents', 'recents'],
    ];
    for (const [id, action] of navs) byId(doc, id, HTMLButtonElement).addEventListener('click', () => handlers.nav(action));
    // Bar buttons must not take the focus: the handset's keyboard (on the hidden field) stays open across a Back.
    for (const b of this.navbar.querySelectorAll('button')) b.addEventListener('pointerdown', (e) => e.preventDefault());
    byId(doc, 'nav-menu', HTMLButtonElement).addEventListener('click', () => this.setMenuOpen(this.menu.hidden));
    this.keyboardButton.addEventListener('click', () => this.toggleKeyboard());
    this.textField.addEventListener('focus', () => this.keyboardButton.setAttribute('aria-pressed', 'true'));
    this.textField.addEventListener('blur', () => this.keyboardButton.setAttribute('aria-pressed', 'false'));
    byId(doc, 'menu-back', HTMLButtonElement).addEventListener('click', () => {
      this.setMenuOpen(false);
      handlers.backToList();
    });
    byId(doc, 'menu-stop', HTMLButtonElement).addEventListener('click', () => {
      this.setMenuOpen(false);
      handlers.stopPhone();
    });
    this.statsButton.addEventListener('click', () => {
      this.setMenuOpen(false);
      handlers.toggleStats();
    });
    byId(doc, 'menu-close', HTMLButtonElement).addEventListener('click', () => this.setMenuOpen(false));
    // While connecting or reconnecting the overlay covers the bar: its own way out.
    byId(doc, 'phone-overlay-cancel', HTMLButtonElement).addEventListener('click', () => handlers.backToList());
    // A tap beside the sheet closes the menu.
    this.menu.addEventListener('click', (e) => e.target === this.menu && this.setMenuOpen(false));
    // The long-press menu and text selection anywhere in the view would steal gestures.
    this.root.addEventListener('contextmenu', (e) => e.target !== this.textField && e.preventDefault());
    // iOS Safari ignores user-scalable=no, but lets a page refuse its pinch-zoom gesture events.
    for (const type of ['gesturestart', 'gesturechange']) this.root.addEventListener(type, (e) => e.preventDefault(), { passive: false });

    const relayout = () => this.scheduleRelayout();
    window.addEventListener('resize', relayout);
    window.addEventListener('orientationchange', relayout);
    window.visualViewport?.addEventListener('resize', relayout);
    window.visualViewport?.addEventListener('scroll', relayout);
    // The stream's size is known (or changes) with its frames.
    this.video.addEventListener('resize', relayout);
    this.video.addEventListener('loadedmetadata', relayout);
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  get layout(): PhoneLayout {
    return this.layoutNow;
  }

  show(): void {
    this.root.hidden = false;
    this.relayout();
  }

  /** Leaves the view: no menu, no keyboard, no stream, no last picture. */
  hide(): void {
    this.setMenuOpen(false);
    this.textField.blur();
    this.root.hidden = true;
    this.hideOverlay();
    this.releaseStill();
    this.video.srcObject = null;
    this.videoHint = undefined;
  }

  setVideoHint(size: Size | undefined): void {
    this.videoHint = size && size.width > 0 && size.height > 0 ? size : undefined;
    this.scheduleRelayout();
  }

  /** Shows `stream` in the picture; true when it is a different stream than before. */
  attachStream(stream: MediaStream): boolean {
    const v = this.video;
    const changed = v.srcObject !== stream;
    if (changed) v.srcObject = stream;
    v.play().catch(() => undefined); // muted autoplay; a failure shows as no first frame
    return changed;
  }

  /** Turns sound on at a user gesture when the stream has audio (autoplay starts muted). */
  unmute(): void {
    const v = this.video;
    const s = v.srcObject;
    if (!v.muted || !(s instanceof MediaStream) || s.getAudioTracks().length === 0) return;
    v.muted = false;
    v.play().catch(() => {
      v.muted = true;
      v.play().catch(() => undefined);
    });
  }

  /** A client point (touch, mouse) → the phone's normalised coordinates; see layout.ts mapPoint. */
  mapClient(clientX: number, clientY: number): PicturePoint {
    // The view's own box gives the offset in the same coordinate space as the event, whatever the visual viewport does.
    const r = this.root.getBoundingClientRect();
    return mapPoint(this.layoutNow, clientX - r.left, clientY - r.top);
  }

  /** Coalesces bursts (a rotation fires resize, orientationchange and visualViewport events together). */
  private scheduleRelayout(): void {
    if (this.relayoutFrame !== undefined) return;
    this.relayoutFrame = requestAnimationFrame(() => {
      this.relayoutFrame = undefined;
      this.relayout();
    });
  }

  /** Sizes the view to the visual viewport (above the on-screen keyboard) and places everything. */
  relayout(): void {
    if (this.root.hidden) return;
    const vv = window.visualViewport;
    const viewport = vv ? { width: vv.width, height: vv.height } : { width: window.innerWidth, height: window.innerHeight };
    place(this.root, { left: vv?.offsetLeft ?? 0, top: vv?.offsetTop ?? 0, ...viewport });
    const v = this.video;
    const frame = v.videoWidth > 0 && v.videoHeight > 0 ? { width: v.videoWidth, height: v.videoHeight } : (this.videoHint ?? { width: 0, height: 0 });
    const layout = computeLayout({ viewport, video: frame, hiddenRows: hiddenTopRows(frame.width || 720) });
    this.layoutNow = layout;
    place(this.picture, layout.picture);
    place(v, layout.video);
    place(this.still, layout.video);
    place(this.navbar, layout.nav);
    this.navbar.dataset.placement = layout.navPlacement;
    this.root.dataset.orientation = viewport.width > viewport.height ? 'landscape' : 'portrait';
    this.handlers.layoutChanged?.(layout, this.picture.getBoundingClientRect());
  }

  showOverlay(kind: OverlayKind, title: string, detail = ''): void {
    this.overlay.hidden = false;
    this.overlay.dataset.kind = kind;
    this.overlaySpinner.hidden = false;
    this.overlayTitle.textContent = title;
    this.overlayDetail.textContent = detail;
    this.overlayDetail.hidden = detail === '';
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

  private setMenuOpen(open: boolean): void {
    this.menu.hidden = !open;
    this.statsButton.textContent = this.statsVisible ? 'Hide stats' : 'Show stats';
  }

  private toggleKeyboard(): void {
    if (this.doc.activeElement === this.textField) this.textField.blur();
    else this.textField.focus({ preventScroll: true });
  }

  // ---- StatsView ----

  get statsVisible(): boolean {
    return !this.stats.hidden;
  }

  setStatsVisible(visible: boolean): void {
    this.stats.hidden = !visible;
  }

  renderStats(rows: ReadonlyArray<readonly [string, string]>): void {
    const table = this.doc.createElement('table');
    for (const [label, value] of rows) {
      const tr = this.doc.createElement('tr');
      const th = this.doc.createElement('th');
      th.textContent = label;
      const td = this.doc.createElement('td');
      td.textContent = value;
      tr.append(th, td);
      table.appendChild(tr);
    }
    this.stats.replaceChildren(table);
  }
}

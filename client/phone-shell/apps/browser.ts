/**
 * Browser: a URL bar over a frame. Each page the shell opens gets a fresh
 * iframe, so the shell's own session history never grows (a stray
 * BrowserBack key or history.back() cannot navigate the shell away); links
 * followed inside same-origin pages are noticed on load and pushed as
 * screens, so the nav bar's back walks the pages. Cross-origin pages hide
 * their address, and sites that forbid framing (X-Frame-Options) show the
 * browser's error page.
 */
import { h } from '../dom.ts';
import { icon } from '../icons.ts';
import type { ScreenEntry } from '../navigation.ts';
import { START_PAGE, displayUrl, normalizeUrl } from '../urls.ts';
import type { AppView, ShellContext } from './types.ts';

export class BrowserApp implements AppView {
  readonly id = 'browser' as const;
  readonly title = 'Browser';
  readonly root: ScreenEntry;
  private readonly startUrl = new URL(START_PAGE, location.href).toString();
  readonly el: HTMLElement;
  private readonly urlInput: HTMLInputElement;
  private readonly error: HTMLElement;
  private readonly frameBox: HTMLElement;
  private frame: HTMLIFrameElement | undefined;
  /** The address the current frame was opened at or last reported. */
  private frameUrl: string | undefined;

  constructor(private readonly ctx: ShellContext) {
    this.root = { screen: 'page', data: this.startUrl };
    this.urlInput = h('input', {
      class: 'url-input',
      attrs: {
        type: 'text',
        inputmode: 'url',
        enterkeyhint: 'go',
        autocomplete: 'off',
        autocapitalize: 'off',
        spellcheck: 'false',
        placeholder: 'Type a web address',
        'aria-label': 'Address',
        'data-testid': 'url-input',
      },
    });
    // Select the whole address on focus, as phone browsers do, so typing replaces it.
    this.urlInput.addEventListener('focus', () => this.urlInput.select());
    const form = h('form', { class: 'url-form', attrs: { novalidate: '' } }, this.urlInput);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.go(this.urlInput.value);
    });
    const reload = h('button', { class: 'icon-button', attrs: { type: 'button', 'aria-label': 'Reload', 'data-testid': 'browser-reload' } }, icon('reload'));
    reload.addEventListener('click', () => this.frameUrl && this.load(this.frameUrl));
    this.error = h('p', { class: 'url-error', attrs: { role: 'alert', 'data-testid': 'url-error' } });
    this.error.hidden = true;
    this.frameBox = h('div', { class: 'frame-box' });
    this.el = h(
      'section',
      { class: 'app app-browser', attrs: { 'data-testid': 'app-browser-view' } },
      h('div', { class: 'app-bar' }, form, reload),
      this.error,
      this.frameBox,
    );
  }

  show(entry: ScreenEntry): void {
    const url = entry.data ?? this.startUrl;
    if (url !== this.frameUrl) this.load(url);
    if (document.activeElement !== this.urlInput) this.urlInput.value = displayUrl(url);
  }

  describe(entry: ScreenEntry): string {
    return displayUrl(entry.data ?? '');
  }

  private go(typed: string): void {
    const result = normalizeUrl(typed, location.href);
    if (!result.ok) {
      this.error.textContent = result.error;
      this.error.hidden = false;
      return;
    }
    this.error.hidden = true;
    this.urlInput.blur();
    this.ctx.nav.push({ screen: 'page', data: result.url }, 'browser');
    this.ctx.render();
  }

  private load(url: string): void {
    this.frameUrl = url;
    this.error.hidden = true;
    const frame = h('iframe', {
      class: 'page-frame',
      attrs: {
        src: url,
        title: 'Page',
        'data-testid': 'browser-frame',
        // No allow-top-navigation: a framed page must not replace the shell. No popups: there is no tab strip.
        sandbox: 'allow-scripts allow-forms allow-same-origin',
        referrerpolicy: 'no-referrer',
      },
    });
    let loads = 0;
    frame.addEventListener('load', () => this.onFrameLoad(frame, ++loads === 1));
    this.frame?.remove();
    this.frame = frame;
    this.frameBox.append(frame);
  }

  private onFrameLoad(frame: HTMLIFrameElement, firstLoad: boolean): void {
    if (frame !== this.frame) return;
    let href: string | undefined;
    try {
      href = frame.contentWindow?.location.href; // throws for cross-origin pages
      if (frame.contentWindow) this.ctx.watchFrameInput(frame.contentWindow);
    } catch {
      return;
    }
    if (!href || href === 'about:blank' || href === this.frameUrl) return;
    // The first load landing elsewhere is a redirect: replace the screen (back must not bounce into it
    // again). A later load is a link followed inside the page: a new screen, so back returns.
    this.frameUrl = href;
    if (firstLoad) this.ctx.nav.replace({ screen: 'page', data: href }, 'browser');
    else this.ctx.nav.push({ screen: 'page', data: href }, 'browser');
    if (document.activeElement !== this.urlInput) this.urlInput.value = displayUrl(href);
  }
}

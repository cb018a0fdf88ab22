/**
 * A confirmation sheet drawn by the shell inside its own screen area.
 * window.confirm() would block the page's event loop, freezing the latency
 * stamp and every animation frame while it is open, and it is drawn by the
 * browser outside the page.
 */
import { h } from '../dom.ts';
import { bindPress } from './press.ts';

export type ConfirmOptions = { title: string; message?: string; okLabel: string; danger?: boolean };

export class Dialog {
  readonly el: HTMLElement;
  private resolve: ((ok: boolean) => void) | undefined;
  /** Whether the current tap began on the backdrop (see the click handler). */
  private downOnBackdrop = false;

  constructor() {
    this.el = h('div', { class: 'dialog-backdrop', attrs: { 'data-testid': 'dialog' } });
    this.el.hidden = true;
    // A tap outside the sheet dismisses it, as on phones; but only a tap that began there: the
    // finger that long-pressed a note to open this dialog lifts over the backdrop, and Chromium
    // still turns that release into a click.
    this.el.addEventListener('pointerdown', (e) => (this.downOnBackdrop = e.target === this.el));
    this.el.addEventListener('click', (e) => {
      if (e.target === this.el && this.downOnBackdrop) this.close(false);
      this.downOnBackdrop = false;
    });
  }

  get open(): boolean {
    return this.resolve !== undefined;
  }

  confirm(opts: ConfirmOptions): Promise<boolean> {
    this.close(false);
    this.downOnBackdrop = false;
    const cancel = h('button', { class: 'dialog-button', text: 'Cancel', attrs: { type: 'button', 'data-testid': 'dialog-cancel' } });
    const ok = h('button', {
      class: `dialog-button ${opts.danger ? 'danger' : 'primary'}`,
      text: opts.okLabel,
      attrs: { type: 'button', 'data-testid': 'dialog-ok' },
    });
    bindPress(cancel, () => this.close(false));
    bindPress(ok, () => this.close(true));
    const sheet = h(
      'div',
      { class: 'dialog', attrs: { role: 'alertdialog', 'aria-modal': 'true' } },
      h('h2', { text: opts.title }),
      opts.message ? h('p', { text: opts.message }) : null,
      h('div', { class: 'dialog-actions' }, cancel, ok),
    );
    this.el.replaceChildren(sheet);
    this.el.hidden = false;
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  /** Closes with `ok` (false: cancelled, e.g. by the back button). */
  close(ok: boolean): void {
    const r = this.resolve;
    this.resolve = undefined;
    this.el.hidden = true;
    this.el.replaceChildren();
    r?.(ok);
  }
}

/**
 * Phone: a dialler keypad and a pretend "Calling…" screen. There is no
 * telephony behind it and the UI says so; dialled numbers are remembered in
 * the profile like a call log.
 */
import { formatDuration } from '../clock.ts';
import { DIAL_KEYS, DIAL_LETTERS, type DialRecents, backspaceNumber, isDialKey, pressDialKey } from '../dialerModel.ts';
import { h } from '../dom.ts';
import { icon } from '../icons.ts';
import type { ScreenEntry } from '../navigation.ts';
import { bindPress } from '../ui/press.ts';
import type { AppView, ShellContext } from './types.ts';

const NOT_CONNECTED = 'Calls are not connected in this demo';

export class PhoneApp implements AppView {
  readonly id = 'phone' as const;
  readonly title = 'Phone';
  readonly root: ScreenEntry = { screen: 'keypad' };
  readonly el: HTMLElement;
  private number = '';
  private readonly display: HTMLElement;
  private readonly recentList: HTMLElement;
  private readonly keypadScreen: HTMLElement;
  private readonly callScreen: HTMLElement;
  private readonly callNumber: HTMLElement;
  private readonly callTime: HTMLElement;
  private callTimer: ReturnType<typeof setInterval> | undefined;
  private readonly recents: DialRecents;

  constructor(private readonly ctx: ShellContext) {
    this.recents = ctx.dialRecents;
    this.display = h('output', { class: 'dial-number', attrs: { 'data-testid': 'dial-number', 'aria-live': 'polite' } });
    const keys = DIAL_KEYS.map((k) => {
      const b = h(
        'button',
        { class: 'dial-key', attrs: { type: 'button', 'data-key': k, 'data-testid': `dial-${k}`, 'aria-label': k } },
        h('span', { class: 'dial-digit', text: k }),
        h('span', { class: 'dial-letters', text: DIAL_LETTERS[k] ?? '' }),
      );
      bindPress(b, () => this.setNumber(pressDialKey(this.number, k)), { on: 'down' });
      return b;
    });
    const call = h('button', { class: 'call-button', attrs: { type: 'button', 'aria-label': 'Call', 'data-testid': 'dial-call' } }, icon('phone'));
    call.addEventListener('click', () => this.call());
    const back = h(
      'button',
      { class: 'icon-button dial-backspace', attrs: { type: 'button', 'aria-label': 'Delete digit', 'data-testid': 'dial-backspace' } },
      icon('backspace'),
    );
    bindPress(back, () => this.setNumber(backspaceNumber(this.number)), { on: 'down' });
    this.recentList = h('ul', { class: 'dial-recents', attrs: { 'data-testid': 'dial-recents' } });
    this.keypadScreen = h(
      'div',
      { class: 'screen dialer' },
      this.display,
      h('p', { class: 'dial-note', text: NOT_CONNECTED }),
      h('div', { class: 'dial-grid' }, ...keys),
      h('div', { class: 'dial-actions' }, h('span'), call, back),
      h('h2', { class: 'dial-recents-title', text: 'Recent' }),
      this.recentList,
    );

    this.callNumber = h('div', { class: 'call-number', attrs: { 'data-testid': 'call-number' } });
    this.callTime = h('div', { class: 'call-time' });
    const hangup = h('button', { class: 'hangup-button', attrs: { type: 'button', 'aria-label': 'Hang up', 'data-testid': 'call-hangup' } }, icon('hangup'));
    hangup.addEventListener('click', () => {
      this.ctx.nav.back();
      this.ctx.render();
    });
    this.callScreen = h(
      'div',
      { class: 'screen calling', attrs: { 'data-testid': 'calling' } },
      h('div', { class: 'call-status', text: 'Calling…' }),
      this.callNumber,
      this.callTime,
      h('p', { class: 'call-note', text: NOT_CONNECTED }),
      hangup,
    );
    this.el = h('section', { class: 'app app-phone', attrs: { 'data-testid': 'app-phone-view' } }, this.keypadScreen, this.callScreen);
    this.setNumber('');
  }

  show(entry: ScreenEntry): void {
    const calling = entry.screen === 'calling';
    this.keypadScreen.hidden = calling;
    this.callScreen.hidden = !calling;
    this.stopTimer();
    if (calling) {
      this.callNumber.textContent = entry.data ?? '';
      const started = Date.now();
      this.callTime.textContent = formatDuration(0);
      this.callTimer = setInterval(() => (this.callTime.textContent = formatDuration(Date.now() - started)), 1000);
    } else {
      this.renderRecents();
    }
  }

  hide(): void {
    this.stopTimer();
  }

  describe(entry: ScreenEntry): string {
    return entry.screen === 'calling' ? `Calling ${entry.data ?? ''}` : this.number || 'Keypad';
  }

  /** A hardware keyboard dials too: digits, * and #, Backspace, Enter to call. */
  onKey(e: KeyboardEvent): boolean {
    if (this.callScreen.hidden === false) return false;
    if (isDialKey(e.key)) this.setNumber(pressDialKey(this.number, e.key));
    else if (e.key === 'Backspace') this.setNumber(backspaceNumber(this.number));
    else if (e.key === 'Enter') this.call();
    else return false;
    return true;
  }

  private setNumber(n: string): void {
    this.number = n;
    this.display.textContent = n;
    this.display.classList.toggle('empty', n === '');
  }

  private call(): void {
    if (!this.number) {
      // As on phones: the call button on an empty keypad brings back the last number.
      this.setNumber(this.recents.list()[0]?.number ?? '');
      return;
    }
    this.recents.add(this.number);
    const n = this.number;
    this.setNumber('');
    this.ctx.nav.push({ screen: 'calling', data: n });
    this.ctx.render();
  }

  private renderRecents(): void {
    const calls = this.recents.list();
    if (calls.length === 0) {
      this.recentList.replaceChildren(h('li', { class: 'empty', text: 'No calls yet' }));
      return;
    }
    this.recentList.replaceChildren(
      ...calls.map((c) =>
        h(
          'li',
          { class: 'dial-recent', attrs: { role: 'button', tabindex: '0' }, on: { click: () => this.setNumber(c.number) } },
          h('span', { class: 'dial-recent-number', text: c.number }),
          h('span', { class: 'dial-recent-date', text: new Date(c.at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) }),
        ),
      ),
    );
  }

  private stopTimer(): void {
    if (this.callTimer !== undefined) clearInterval(this.callTimer);
    this.callTimer = undefined;
  }
}

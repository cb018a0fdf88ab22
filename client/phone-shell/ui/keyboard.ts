/**
 * The shell's on-screen keyboard. It opens whenever a text field has the
 * focus and types into that field with document.execCommand('insertText'),
 * which goes through the browser's editing path: the field gets
 * beforeinput/input events and undo history as if typed. Real typing (CDP
 * Input.insertText, key events) reaches the field directly; the keyboard
 * just stays open beside it.
 */
import { focusedTextField, h } from '../dom.ts';
import { icon } from '../icons.ts';
import { INITIAL_KEYBOARD, type KeyDef, type KeyEffect, type KeyboardState, LAYOUTS, enterLabelFor, keyLabel, keyWidth, pressKey } from '../keyboardLayout.ts';
import { bindPress, keepFocus } from './press.ts';

const REPEAT_DELAY_MS = 400;
const REPEAT_EVERY_MS = 60;
const MAX_REPEATS = 300;

type TextField = HTMLInputElement | HTMLTextAreaElement;

export class OnScreenKeyboard {
  readonly el: HTMLElement;
  private state: KeyboardState = { ...INITIAL_KEYBOARD };
  private field: TextField | undefined;
  private repeat: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(open: boolean) => void>();

  constructor() {
    this.el = h('div', { class: 'keyboard', attrs: { 'data-testid': 'keyboard', role: 'group', 'aria-label': 'Keyboard' } });
    this.el.hidden = true;
    keepFocus(this.el); // taps between keys must not blur the field either
    document.addEventListener('focusin', () => this.sync());
    // focusout fires before the next element takes the focus: decide once it has.
    document.addEventListener('focusout', () => setTimeout(() => this.sync(), 0));
  }

  get isOpen(): boolean {
    return this.field !== undefined;
  }

  onToggle(listener: (open: boolean) => void): void {
    this.listeners.add(listener);
  }

  /** Closes the keyboard by taking the focus from the field (Android: back hides the keyboard first). */
  dismiss(): boolean {
    if (!this.field) return false;
    this.field.blur();
    this.sync();
    return true;
  }

  private sync(): void {
    const field = focusedTextField();
    if (field === this.field) return;
    const wasOpen = this.isOpen;
    this.field = field;
    this.stopRepeat();
    if (field) {
      this.state = { ...INITIAL_KEYBOARD };
      this.draw();
    }
    this.el.hidden = !field;
    if (wasOpen !== this.isOpen) for (const l of this.listeners) l(this.isOpen);
    // The screen area just got shorter: keep the caret's field in sight.
    if (field) requestAnimationFrame(() => field.scrollIntoView({ block: 'nearest' }));
  }

  private draw(): void {
    const enter = enterLabelFor(this.field?.getAttribute('enterkeyhint'));
    const rows = LAYOUTS[this.state.layout].map((row) => h('div', { class: 'kb-row' }, ...row.map((key) => this.keyButton(key, enter))));
    this.el.replaceChildren(...rows);
    this.el.dataset.layout = this.state.layout;
  }

  private keyButton(key: KeyDef, enterLabel: string): HTMLElement {
    const label = keyLabel(key, this.state, enterLabel);
    const b = h('button', {
      class: `kb-key kb-${key.kind}${key.kind === 'shift' && this.state.shift ? ' on' : ''}`,
      attrs: { type: 'button', tabindex: '-1', 'data-key': key.kind === 'char' ? key.char : key.kind, 'aria-label': label },
    });
    b.style.flexGrow = String(keyWidth(key));
    if (key.kind === 'backspace') b.append(icon('backspace'));
    else b.textContent = label;
    bindPress(b, () => this.press(key), { on: 'down' });
    if (key.kind === 'backspace') {
      // Held down, backspace repeats like a phone keyboard's.
      b.addEventListener('pointerdown', () => this.startRepeat(key));
      for (const t of ['pointerup', 'pointercancel', 'pointerleave'] as const) b.addEventListener(t, () => this.stopRepeat());
    }
    return b;
  }

  private press(key: KeyDef): void {
    const { state, effect } = pressKey(this.state, key);
    const redraw = state.layout !== this.state.layout || state.shift !== this.state.shift;
    this.state = state;
    if (this.field) apply(this.field, effect);
    if (redraw) this.draw();
  }

  private startRepeat(key: KeyDef): void {
    this.stopRepeat();
    let n = 0;
    const step = () => {
      if (!this.field || n++ >= MAX_REPEATS) return this.stopRepeat();
      this.press(key);
      this.repeat = setTimeout(step, REPEAT_EVERY_MS);
    };
    this.repeat = setTimeout(step, REPEAT_DELAY_MS);
  }

  private stopRepeat(): void {
    if (this.repeat !== undefined) clearTimeout(this.repeat);
    this.repeat = undefined;
  }
}

/** Applies a key's effect to the field through the editing commands, with a setRangeText fallback. */
function apply(field: TextField, effect: KeyEffect): void {
  if (document.activeElement !== field) field.focus();
  switch (effect.type) {
    case 'insert':
      if (!document.execCommand('insertText', false, effect.text)) insertFallback(field, effect.text);
      return;
    case 'delete':
      if (!document.execCommand('delete', false)) deleteFallback(field);
      return;
    case 'enter':
      if (field instanceof HTMLTextAreaElement) {
        if (!document.execCommand('insertText', false, '\n')) insertFallback(field, '\n');
      } else if (field.form) {
        field.form.requestSubmit();
      } else {
        field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
      }
      return;
    case 'none':
      return;
  }
}

function insertFallback(field: TextField, text: string): void {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.setRangeText(text, start, end, 'end');
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
}

function deleteFallback(field: TextField): void {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  if (start === end && start === 0) return;
  field.setRangeText('', start === end ? start - 1 : start, end, 'end');
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
}

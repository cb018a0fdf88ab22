/**
 * Keyboard input for the phone: a physical keyboard's keys as `key` events
 * (down and up, KeyboardEvent.code), and text typed on the handset's own
 * on-screen keyboard as `text` events.
 *
 * On-screen keyboards only open for a focused text field, and send
 * composed text rather than key codes (Android's keydown says
 * "Unidentified", code ''). So the page keeps a hidden input: the
 * "keyboard" button focuses it, and what the keyboard puts into it is read
 * from `beforeinput` (plain insertions, deletions, Enter) and
 * `compositionend` (IME words), then the field is emptied again. While that
 * field is focused, printable keys of a physical keyboard arrive as text
 * too (no doubles), and the other keys (arrows, Backspace, Enter, Escape...)
 * as key events.
 */
import type { InputEvent } from '../../protocol/input.ts';
import { preventsKey } from '../inputCapture.ts';

/** KeyboardEvent.code values the protocol accepts. */
const KEY_CODE = /^[A-Za-z0-9]{1,32}$/;
/**
 * Keys whose `key` name is also their `code`. Android's keyboards leave
 * `code` empty, but name some keys: Backspace on the (always empty) hidden
 * field fires no input event at all, only such a keydown.
 */
const NAMED_KEYS: ReadonlySet<string> = new Set(['Backspace', 'Enter', 'Delete', 'Tab', 'Escape', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']);

/** The code to send for a key event, or undefined when it is not one the protocol can carry. */
export function keyCodeOf(e: Pick<KeyboardEvent, 'code' | 'key'>): string | undefined {
  if (KEY_CODE.test(e.code)) return e.code;
  return NAMED_KEYS.has(e.key) ? e.key : undefined;
}
/**
 * Text is sent in pieces of at most this many code points: the protocol
 * allows 256 UTF-16 units per event and 1024 bytes per message, and 64
 * four-byte characters (escaped, in JSON) stay well inside both.
 */
export const TEXT_CHUNK_CODE_POINTS = 64;

/** Text as protocol `text` events, split so each fits one message. */
export function textEvents(text: string, ts: number): InputEvent[] {
  const chars = [...text];
  const out: InputEvent[] = [];
  for (let i = 0; i < chars.length; i += TEXT_CHUNK_CODE_POINTS) out.push({ t: 'text', ts, text: chars.slice(i, i + TEXT_CHUNK_CODE_POINTS).join('') });
  return out;
}

const tap = (code: string, ts: number): InputEvent[] => [
  { t: 'key', ts, down: true, code },
  { t: 'key', ts, down: false, code },
];

/**
 * What a `beforeinput` of the hidden field means for the phone, or
 * undefined when the page should leave it to the browser (compositions,
 * formatting, anything unknown).
 */
export function beforeInputEvents(inputType: string, data: string | null, ts: number): InputEvent[] | undefined {
  switch (inputType) {
    case 'insertText':
    case 'insertReplacementText':
    case 'insertFromPaste':
    case 'insertFromDrop':
      return data ? textEvents(data, ts) : [];
    case 'insertLineBreak':
    case 'insertParagraph':
      return tap('Enter', ts);
    case 'deleteContentBackward':
    case 'deleteWordBackward':
      return tap('Backspace', ts);
    case 'deleteContentForward':
    case 'deleteWordForward':
      return tap('Delete', ts);
    default:
      return undefined;
  }
}

/** A key that produces a character (the text path handles it while the hidden field has focus). */
export const isPrintableKey = (e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey'>): boolean => [...e.key].length === 1 && !e.ctrlKey && !e.metaKey;

export type KeyInputOptions = {
  send: (ev: InputEvent) => void;
  /** The hidden field the on-screen keyboard types into. */
  textField: HTMLInputElement;
  /** Codes the page keeps for itself (e.g. the stats toggle). */
  reservedCodes?: ReadonlySet<string>;
  onGesture?: () => void;
};

const isEditable = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement);

export class KeyInput {
  private readonly abort = new AbortController();
  private readonly held = new Set<string>();
  private stopped = false;

  constructor(private readonly opts: KeyInputOptions) {
    const signal = this.abort.signal;
    const active = { signal, passive: false } as const;
    const field = opts.textField;
    window.addEventListener('keydown', (e) => this.onKey(e, true), active);
    window.addEventListener('keyup', (e) => this.onKey(e, false), active);
    window.addEventListener('blur', () => this.releaseAll(), { signal });
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && this.releaseAll(), { signal });
    field.addEventListener('beforeinput', (e) => this.onBeforeInput(e), active);
    field.addEventListener('compositionend', (e) => this.onCompositionEnd(e), { signal });
    field.addEventListener(
      'input',
      (e) => {
        // Whatever the browser put in the field outside a composition has been sent already (or was not ours).
        if (!(e as globalThis.InputEvent).isComposing) field.value = '';
      },
      { signal },
    );
  }

  stop(): void {
    if (this.stopped) return;
    this.releaseAll();
    this.stopped = true;
    this.abort.abort();
  }

  private emit(ev: InputEvent): void {
    if (!this.stopped) this.opts.send(ev);
  }

  private onKey(e: KeyboardEvent, down: boolean): void {
    const code = keyCodeOf(e);
    // Unknown codes: an on-screen keyboard's key (keyCode 229, "Unidentified"); the text path reads it.
    if (code === undefined || this.opts.reservedCodes?.has(code)) return;
    const inField = e.target === this.opts.textField;
    // Other fields (none in the phone view today) keep their keys.
    if (!inField && isEditable(e.target)) return;
    if (down && (e.isComposing || (inField && isPrintableKey(e)))) return;
    if (preventsKey(code, e.ctrlKey || e.metaKey)) e.preventDefault();
    if (down) {
      this.opts.onGesture?.();
      if (e.repeat || this.held.has(code)) return;
      this.held.add(code);
    } else if (!this.held.delete(code)) {
      return; // the release of a key that went the text way, or was pressed before the view opened
    }
    this.emit({ t: 'key', ts: Date.now(), down, code });
  }

  private onBeforeInput(e: globalThis.InputEvent): void {
    if (e.isComposing || !e.cancelable) return;
    const events = beforeInputEvents(e.inputType, e.data, Date.now());
    if (!events) return;
    e.preventDefault(); // the field stays empty: the phone has the text
    for (const ev of events) this.emit(ev);
  }

  private onCompositionEnd(e: CompositionEvent): void {
    for (const ev of textEvents(e.data, Date.now())) this.emit(ev);
    this.opts.textField.value = '';
  }

  /** Releases every held key, e.g. when the page loses focus. */
  private releaseAll(): void {
    if (this.stopped) return;
    for (const code of this.held) this.emit({ t: 'key', ts: Date.now(), down: false, code });
    this.held.clear();
  }
}

/**
 * KeyboardEvent.code (a physical key, as the player sends it) → the fields
 * of CDP Input.dispatchKeyEvent on a US layout: `key` (what the key means
 * with the current Shift state), `windowsVirtualKeyCode` (what pages read as
 * keyCode/which), and `text` for keys that type something.
 *
 * Chromium needs `text` to insert a character and treats a keyDown without
 * it as a raw key (type 'rawKeyDown'), as Puppeteer does. With Ctrl, Alt or
 * Meta held nothing is typed: Ctrl+A must select, not insert "a" (Linux
 * editing shortcuts are handled by the renderer, so no `commands` are needed).
 */
import type { CdpParams } from './cdpClient.ts';

/** CDP modifier bits. */
export const MODIFIER = { Alt: 1, Control: 2, Meta: 4, Shift: 8 } as const;

type KeyDef = { key: string; shiftKey?: string; vk: number; text?: boolean; location?: 1 | 2 | 3 };

const MODIFIER_KEYS: Record<string, { bit: number; key: string; vk: number; location: 1 | 2 }> = {
  ShiftLeft: { bit: MODIFIER.Shift, key: 'Shift', vk: 16, location: 1 },
  ShiftRight: { bit: MODIFIER.Shift, key: 'Shift', vk: 16, location: 2 },
  ControlLeft: { bit: MODIFIER.Control, key: 'Control', vk: 17, location: 1 },
  ControlRight: { bit: MODIFIER.Control, key: 'Control', vk: 17, location: 2 },
  AltLeft: { bit: MODIFIER.Alt, key: 'Alt', vk: 18, location: 1 },
  AltRight: { bit: MODIFIER.Alt, key: 'Alt', vk: 18, location: 2 },
  MetaLeft: { bit: MODIFIER.Meta, key: 'Meta', vk: 91, location: 1 },
  MetaRight: { bit: MODIFIER.Meta, key: 'Meta', vk: 92, location: 2 },
};

const NAMED: Record<string, KeyDef> = {
  Escape: { key: 'Escape', vk: 27 },
  Tab: { key: 'Tab', vk: 9 },
  Backspace: { key: 'Backspace', vk: 8 },
  Enter: { key: 'Enter', vk: 13, text: true },
  NumpadEnter: { key: 'Enter', vk: 13, text: true, location: 3 },
  Space: { key: ' ', vk: 32, text: true },
  CapsLock: { key: 'CapsLock', vk: 20 },
  ContextMenu: { key: 'ContextMenu', vk: 93 },
  ArrowLeft: { key: 'ArrowLeft', vk: 37 },
  ArrowUp: { key: 'ArrowUp', vk: 38 },
  ArrowRight: { key: 'ArrowRight', vk: 39 },
  ArrowDown: { key: 'ArrowDown', vk: 40 },
  Insert: { key: 'Insert', vk: 45 },
  Delete: { key: 'Delete', vk: 46 },
  Home: { key: 'Home', vk: 36 },
  End: { key: 'End', vk: 35 },
  PageUp: { key: 'PageUp', vk: 33 },
  PageDown: { key: 'PageDown', vk: 34 },
  PrintScreen: { key: 'PrintScreen', vk: 44 },
  ScrollLock: { key: 'ScrollLock', vk: 145 },
  Pause: { key: 'Pause', vk: 19 },
  NumLock: { key: 'NumLock', vk: 144 },
  Minus: { key: '-', shiftKey: '_', vk: 189, text: true },
  Equal: { key: '=', shiftKey: '+', vk: 187, text: true },
  BracketLeft: { key: '[', shiftKey: '{', vk: 219, text: true },
  BracketRight: { key: ']', shiftKey: '}', vk: 221, text: true },
  Backslash: { key: '\\', shiftKey: '|', vk: 220, text: true },
  IntlBackslash: { key: '\\', shiftKey: '|', vk: 226, text: true },
  Semicolon: { key: ';', shiftKey: ':', vk: 186, text: true },
  Quote: { key: "'", shiftKey: '"', vk: 222, text: true },
  Backquote: { key: '`', shiftKey: '~', vk: 192, text: true },
  Comma: { key: ',', shiftKey: '<', vk: 188, text: true },
  Period: { key: '.', shiftKey: '>', vk: 190, text: true },
  Slash: { key: '/', shiftKey: '?', vk: 191, text: true },
  NumpadAdd: { key: '+', vk: 107, text: true, location: 3 },
  NumpadSubtract: { key: '-', vk: 109, text: true, location: 3 },
  NumpadMultiply: { key: '*', vk: 106, text: true, location: 3 },
  NumpadDivide: { key: '/', vk: 111, text: true, location: 3 },
  NumpadDecimal: { key: '.', vk: 110, text: true, location: 3 },
  NumpadEqual: { key: '=', vk: 187, text: true, location: 3 },
};

const DIGIT_SHIFTED = ')!@#$%^&*(';

function keyDef(code: string): KeyDef | undefined {
  const named = NAMED[code];
  if (named) return named;
  let m = /^Key([A-Z])$/.exec(code);
  if (m?.[1]) return { key: m[1].toLowerCase(), shiftKey: m[1], vk: m[1].charCodeAt(0), text: true };
  m = /^Digit([0-9])$/.exec(code);
  if (m?.[1]) return { key: m[1], shiftKey: DIGIT_SHIFTED[Number(m[1])], vk: 48 + Number(m[1]), text: true };
  m = /^Numpad([0-9])$/.exec(code);
  if (m?.[1]) return { key: m[1], vk: 96 + Number(m[1]), text: true, location: 3 };
  m = /^F([1-9]|1[0-9]|2[0-4])$/.exec(code);
  if (m?.[1]) return { key: `F${m[1]}`, vk: 111 + Number(m[1]) };
  return undefined;
}

export type KeyParams = CdpParams<'Input.dispatchKeyEvent'>;

/**
 * The keyboard as the page sees it: which modifiers are held. `event()`
 * returns the CDP parameters for one key going down or up, or undefined for
 * codes with no meaning here (and for a modifier's repeated keyDown).
 */
export class KeyboardState {
  private modifiers = 0;
  private readonly heldModifiers = new Set<string>();

  event(code: string, down: boolean): KeyParams | undefined {
    const mod = MODIFIER_KEYS[code];
    if (mod) {
      if (down) this.heldModifiers.add(code);
      else this.heldModifiers.delete(code);
      this.modifiers = [...this.heldModifiers].reduce((bits, c) => bits | (MODIFIER_KEYS[c]?.bit ?? 0), 0);
      // A modifier's own event carries the state after it (as Chromium reports it for real keys).
      return {
        type: down ? 'rawKeyDown' : 'keyUp',
        key: mod.key,
        code,
        windowsVirtualKeyCode: mod.vk,
        nativeVirtualKeyCode: mod.vk,
        modifiers: this.modifiers,
        location: mod.location,
      };
    }
    const def = keyDef(code);
    if (!def) return undefined;
    const shifted = (this.modifiers & MODIFIER.Shift) !== 0;
    const key = shifted && def.shiftKey ? def.shiftKey : def.key;
    const base: KeyParams = {
      type: 'keyUp',
      key,
      code,
      windowsVirtualKeyCode: def.vk,
      nativeVirtualKeyCode: def.vk,
      modifiers: this.modifiers,
      ...(def.location ? { location: def.location } : {}),
    };
    if (!down) return base;
    const typing = def.text === true && (this.modifiers & (MODIFIER.Control | MODIFIER.Alt | MODIFIER.Meta)) === 0;
    if (!typing) return { ...base, type: 'rawKeyDown' };
    const text = key === 'Enter' ? '\r' : key;
    return { ...base, type: 'keyDown', text, unmodifiedText: def.key === 'Enter' ? '\r' : def.key };
  }

  /** keyUp events for every modifier still held (the player left, a new page target): nothing stays stuck. */
  releaseAll(): KeyParams[] {
    return [...this.heldModifiers].map((code) => this.event(code, false)).filter((p): p is KeyParams => p !== undefined);
  }
}

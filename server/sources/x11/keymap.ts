/**
 * Pure mappings from browser input to X11 terms: KeyboardEvent.code (a
 * physical key) → keysym of its unshifted symbol on a US layout → keycode of
 * the X server's current keyboard mapping; normalised coordinates → pixels;
 * browser mouse buttons and wheel → X buttons; gamepad → arrow keys.
 */
import type { GamepadEvent } from '../../../protocol/index.ts';

const NAMED: Record<string, number> = {
  Escape: 0xff1b,
  Tab: 0xff09,
  Backspace: 0xff08,
  Enter: 0xff0d,
  Space: 0x20,
  CapsLock: 0xffe5,
  ShiftLeft: 0xffe1,
  ShiftRight: 0xffe2,
  ControlLeft: 0xffe3,
  ControlRight: 0xffe4,
  AltLeft: 0xffe9,
  AltRight: 0xffea,
  MetaLeft: 0xffeb,
  MetaRight: 0xffec,
  ContextMenu: 0xff67,
  ArrowLeft: 0xff51,
  ArrowUp: 0xff52,
  ArrowRight: 0xff53,
  ArrowDown: 0xff54,
  Insert: 0xff63,
  Delete: 0xffff,
  Home: 0xff50,
  End: 0xff57,
  PageUp: 0xff55,
  PageDown: 0xff56,
  PrintScreen: 0xff61,
  ScrollLock: 0xff14,
  Pause: 0xff13,
  NumLock: 0xff7f,
  Minus: 0x2d,
  Equal: 0x3d,
  BracketLeft: 0x5b,
  BracketRight: 0x5d,
  Backslash: 0x5c,
  IntlBackslash: 0x3c,
  Semicolon: 0x3b,
  Quote: 0x27,
  Backquote: 0x60,
  Comma: 0x2c,
  Period: 0x2e,
  Slash: 0x2f,
  NumpadEnter: 0xff8d,
  NumpadAdd: 0xffab,
  NumpadSubtract: 0xffad,
  NumpadMultiply: 0xffaa,
  NumpadDivide: 0xffaf,
  NumpadDecimal: 0xffae,
  NumpadEqual: 0xffbd,
};

/** Keysym for a KeyboardEvent.code, or undefined for keys X has no use for here. */
export function codeToKeysym(code: string): number | undefined {
  const named = NAMED[code];
  if (named !== undefined) return named;
  let m = /^Key([A-Z])$/.exec(code);
  if (m?.[1]) return m[1].toLowerCase().charCodeAt(0);
  m = /^Digit([0-9])$/.exec(code);
  if (m?.[1]) return m[1].charCodeAt(0);
  m = /^Numpad([0-9])$/.exec(code);
  if (m?.[1]) return 0xffb0 + Number(m[1]);
  m = /^F([1-9]|1[0-9]|2[0-4])$/.exec(code);
  if (m?.[1]) return 0xffbe + Number(m[1]) - 1;
  return undefined;
}

/** Keysym for one typed character (X11 rule: Latin-1 maps directly, the rest is 0x01000000 + code point). */
export function charToKeysym(ch: string): number | undefined {
  const cp = ch.codePointAt(0);
  if (cp === undefined) return undefined;
  if (ch === '\n' || ch === '\r') return 0xff0d;
  if (ch === '\t') return 0xff09;
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  if (cp < 0x20 || cp === 0x7f) return undefined;
  return 0x01000000 + cp;
}

export type KeyStroke = { keycode: number; shift: boolean };

/**
 * keysym → keycode from a GetKeyboardMapping reply (`rows[i]` lists the
 * keysyms of keycode `minKeycode + i`). Column 0 (unshifted) wins over
 * column 1 (shifted), so typing "a" never presses Shift; later columns
 * (mode switch) are ignored.
 */
export function buildKeysymTable(minKeycode: number, rows: readonly (readonly number[])[]): Map<number, KeyStroke> {
  const table = new Map<number, KeyStroke>();
  for (const col of [0, 1]) {
    rows.forEach((row, i) => {
      const sym = row[col];
      if (sym === undefined || sym === 0 || table.has(sym)) return;
      table.set(sym, { keycode: minKeycode + i, shift: col === 1 });
    });
  }
  return table;
}

/** Normalised 0..1 → pixel 0..size-1 (clamped: a hostile or rounding value never leaves the screen). */
export function toPixel(norm: number, size: number): number {
  if (!Number.isFinite(norm)) return 0;
  return Math.min(size - 1, Math.max(0, Math.round(norm * (size - 1))));
}

/** Browser MouseEvent.button (0 left, 1 middle, 2 right, 3 back, 4 forward) → X button. */
export function xButton(browserButton: number): number | undefined {
  return ({ 0: 1, 1: 2, 2: 3, 3: 8, 4: 9 } as Record<number, number>)[browserButton];
}

/** Wheel deltas → X button clicks (4 up, 5 down, 6 left, 7 right); about one click per 100 px, at least one, at most 5. */
export function wheelClicks(dx: number, dy: number): Array<{ button: number; count: number }> {
  const out: Array<{ button: number; count: number }> = [];
  const clicks = (d: number) => Math.min(5, Math.max(1, Math.round(Math.abs(d) / 100)));
  if (dy !== 0) out.push({ button: dy < 0 ? 4 : 5, count: clicks(dy) });
  if (dx !== 0) out.push({ button: dx < 0 ? 6 : 7, count: clicks(dx) });
  return out;
}

/**
 * Keys a standard-mapping gamepad holds down: d-pad or left stick → arrows,
 * A → Space, B → Escape, Start → Enter. Games under X only know keyboards,
 * so the pad is played as one.
 */
export function padKeys(ev: Pick<GamepadEvent, 'buttons' | 'axes'>): Set<string> {
  const held = new Set<string>();
  const b = (i: number) => (ev.buttons[i] ?? 0) > 0.5;
  const ax = ev.axes[0] ?? 0;
  const ay = ev.axes[1] ?? 0;
  if (b(14) || ax < -0.5) held.add('ArrowLeft');
  if (b(15) || ax > 0.5) held.add('ArrowRight');
  if (b(12) || ay < -0.5) held.add('ArrowUp');
  if (b(13) || ay > 0.5) held.add('ArrowDown');
  if (b(0)) held.add('Space');
  if (b(1)) held.add('Escape');
  if (b(9)) held.add('Enter');
  return held;
}

/**
 * The on-screen keyboard's layouts and what each key does. Pure: the view
 * (ui/keyboard.ts) draws LAYOUTS and applies pressKey()'s effect to the
 * focused field.
 */
export type LayoutId = 'letters' | 'symbols';

export type KeyDef =
  { kind: 'char'; char: string } | { kind: 'shift' } | { kind: 'backspace' } | { kind: 'enter' } | { kind: 'space' } | { kind: 'layout'; to: LayoutId };

export type KeyboardState = { layout: LayoutId; shift: boolean };

export type KeyEffect = { type: 'insert'; text: string } | { type: 'delete' } | { type: 'enter' } | { type: 'none' };

export const INITIAL_KEYBOARD: KeyboardState = { layout: 'letters', shift: false };

const chars = (s: string): KeyDef[] => [...s].map((char) => ({ kind: 'char', char }));

export const LAYOUTS: Record<LayoutId, KeyDef[][]> = {
  letters: [
    chars('qwertyuiop'),
    chars('asdfghjkl'),
    [{ kind: 'shift' }, ...chars('zxcvbnm'), { kind: 'backspace' }],
    [{ kind: 'layout', to: 'symbols' }, ...chars(','), { kind: 'space' }, ...chars('.'), { kind: 'enter' }],
  ],
  symbols: [
    chars('1234567890'),
    chars('@#$%&-+()/'),
    [...chars('*"\':;!?_='), { kind: 'backspace' }],
    [{ kind: 'layout', to: 'letters' }, ...chars(','), { kind: 'space' }, ...chars('.'), { kind: 'enter' }],
  ],
};

/**
 * The state after pressing `key` and what to do to the field. Shift is
 * one-shot, as on phone keyboards: it capitalises the next letter only.
 */
export function pressKey(state: KeyboardState, key: KeyDef): { state: KeyboardState; effect: KeyEffect } {
  switch (key.kind) {
    case 'char': {
      const text = state.shift ? key.char.toUpperCase() : key.char;
      return { state: { ...state, shift: false }, effect: { type: 'insert', text } };
    }
    case 'space':
      return { state, effect: { type: 'insert', text: ' ' } };
    case 'shift':
      return { state: { ...state, shift: !state.shift }, effect: { type: 'none' } };
    case 'backspace':
      return { state, effect: { type: 'delete' } };
    case 'enter':
      return { state: { ...state, shift: false }, effect: { type: 'enter' } };
    case 'layout':
      return { state: { layout: key.to, shift: false }, effect: { type: 'none' } };
  }
}

/** The caption on a key; `enterLabel` comes from the field's enterkeyhint. */
export function keyLabel(key: KeyDef, state: KeyboardState, enterLabel = '↵'): string {
  switch (key.kind) {
    case 'char':
      return state.shift ? key.char.toUpperCase() : key.char;
    case 'space':
      return 'space';
    case 'shift':
      return '⇧';
    case 'backspace':
      return '⌫';
    case 'enter':
      return enterLabel;
    case 'layout':
      return key.to === 'symbols' ? '?123' : 'ABC';
  }
}

/** The Enter key's caption for an `enterkeyhint` value. */
export function enterLabelFor(hint: string | null | undefined): string {
  switch (hint) {
    case 'go':
      return 'Go';
    case 'search':
      return 'Search';
    case 'send':
      return 'Send';
    case 'next':
      return 'Next';
    case 'done':
      return 'Done';
    default:
      return '↵';
  }
}

/** Relative width of a key in its row (letters are 1). */
export function keyWidth(key: KeyDef): number {
  switch (key.kind) {
    case 'space':
      return 4;
    case 'shift':
    case 'backspace':
    case 'enter':
    case 'layout':
      return 1.5;
    default:
      return 1;
  }
}

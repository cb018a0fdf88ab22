import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INITIAL_KEYBOARD, type KeyDef, type KeyboardState, LAYOUTS, enterLabelFor, keyLabel, pressKey } from './keyboardLayout.ts';
import { must } from '../../protocol/must.ts';

const find = (state: KeyboardState, pred: (k: KeyDef) => boolean): KeyDef => {
  const key = LAYOUTS[state.layout].flat().find(pred);
  assert.ok(key, 'key exists');
  return key;
};
const char = (state: KeyboardState, c: string) => find(state, (k) => k.kind === 'char' && k.char === c);

/** Types `text` the way a finger would on the on-screen keyboard; returns what reached the field. */
function typeOnKeyboard(text: string): string {
  let state = INITIAL_KEYBOARD;
  let out = '';
  const press = (k: KeyDef) => {
    const r = pressKey(state, k);
    state = r.state;
    if (r.effect.type === 'insert') out += r.effect.text;
    if (r.effect.type === 'delete') out = out.slice(0, -1);
  };
  for (const ch of text) {
    if (ch === ' ') {
      press(find(state, (k) => k.kind === 'space'));
      continue;
    }
    const lower = ch.toLowerCase();
    const layout = LAYOUTS.letters.flat().some((k) => k.kind === 'char' && k.char === lower) ? 'letters' : 'symbols';
    if (state.layout !== layout) press(find(state, (k) => k.kind === 'layout'));
    if (ch !== lower) press(find(state, (k) => k.kind === 'shift'));
    press(char(state, lower));
  }
  return out;
}

test('letters, one-shot shift, digits and symbols type what they show', () => {
  assert.equal(typeOnKeyboard('Hello World 42!'), 'Hello World 42!');
  assert.equal(typeOnKeyboard('me@example.com/a_b'), 'me@example.com/a_b');
});

test('the letters layout is QWERTY with shift, backspace, a symbols key, space and enter', () => {
  const rows = LAYOUTS.letters.map((r) => r.map((k) => (k.kind === 'char' ? k.char : `[${k.kind}]`)).join(''));
  assert.deepEqual(rows, ['qwertyuiop', 'asdfghjkl', '[shift]zxcvbnm[backspace]', '[layout],[space].[enter]']);
  assert.equal(
    must(LAYOUTS.symbols[0], 'LAYOUTS.symbols[0]')
      .map((k) => (k.kind === 'char' ? k.char : ''))
      .join(''),
    '1234567890',
  );
});

test('shift shows capitals and turns off after one letter; layout keys reset shift', () => {
  const shifted = pressKey(INITIAL_KEYBOARD, { kind: 'shift' }).state;
  assert.equal(keyLabel({ kind: 'char', char: 'q' }, shifted), 'Q');
  const r = pressKey(shifted, { kind: 'char', char: 'q' });
  assert.deepEqual(r.effect, { type: 'insert', text: 'Q' });
  assert.equal(r.state.shift, false);
  assert.deepEqual(pressKey(shifted, { kind: 'layout', to: 'symbols' }).state, { layout: 'symbols', shift: false });
  assert.equal(pressKey(shifted, { kind: 'shift' }).state.shift, false);
});

test('backspace deletes, enter submits, labels follow enterkeyhint', () => {
  assert.deepEqual(pressKey(INITIAL_KEYBOARD, { kind: 'backspace' }).effect, { type: 'delete' });
  assert.deepEqual(pressKey(INITIAL_KEYBOARD, { kind: 'enter' }).effect, { type: 'enter' });
  assert.equal(keyLabel({ kind: 'enter' }, INITIAL_KEYBOARD, enterLabelFor('go')), 'Go');
  assert.equal(enterLabelFor(null), '↵');
  assert.equal(keyLabel({ kind: 'layout', to: 'symbols' }, INITIAL_KEYBOARD), '?123');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyboardState, MODIFIER } from './cdpKeys.ts';

test('a letter types itself: keyDown with text, keyUp without', () => {
  const k = new KeyboardState();
  assert.deepEqual(k.event('KeyA', true), {
    type: 'keyDown',
    key: 'a',
    code: 'KeyA',
    windowsVirtualKeyCode: 65,
    nativeVirtualKeyCode: 65,
    modifiers: 0,
    text: 'a',
    unmodifiedText: 'a',
  });
  assert.deepEqual(k.event('KeyA', false), { type: 'keyUp', key: 'a', code: 'KeyA', windowsVirtualKeyCode: 65, nativeVirtualKeyCode: 65, modifiers: 0 });
});

test('Shift changes key and text, and is reported in modifiers', () => {
  const k = new KeyboardState();
  assert.deepEqual(k.event('ShiftLeft', true), {
    type: 'rawKeyDown',
    key: 'Shift',
    code: 'ShiftLeft',
    windowsVirtualKeyCode: 16,
    nativeVirtualKeyCode: 16,
    modifiers: MODIFIER.Shift,
    location: 1,
  });
  const a = k.event('KeyA', true);
  assert.deepEqual([a?.key, a?.text, a?.unmodifiedText, a?.modifiers], ['A', 'A', 'a', MODIFIER.Shift]);
  const one = k.event('Digit1', true);
  assert.deepEqual([one?.key, one?.text, one?.windowsVirtualKeyCode], ['!', '!', 49]);
  const slash = k.event('Slash', true);
  assert.deepEqual([slash?.key, slash?.windowsVirtualKeyCode], ['?', 191]);
  k.event('ShiftLeft', false);
  assert.equal(k.event('KeyA', true)?.key, 'a');
});

test('with Control held nothing is typed (Ctrl+A selects)', () => {
  const k = new KeyboardState();
  k.event('ControlLeft', true);
  const a = k.event('KeyA', true);
  assert.deepEqual([a?.type, a?.key, a?.text, a?.modifiers], ['rawKeyDown', 'a', undefined, MODIFIER.Control]);
});

test('both Shift keys: releasing one keeps Shift held', () => {
  const k = new KeyboardState();
  k.event('ShiftLeft', true);
  k.event('ShiftRight', true);
  assert.equal(k.event('ShiftLeft', false)?.modifiers, MODIFIER.Shift);
  assert.equal(k.event('ShiftRight', false)?.modifiers, 0);
});

test('named keys: raw keys without text, Enter and Space type', () => {
  const k = new KeyboardState();
  const table: Array<[string, string, number, string | undefined]> = [
    ['Backspace', 'Backspace', 8, undefined],
    ['Tab', 'Tab', 9, undefined],
    ['Escape', 'Escape', 27, undefined],
    ['ArrowLeft', 'ArrowLeft', 37, undefined],
    ['ArrowDown', 'ArrowDown', 40, undefined],
    ['Delete', 'Delete', 46, undefined],
    ['F5', 'F5', 116, undefined],
    ['F12', 'F12', 123, undefined],
    ['Enter', 'Enter', 13, '\r'],
    ['NumpadEnter', 'Enter', 13, '\r'],
    ['Space', ' ', 32, ' '],
    ['Digit0', '0', 48, '0'],
    ['Numpad7', '7', 103, '7'],
    ['Minus', '-', 189, '-'],
    ['Quote', "'", 222, "'"],
    ['MetaLeft', 'Meta', 91, undefined],
  ];
  for (const [code, key, vk, text] of table) {
    const p = k.event(code, true);
    assert.deepEqual([p?.key, p?.windowsVirtualKeyCode, p?.text, p?.type], [key, vk, text, text ? 'keyDown' : 'rawKeyDown'], code);
    k.event(code, false);
  }
  assert.equal(k.event('NumpadEnter', true)?.location, 3);
});

test('unknown codes map to nothing', () => {
  const k = new KeyboardState();
  assert.equal(k.event('Lang1', true), undefined);
  assert.equal(k.event('F25', true), undefined);
});

test('releaseAll lifts held modifiers only', () => {
  const k = new KeyboardState();
  k.event('ControlLeft', true);
  k.event('AltRight', true);
  k.event('KeyQ', true);
  const ups = k.releaseAll();
  assert.deepEqual(
    ups.map((p) => [p.type, p.code]),
    [
      ['keyUp', 'ControlLeft'],
      ['keyUp', 'AltRight'],
    ],
  );
  assert.equal(ups.at(-1)?.modifiers, 0);
  assert.deepEqual(k.releaseAll(), []);
});

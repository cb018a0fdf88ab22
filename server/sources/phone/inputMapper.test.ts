import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputMapper, navCall, setInputTsCall } from './inputMapper.ts';

const size = { width: 360, height: 640 };
const T = 1_760_000_000_000;

test('every job starts with setInputTs(ts), then the input', () => {
  const m = new InputMapper(size);
  assert.deepEqual(m.map({ t: 'touch', ts: T, phase: 'start', id: 0, x: 0.5, y: 0.5 }), {
    ts: T,
    calls: [
      { method: 'Runtime.evaluate', params: { expression: `window.phoneShell?.setInputTs(${T})` } },
      { method: 'Input.dispatchTouchEvent', params: { type: 'touchStart', touchPoints: [{ x: 180, y: 320, id: 0 }] } },
    ],
  });
});

test('two fingers down, moved, lifted: the CDP sequence', () => {
  const m = new InputMapper(size);
  const touch = (phase: 'start' | 'move' | 'end', id: number, x: number, y: number) => m.map({ t: 'touch', ts: T, phase, id, x, y })?.calls[1]?.params;
  assert.deepEqual(
    [touch('start', 1, 0.5, 0.5), touch('start', 2, 0.25, 0.25), touch('move', 2, 0.5, 0.25), touch('end', 1, 0.5, 0.5), touch('end', 2, 0.5, 0.25)],
    [
      { type: 'touchStart', touchPoints: [{ x: 180, y: 320, id: 1 }] },
      {
        type: 'touchStart',
        touchPoints: [
          { x: 180, y: 320, id: 1 },
          { x: 90, y: 160, id: 2 },
        ],
      },
      {
        type: 'touchMove',
        touchPoints: [
          { x: 180, y: 320, id: 1 },
          { x: 180, y: 160, id: 2 },
        ],
      },
      { type: 'touchEnd', touchPoints: [{ x: 180, y: 320, id: 1 }] },
      { type: 'touchEnd', touchPoints: [] },
    ],
  );
});

test('moves may be coalesced, nothing else', () => {
  const m = new InputMapper(size);
  assert.equal(m.map({ t: 'touch', ts: T, phase: 'start', id: 1, x: 0, y: 0 })?.coalesce, undefined);
  assert.equal(m.map({ t: 'touch', ts: T, phase: 'move', id: 1, x: 0.1, y: 0 })?.coalesce, 'touchMove');
  assert.equal(m.map({ t: 'move', ts: T, x: 0.1, y: 0.1, dx: 1, dy: 1 })?.coalesce, 'mouseMove');
  assert.equal(m.map({ t: 'key', ts: T, code: 'KeyA', down: true })?.coalesce, undefined);
});

test('text, nav and keys', () => {
  const m = new InputMapper(size);
  assert.deepEqual(m.map({ t: 'text', ts: T, text: 'hi' })?.calls[1], { method: 'Input.insertText', params: { text: 'hi' } });
  assert.deepEqual(m.map({ t: 'nav', ts: T, action: 'back' })?.calls, [setInputTsCall(T), navCall('back')]);
  assert.deepEqual(navCall('recents').params, { expression: 'window.phoneShell?.nav("recents")', userGesture: true });
  assert.equal(m.map({ t: 'key', ts: T, code: 'Enter', down: true })?.calls[1]?.method, 'Input.dispatchKeyEvent');
  assert.equal(m.map({ t: 'key', ts: T, code: 'NoSuchKey', down: true }), undefined);
});

test('gamepads and unknown fingers make no job', () => {
  const m = new InputMapper(size);
  assert.equal(m.map({ t: 'pad', ts: T, index: 0, buttons: [1], axes: [0] }), undefined);
  assert.equal(m.map({ t: 'touch', ts: T, phase: 'move', id: 5, x: 0, y: 0 }), undefined);
});

test('mouse: move, press with buttons, double click, wheel at the pointer', () => {
  const m = new InputMapper(size);
  const params = (ev: Parameters<InputMapper['map']>[0]) => m.map(ev)?.calls[1]?.params;
  assert.deepEqual(params({ t: 'move', ts: T, x: 0.5, y: 0.25, dx: 0, dy: 0 }), { type: 'mouseMoved', x: 180, y: 160, buttons: 0 });
  assert.deepEqual(params({ t: 'button', ts: T, down: true, button: 0, x: 0.5, y: 0.25 }), {
    type: 'mousePressed',
    x: 180,
    y: 160,
    button: 'left',
    buttons: 1,
    clickCount: 1,
  });
  assert.deepEqual(params({ t: 'move', ts: T, x: 0.5, y: 0.5, dx: 0, dy: 0 }), { type: 'mouseMoved', x: 180, y: 320, buttons: 1 });
  assert.deepEqual(params({ t: 'button', ts: T + 10, down: false, button: 0, x: 0.5, y: 0.5 }), {
    type: 'mouseReleased',
    x: 180,
    y: 320,
    button: 'left',
    buttons: 0,
    clickCount: 1,
  });
  assert.equal(m.map({ t: 'button', ts: T + 20, down: false, button: 0, x: 0.5, y: 0.5 }), undefined, 'a stray up');
  // Second press within 500 ms near the first: a double click.
  assert.deepEqual(params({ t: 'button', ts: T + 200, down: true, button: 0, x: 0.5, y: 0.5 }), {
    type: 'mousePressed',
    x: 180,
    y: 320,
    button: 'left',
    buttons: 1,
    clickCount: 1,
  });
  assert.equal((params({ t: 'button', ts: T + 250, down: false, button: 0, x: 0.5, y: 0.5 }) as { clickCount: number }).clickCount, 1);
  assert.equal((params({ t: 'button', ts: T + 400, down: true, button: 0, x: 0.5, y: 0.5 }) as { clickCount: number }).clickCount, 2);
  assert.equal((params({ t: 'button', ts: T + 450, down: false, button: 0, x: 0.5, y: 0.5 }) as { clickCount: number }).clickCount, 2);
  assert.equal((params({ t: 'button', ts: T + 2000, down: true, button: 0, x: 0.5, y: 0.5 }) as { clickCount: number }).clickCount, 1, 'too late');
  assert.deepEqual(params({ t: 'button', ts: T, down: true, button: 2, x: 0.5, y: 0.5 }), {
    type: 'mousePressed',
    x: 180,
    y: 320,
    button: 'right',
    buttons: 3,
    clickCount: 1,
  });
  assert.deepEqual(params({ t: 'wheel', ts: T, dx: 0, dy: 120 }), { type: 'mouseWheel', x: 180, y: 320, deltaX: 0, deltaY: 120 });
});

test('releaseAll lifts fingers, modifiers and mouse buttons once', () => {
  const m = new InputMapper(size);
  m.map({ t: 'touch', ts: T, phase: 'start', id: 1, x: 0, y: 0 });
  m.map({ t: 'key', ts: T, code: 'ShiftLeft', down: true });
  m.map({ t: 'button', ts: T, down: true, button: 0, x: 0.5, y: 0.5 });
  assert.deepEqual(
    m.releaseAll().map((c) => [c.method, (c.params as { type: string }).type]),
    [
      ['Input.dispatchTouchEvent', 'touchCancel'],
      ['Input.dispatchKeyEvent', 'keyUp'],
      ['Input.dispatchMouseEvent', 'mouseReleased'],
    ],
  );
  assert.deepEqual(m.releaseAll(), []);
  assert.equal(m.map({ t: 'touch', ts: T, phase: 'move', id: 1, x: 0, y: 0 }), undefined, 'the finger is gone');
});

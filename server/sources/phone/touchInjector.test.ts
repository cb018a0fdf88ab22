import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ACTIVE_TOUCHES, TouchTracker } from './touchInjector.ts';

const size = { width: 720, height: 1280 };

test('two fingers: starts and moves list all fingers down, an end lists the finger lifted, in CSS px', () => {
  const t = new TouchTracker(size);
  const seq = [
    t.apply({ phase: 'start', id: 3, x: 0.5, y: 0.5 }),
    t.apply({ phase: 'start', id: 7, x: 0.25, y: 0.75 }),
    t.apply({ phase: 'move', id: 3, x: 0.5, y: 0.25 }),
    t.apply({ phase: 'end', id: 3, x: 0.5, y: 0.25 }),
    t.apply({ phase: 'move', id: 7, x: 0.5, y: 0.75 }),
    t.apply({ phase: 'end', id: 7, x: 0.5, y: 0.75 }),
  ];
  assert.deepEqual(seq, [
    { type: 'touchStart', touchPoints: [{ x: 360, y: 640, id: 3 }] },
    {
      type: 'touchStart',
      touchPoints: [
        { x: 360, y: 640, id: 3 },
        { x: 180, y: 960, id: 7 },
      ],
    },
    {
      type: 'touchMove',
      touchPoints: [
        { x: 360, y: 320, id: 3 },
        { x: 180, y: 960, id: 7 },
      ],
    },
    // Lifting one of two: touchEnd listing the finger lifted (listing the one still down would lift that one).
    { type: 'touchEnd', touchPoints: [{ x: 360, y: 320, id: 3 }] },
    { type: 'touchMove', touchPoints: [{ x: 360, y: 960, id: 7 }] },
    { type: 'touchEnd', touchPoints: [] },
  ]);
  assert.equal(t.count, 0);
});

test('moves and ends of unknown fingers change nothing', () => {
  const t = new TouchTracker(size);
  assert.equal(t.apply({ phase: 'move', id: 1, x: 0.1, y: 0.1 }), undefined);
  assert.equal(t.apply({ phase: 'end', id: 1, x: 0.1, y: 0.1 }), undefined);
  assert.equal(t.apply({ phase: 'cancel', id: 1, x: 0.1, y: 0.1 }), undefined);
  t.apply({ phase: 'start', id: 2, x: 0.1, y: 0.1 });
  assert.equal(t.apply({ phase: 'end', id: 1, x: 0.1, y: 0.1 }), undefined);
  assert.equal(t.count, 1);
});

test('a repeated start moves the finger instead of adding one', () => {
  const t = new TouchTracker(size);
  t.apply({ phase: 'start', id: 2, x: 0, y: 0 });
  assert.deepEqual(t.apply({ phase: 'start', id: 2, x: 1, y: 1 }), { type: 'touchMove', touchPoints: [{ x: 719, y: 1279, id: 2 }] });
  assert.equal(t.count, 1);
});

test('at most ten fingers; the eleventh is ignored until one lifts', () => {
  const t = new TouchTracker(size);
  for (let id = 0; id < MAX_ACTIVE_TOUCHES; id++) assert.ok(t.apply({ phase: 'start', id, x: 0.5, y: 0.5 }));
  assert.equal(t.apply({ phase: 'start', id: 99, x: 0.5, y: 0.5 }), undefined);
  assert.equal(t.apply({ phase: 'move', id: 99, x: 0.5, y: 0.5 }), undefined);
  t.apply({ phase: 'end', id: 0, x: 0.5, y: 0.5 });
  assert.equal(t.apply({ phase: 'start', id: 99, x: 0.5, y: 0.5 })?.touchPoints.length, MAX_ACTIVE_TOUCHES);
});

test('a cancel cancels the whole gesture at once; later cancels of the other fingers change nothing', () => {
  const t = new TouchTracker(size);
  t.apply({ phase: 'start', id: 1, x: 0.5, y: 0.5 });
  assert.deepEqual(t.apply({ phase: 'cancel', id: 1, x: 0.5, y: 0.5 }), { type: 'touchCancel', touchPoints: [] });
  t.apply({ phase: 'start', id: 1, x: 0.5, y: 0.5 });
  t.apply({ phase: 'start', id: 2, x: 0.5, y: 0.5 });
  assert.deepEqual(t.apply({ phase: 'cancel', id: 1, x: 0.5, y: 0.5 }), { type: 'touchCancel', touchPoints: [] });
  assert.equal(t.apply({ phase: 'cancel', id: 2, x: 0.5, y: 0.5 }), undefined);
  assert.equal(t.count, 0);
  t.apply({ phase: 'start', id: 3, x: 0.5, y: 0.5 });
  assert.deepEqual(t.cancelAll(), { type: 'touchCancel', touchPoints: [] });
  assert.equal(t.cancelAll(), undefined);
});

test('returned points are copies: later events do not rewrite earlier ones', () => {
  const t = new TouchTracker(size);
  const first = t.apply({ phase: 'start', id: 1, x: 0, y: 0 });
  t.apply({ phase: 'move', id: 1, x: 0.5, y: 0.5 });
  assert.deepEqual(first?.touchPoints, [{ x: 0, y: 0, id: 1 }]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_GAMEPAD_AXES, MAX_GAMEPAD_BUTTONS } from '../protocol/input.ts';
import { PadTracker, padChanged, snapshotPad } from './gamepad.ts';
import type { PadLike } from './gamepad.ts';

const pad = (index: number, buttons: number[], axes: number[]): PadLike => ({
  index,
  connected: true,
  buttons: buttons.map((value) => ({ value, pressed: value > 0.5 })),
  axes,
});

test('snapshots clamp, round and respect protocol limits', () => {
  const s = snapshotPad({
    index: 0,
    buttons: [
      { value: 1.5, pressed: true },
      { value: 0, pressed: true },
      { value: 0.12345, pressed: false },
    ],
    axes: [-2, 0.33333, Number.NaN],
  });
  assert.deepEqual(s, { index: 0, buttons: [1, 1, 0.123], axes: [-1, 0.333, 0] });
  const big = snapshotPad(pad(1, new Array(40).fill(0), new Array(20).fill(0)));
  assert.equal(big.buttons.length, MAX_GAMEPAD_BUTTONS);
  assert.equal(big.axes.length, MAX_GAMEPAD_AXES);
});

test('small jitter is not a change; crossing rest or full press is', () => {
  const a = { index: 0, buttons: [0, 0.5], axes: [0.2, 0] };
  assert.equal(padChanged(undefined, a), true);
  assert.equal(padChanged(a, { index: 0, buttons: [0, 0.505], axes: [0.205, 0] }), false);
  assert.equal(padChanged(a, { index: 0, buttons: [0, 0.5], axes: [0.25, 0] }), true);
  assert.equal(padChanged(a, { index: 0, buttons: [0.001, 0.5], axes: [0.2, 0] }), true, 'leaving rest');
  assert.equal(padChanged({ index: 0, buttons: [0.995], axes: [] }, { index: 0, buttons: [1], axes: [] }), true, 'full press');
  assert.equal(padChanged({ index: 0, buttons: [], axes: [0.004] }, { index: 0, buttons: [], axes: [0] }), true, 'back to centre');
  assert.equal(padChanged(a, { index: 0, buttons: [0], axes: [0.2, 0] }), true, 'layout');
});

test('tracker sends changes, rate-limits, repeats once, and neutralises a vanished pad', () => {
  const t = new PadTracker(15, 100);
  assert.deepEqual(t.poll([pad(0, [0, 0], [0, 0]), null], 0).length, 1, 'first sight');
  assert.deepEqual(t.poll([pad(0, [0, 0], [0, 0])], 16), [], 'unchanged');
  assert.deepEqual(t.poll([pad(0, [1, 0], [0, 0])], 20), [{ index: 0, buttons: [1, 0], axes: [0, 0] }]);
  assert.deepEqual(t.poll([pad(0, [1, 0], [0.5, 0])], 25), [], 'too soon after the last send');
  assert.deepEqual(t.poll([pad(0, [1, 0], [0.5, 0])], 36), [{ index: 0, buttons: [1, 0], axes: [0.5, 0] }]);
  assert.deepEqual(t.poll([pad(0, [1, 0], [0.5, 0])], 100), [], 'quiet, not yet repeat time');
  assert.deepEqual(t.poll([pad(0, [1, 0], [0.5, 0])], 140), [{ index: 0, buttons: [1, 0], axes: [0.5, 0] }], 'one repeat');
  assert.deepEqual(t.poll([pad(0, [1, 0], [0.5, 0])], 400), [], 'only one');
  assert.deepEqual(t.poll([], 420), [{ index: 0, buttons: [0, 0], axes: [0, 0] }], 'disconnect releases everything');
  assert.deepEqual(t.poll([], 440), []);
});

test('tracker ignores pads with indexes the protocol refuses and releases all on demand', () => {
  const t = new PadTracker();
  assert.deepEqual(t.poll([pad(16, [1], [])], 0), []);
  t.poll([pad(2, [1], [0.7])], 0);
  assert.deepEqual(t.releaseAll(), [{ index: 2, buttons: [0], axes: [0] }]);
  assert.equal(t.poll([pad(2, [1], [0.7])], 1).length, 1, 're-sent after a release');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStampRowsLuma } from '../../protocol/index.ts';
import { DemoGameSource } from './frameSource.ts';
import type { FrameTimers } from './frameSource.ts';
import { must } from '../../protocol/must.ts';

const T0 = 1_712_345_678_000;

/** A manual clock and timer queue: the test decides when each timer fires and what time it is then. */
function fakes() {
  let now = T0;
  let nextId = 1;
  const pending = new Map<number, { fn: () => void; delayMs: number; setAt: number }>();
  const timers: FrameTimers = {
    set(fn, delayMs) {
      const id = nextId++;
      pending.set(id, { fn, delayMs, setAt: now });
      return id;
    },
    clear(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    now: () => now,
    pending,
    /** Delay of the single pending timer. */
    nextDelay(): number | undefined {
      return [...pending.values()][0]?.delayMs;
    },
    /** Fires the single pending timer at `at` (default: when it is due). */
    fire(at?: number): void {
      assert.equal(pending.size, 1, 'exactly one timer pending');
      const [id, t] = [...pending][0] as [number, { fn: () => void; delayMs: number; setAt: number }];
      pending.delete(id);
      now = at ?? t.setAt + t.delayMs;
      t.fn();
    },
  };
}

function newSource(f: ReturnType<typeof fakes>, fps = 50) {
  const frames: { frame: Buffer; at: number }[] = [];
  const source = new DemoGameSource({ width: 640, height: 360, fps, now: f.now, timers: f.timers, game: { autoServeMs: 0 } });
  return { source, frames, onFrame: (frame: Buffer, at: number) => frames.push({ frame, at }) };
}

test('produces stamped frames on a drift-free schedule', () => {
  const f = fakes();
  const { source, frames, onFrame } = newSource(f); // 20 ms interval
  source.start(onFrame);
  assert.equal(f.nextDelay(), 0, 'first frame right away');
  f.fire();
  assert.equal(frames[0]?.at, T0);
  assert.deepEqual(readStampRowsLuma(must(frames[0], 'frames[0]').frame, 640, 360), { row0: T0, row1: 0 });
  assert.equal(f.nextDelay(), 20);
  // The timer fires 7 ms late: the next delay shrinks so tick 2 stays at T0 + 40.
  f.fire(T0 + 27);
  assert.equal(f.nextDelay(), 13);
  f.fire();
  assert.equal(f.nextDelay(), 20);
  assert.equal(source.framesProduced, 3);
  assert.equal(source.ticksSkipped, 0);
  assert.equal(frames[2]?.at, T0 + 40);
});

test('late ticks are skipped, not produced in a burst', () => {
  const f = fakes();
  const { source, frames, onFrame } = newSource(f);
  source.start(onFrame);
  f.fire();
  // Tick 1 was due at T0+20 but the loop was blocked until T0+75: ticks 2 and 3 (40, 60) are dropped.
  f.fire(T0 + 75);
  assert.equal(source.ticksSkipped, 2);
  assert.equal(f.nextDelay(), 5, 'next is tick 4 at T0 + 80');
  f.fire();
  assert.equal(frames.length, 3);
  assert.equal(frames[2]?.at, T0 + 80);
});

test('input is applied at once and its ts echoed by the very next frame', () => {
  const f = fakes();
  const { source, frames, onFrame } = newSource(f);
  source.start(onFrame);
  f.fire();
  const xBefore = source.game.state.player.x;
  source.applyInput({ t: 'key', ts: T0 - 3, down: true, code: 'ArrowLeft' });
  assert.ok(source.game.state.player.x < xBefore, 'applied before the next tick');
  assert.equal(source.lastInputTimestamp, T0 - 3);
  f.fire();
  assert.deepEqual(readStampRowsLuma(must(frames[1], 'frames[1]').frame, 640, 360), { row0: T0 + 20, row1: T0 - 3 });
});

test('each frame is a fresh buffer the consumer may keep', () => {
  const f = fakes();
  const { source, frames, onFrame } = newSource(f);
  source.start(onFrame);
  f.fire();
  f.fire();
  assert.notEqual(frames[0]?.frame.buffer, frames[1]?.frame.buffer);
  assert.equal(readStampRowsLuma(must(frames[0], 'frames[0]').frame, 640, 360).row0, T0, 'first frame unchanged by the second');
});

test('the game advances by wall time between frames', () => {
  const f = fakes();
  const { source, onFrame } = newSource(f);
  source.applyInput({ t: 'key', ts: T0, down: true, code: 'Space' });
  source.start(onFrame);
  f.fire();
  const y0 = source.game.state.ball.y;
  f.fire();
  assert.ok(source.game.state.ball.y < y0);
  assert.equal(source.game.state.timeMs, 20);
});

test('stop cancels the timer and is idempotent; start twice throws', () => {
  const f = fakes();
  const { source, frames, onFrame } = newSource(f);
  source.start(onFrame);
  assert.throws(() => source.start(onFrame));
  f.fire();
  source.stop();
  source.stop();
  assert.equal(f.pending.size, 0);
  assert.equal(source.running, false);
  assert.equal(frames.length, 1);
});

test('stopping from inside the frame handler schedules nothing more', () => {
  const f = fakes();
  const source = new DemoGameSource({ width: 640, height: 360, fps: 30, now: f.now, timers: f.timers });
  source.start(() => source.stop());
  f.fire();
  assert.equal(f.pending.size, 0);
  assert.equal(source.framesProduced, 1);
});

test('a backwards clock jump re-anchors instead of stalling', () => {
  const f = fakes();
  const { source, onFrame } = newSource(f);
  source.start(onFrame);
  f.fire();
  f.fire(T0 - 10_000);
  assert.equal(f.nextDelay(), 20);
  f.fire();
  assert.equal(f.nextDelay(), 20, 'steady on the new anchor');
  assert.equal(source.framesProduced, 3);
});

test('defaults: 1280x720 at 60 fps; rejects a silly fps', () => {
  const s = new DemoGameSource();
  assert.deepEqual([s.width, s.height, s.fps], [1280, 720, 60]);
  assert.throws(() => new DemoGameSource({ fps: 0 }), RangeError);
});

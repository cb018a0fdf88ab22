import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BitrateLadder } from './bitrateLadder.ts';

test('rungs step down from the configured rate, each within 1.5x of the next, never under the floor', () => {
  const l = new BitrateLadder(4000, 500);
  assert.deepEqual(l.rungs, [4000, 2800, 2000, 1400, 1000, 680]);
  for (let i = 1; i < l.rungs.length; i++) assert.ok((l.rungs[i - 1] ?? 0) / (l.rungs[i] ?? 1) <= 1.5);
  assert.deepEqual(new BitrateLadder(300, 500).rungs, [300], 'a rate under the floor is its own single rung');
});

type Step = { atMs: number; target: number; want?: number | 'none' };
const run = (l: BitrateLadder, steps: Step[]) => {
  for (const s of steps) {
    const d = l.update(s.target, s.atMs);
    if (s.want === 'none') assert.equal(d, undefined, `no change at ${s.atMs} ms (target ${s.target})`);
    else if (s.want !== undefined) assert.equal(d?.kbps, s.want, `at ${s.atMs} ms (target ${s.target})`);
  }
};

test('down at once to the highest rung the target covers; never two steps within a second', () => {
  run(new BitrateLadder(4000, 500), [
    { atMs: 0, target: 4500, want: 'none' },
    { atMs: 100, target: 1500, want: 1400 },
    { atMs: 600, target: 700, want: 'none' },
    { atMs: 1100, target: 700, want: 680 },
    { atMs: 1200, target: 100, want: 'none' }, // already on the lowest rung
  ]);
});

test('up one rung at a time, after the target covered it for 2 s and 3 s after the last change', () => {
  const l = new BitrateLadder(4000, 500);
  run(l, [
    { atMs: 0, target: 1500, want: 1400 },
    { atMs: 1000, target: 5000, want: 'none' },
    { atMs: 2900, target: 5000, want: 'none' },
    { atMs: 3100, target: 5000, want: 2000 },
    { atMs: 4000, target: 5000, want: 'none' },
    { atMs: 6200, target: 5000, want: 2800 },
  ]);
  assert.equal(l.current.kbps, 2800);
});

test('an up-switch that fails within 6 s doubles the hold before the next one: no oscillation at a rung edge', () => {
  const l = new BitrateLadder(4000, 500);
  let changes = 0;
  // A link that carries 2400: the 2800 rung overruns it, the estimator reacts, and it climbs again.
  for (let t = 0; t < 60_000; t += 100) {
    const onTop = l.current.kbps === 2800;
    const target = onTop && t % 2000 < 100 ? 2000 : 3000; // every time it runs at 2800, congestion shows within 2 s
    if (l.update(target, t)) changes++;
  }
  assert.ok(changes <= 12, `${changes} switches in a minute`);
});

test('the audio rate is left out of what the video may take', () => {
  const l = new BitrateLadder(4000, 500, 64);
  assert.equal(l.update(2030, 0)?.kbps, 1400, '2030 - 64 does not cover 2000');
});

test('an absurd or missing target keeps to the ladder', () => {
  const l = new BitrateLadder(4000, 500);
  assert.equal(l.update(Number.NaN, 0), undefined);
  assert.equal(l.update(-5, 1000)?.kbps, 680);
  assert.equal(l.update(Infinity, 1000), undefined);
});

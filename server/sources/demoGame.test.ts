import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InputEvent } from '../../protocol/index.ts';
import { DemoGame } from './demoGame.ts';

const TS = 1_712_345_678_000;
const key = (code: string, down = true): InputEvent => ({ t: 'key', ts: TS, down, code });
const pad = (buttons: number[], axes: number[] = [0, 0]): InputEvent => ({ t: 'pad', ts: TS, index: 0, buttons, axes });
const touch = (phase: 'start' | 'move' | 'end' | 'cancel', x: number, ts = TS): InputEvent => ({ t: 'touch', ts, phase, id: 1, x, y: 0.8 });
const newGame = (): DemoGame => new DemoGame({ width: 1280, height: 720, autoServeMs: 0 });

test('starts in serve with the ball resting on the player paddle', () => {
  const s = newGame().state;
  assert.equal(s.phase, 'serve');
  assert.deepEqual(s.score, { player: 0, cpu: 0 });
  assert.ok(Math.abs(s.ball.x - (s.player.x + s.player.w / 2)) < 1e-9);
  assert.ok(s.ball.y < s.player.y);
});

test('a single key press moves the paddle at once and is counted', () => {
  const g = newGame();
  const before = g.state;
  g.applyInput(key('ArrowLeft'));
  const after = g.state;
  assert.ok(after.player.x < before.player.x, 'nudged left without a step');
  assert.equal(after.inputs, 1);
  assert.ok(after.flashMs > 0);
  assert.equal(after.lastKey, 'LEFT');
  g.applyInput(key('KeyD'));
  assert.ok(g.state.player.x > after.player.x);
  g.applyInput(key('KeyW'));
  assert.ok(g.state.player.y < after.player.y, 'up moves the paddle up within its zone');
});

test('a key the game does not use still changes what is shown', () => {
  const g = newGame();
  g.applyInput(key('KeyQ'));
  assert.equal(g.state.inputs, 1);
  assert.equal(g.state.lastKey, 'Q');
  g.step(1000);
  assert.equal(g.state.flashMs, 0, 'flash fades');
});

test('holding a key keeps moving; auto-repeat does not add nudges; release stops', () => {
  const g = newGame();
  g.applyInput(key('ArrowRight'));
  const x0 = g.state.player.x;
  g.applyInput(key('ArrowRight')); // auto-repeat
  assert.equal(g.state.player.x, x0);
  assert.equal(g.state.inputs, 1);
  g.step(100);
  const x1 = g.state.player.x;
  assert.ok(x1 > x0);
  g.applyInput(key('ArrowRight', false));
  g.step(100);
  assert.equal(g.state.player.x, x1);
});

test('the paddle stays inside the picture', () => {
  const g = newGame();
  g.applyInput(key('ArrowLeft'));
  g.step(250);
  g.step(250);
  g.step(250);
  assert.equal(g.state.player.x, 0);
});

test('Space launches the ball', () => {
  const g = newGame();
  g.applyInput(key('Space'));
  assert.equal(g.state.phase, 'play');
  const y0 = g.state.ball.y;
  g.step(50);
  assert.ok(g.state.ball.y < y0, 'ball moves up, towards the CPU');
});

test('pointer: move sets the paddle x, button press launches', () => {
  const g = newGame();
  g.applyInput({ t: 'move', ts: TS, x: 0.25, y: 0.5, dx: 0, dy: 0 });
  const s = g.state;
  assert.equal(s.player.x + s.player.w / 2, 320);
  g.applyInput({ t: 'button', ts: TS, down: true, button: 0, x: 0.25, y: 0.5 });
  assert.equal(g.state.phase, 'play');
});

test('touch: start and move set the paddle, a tap launches, a drag does not', () => {
  const g = newGame();
  g.applyInput(touch('start', 0.75));
  assert.equal(g.state.player.x + g.state.player.w / 2, 960);
  g.applyInput(touch('move', 0.5));
  assert.equal(g.state.player.x + g.state.player.w / 2, 640);
  g.applyInput(touch('end', 0.5, TS + 100));
  assert.equal(g.state.phase, 'serve', 'a drag is not a tap');
  g.applyInput(touch('start', 0.5, TS + 1000));
  g.applyInput(touch('end', 0.5, TS + 1100));
  assert.equal(g.state.phase, 'play');
});

test('gamepad: stick moves, d-pad nudges on press, button 0 launches on its rising edge', () => {
  const g = newGame();
  const x0 = g.state.player.x;
  g.applyInput(pad([], [0.1, 0])); // inside the dead zone
  g.step(100);
  assert.equal(g.state.player.x, x0);
  g.applyInput(pad([], [1, 0]));
  g.step(100);
  const x1 = g.state.player.x;
  assert.ok(x1 > x0);
  const dpadLeft = new Array<number>(17).fill(0);
  dpadLeft[14] = 1;
  g.applyInput(pad(dpadLeft, [0, 0]));
  assert.ok(g.state.player.x < x1, 'nudged at once');
  assert.equal(g.state.inputs, 1);
  g.applyInput(pad([1], [0, 0]));
  assert.equal(g.state.phase, 'play');
  g.applyInput(pad([1], [0, 0])); // still held: no new press
  assert.equal(g.state.inputs, 2);
});

test('missing the ball scores for the CPU, beating the CPU scores for the player', () => {
  const g = newGame();
  g.applyInput({ t: 'move', ts: TS, x: 0, y: 0.5, dx: 0, dy: 0 });
  g.applyInput(key('Space'));
  // Keep the paddle in the far corner; the CPU returns the ball and we miss it.
  for (let i = 0; i < 200 && g.state.phase === 'play'; i++) {
    const b = g.state.ball;
    g.applyInput({ t: 'move', ts: TS, x: b.x < 640 ? 1 : 0, y: 0.5, dx: 0, dy: 0 });
    g.step(50);
  }
  assert.deepEqual(g.state.score, { player: 0, cpu: 1 });
  assert.equal(g.state.phase, 'serve');

  // Track the ball perfectly at its edge so it comes back at a steep angle; the CPU is capped and misses eventually.
  g.applyInput(key('Space'));
  for (let i = 0; i < 4000 && g.state.score.player === 0; i++) {
    const s = g.state;
    if (s.phase !== 'play') {
      g.applyInput(key('Space', false));
      g.applyInput(key('Space'));
    }
    g.applyInput({ t: 'move', ts: TS, x: (s.ball.x - s.player.w * 0.4) / 1280, y: 0.5, dx: 0, dy: 0 });
    g.step(20);
  }
  assert.equal(g.state.score.player, 1);
});

test('first to winScore ends the match; launch starts a new one', () => {
  const g = new DemoGame({ width: 640, height: 360, winScore: 1, autoServeMs: 0 });
  g.applyInput({ t: 'move', ts: TS, x: 0, y: 0.5, dx: 0, dy: 0 });
  g.applyInput(key('Space'));
  for (let i = 0; i < 400 && g.state.phase === 'play'; i++) {
    g.applyInput({ t: 'move', ts: TS, x: g.state.ball.x < 320 ? 1 : 0, y: 0.5, dx: 0, dy: 0 });
    g.step(50);
  }
  assert.equal(g.state.phase, 'over');
  g.applyInput(key('Space', false));
  g.applyInput(key('Space'));
  assert.equal(g.state.phase, 'serve');
  assert.deepEqual(g.state.score, { player: 0, cpu: 0 });
});

test('auto-serve after idle time keeps an untouched stream moving', () => {
  const g = new DemoGame({ width: 640, height: 360, autoServeMs: 1000 });
  for (let i = 0; i < 5; i++) g.step(100);
  assert.equal(g.state.phase, 'serve');
  for (let i = 0; i < 6; i++) g.step(100);
  assert.equal(g.state.phase, 'play');
});

test('the game lives below the stamp rows', () => {
  const g = newGame();
  assert.equal(g.layout.stampBand, 40);
  assert.ok(g.state.cpu.y >= g.layout.fieldTop);
  assert.equal(new DemoGame({ width: 320, height: 240 }).layout.stampBand, 0);
  assert.throws(() => new DemoGame({ width: 10, height: 10 }), RangeError);
});

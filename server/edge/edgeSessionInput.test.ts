/**
 * A session's input budget as its player sees it: one budget for every
 * channel and socket of the player, the player told once when input is
 * dropped, a flood that goes on ended with `input-abuse`, and spectators'
 * messages never reaching the game.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EndReason, type InputEvent } from '../../protocol/index.ts';
import type { FrameSource, Viewer } from './ports.ts';
import { fakeGameSession, fakeViewer } from './sessionFakes.ts';

const TS = 1_700_000_000_000;
const key = (code: string, down = true) => JSON.stringify({ t: 'key', ts: TS, down, code });

function session(now: () => number) {
  const applied: InputEvent[] = [];
  let released = 0;
  const source: FrameSource = { start: () => {}, applyInput: (ev) => applied.push(ev), stop: async () => {}, releaseInput: () => released++ };
  const s = fakeGameSession({ source, now });
  return { s, applied, released: () => released };
}

test("two player sockets share one budget: the session's, not each socket's", () => {
  const now = 0;
  const { s, applied } = session(() => now);
  const a = fakeViewer('a', 'player');
  const b = fakeViewer('b', 'player');
  s.addViewer(a.viewer);
  s.addViewer(b.viewer);
  for (let i = 0; i < 100; i++) s.input(i % 2 ? 'a' : 'b', key('KeyA', i % 2 === 0));
  assert.equal(applied.length, 25, 'one quarter-second burst for the session, not one per socket');
  assert.deepEqual(a.said, ['notice input-limited'], 'each player told once');
  assert.deepEqual(b.said, ['notice input-limited']);
  void s.end(EndReason.userLeft);
});

test('a flood at more than twice the budget for three seconds ends the session with input-abuse', async () => {
  let now = 0;
  const { s } = session(() => now);
  const p = fakeViewer('p', 'player');
  const watcher = fakeViewer('w', 'viewer');
  s.addViewer(p.viewer);
  s.addViewer(watcher.viewer);
  for (let i = 0; i < 1000 && s.phase !== 'ended'; i++) {
    now += 4; // 250 events/s against 100/s
    s.input('p', key('KeyA', i % 2 === 0));
  }
  assert.equal(s.phase, 'ended');
  assert.equal(s.snapshot.endReason, EndReason.inputAbuse);
  assert.ok(now >= 3000 && now <= 4100, `ended after ${now} ms`);
  assert.deepEqual(p.said, ['notice input-limited', 'ended input-abuse']);
  assert.deepEqual(watcher.said, ['ended input-abuse'], 'spectators are told why it ended, not warned before');
});

test("a spectator's input never reaches the game nor spends the player's budget", () => {
  const now = 0;
  const { s, applied } = session(() => now);
  s.addViewer(fakeViewer('p', 'player').viewer);
  s.addViewer(fakeViewer('w', 'viewer').viewer);
  for (let i = 0; i < 1000; i++) s.input('w', key('KeyA', i % 2 === 0));
  assert.equal(applied.length, 0);
  s.input('p', key('KeyB'));
  assert.equal(applied.length, 1);
  void s.end(EndReason.userLeft);
});

test('when the last player leaves, held inputs are released and their places freed', () => {
  let now = 0;
  const { s, applied, released } = session(() => now);
  s.addViewer(fakeViewer('p', 'player').viewer);
  for (let i = 0; i < 30; i++) {
    now += 20;
    s.input('p', key(`K${i}`));
  }
  assert.equal(applied.length, 20, 'only maxHeld presses are held');
  s.viewerLeft('p', 'viewer-left');
  assert.equal(released(), 1);
  s.addViewer(fakeViewer('p2', 'player').viewer);
  now += 20;
  s.input('p2', key('KeyZ'));
  assert.equal(applied.length, 21, 'the next player starts with nothing held');
  void s.end(EndReason.userLeft);
});

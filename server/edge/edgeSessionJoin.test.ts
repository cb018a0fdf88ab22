/**
 * A game prepared for a player who never connects ends after the join
 * window (not after the longer wait for a player who dropped), so a play
 * nobody watches frees its slot and encoders within seconds.
 */
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { EndReason } from '../../protocol/index.ts';
import type { FrameSource, Viewer } from './ports.ts';
import { fakeEncoder, fakeGameSession, fakeViewer } from './sessionFakes.ts';

function game() {
  const stopped: string[] = [];
  const source: FrameSource = { start: () => {}, applyInput: () => {}, stop: async () => void stopped.push('source') };
  const session = fakeGameSession({
    source,
    encoder: fakeEncoder(() => stopped.push('encoder')),
    policy: { idleViewerTimeoutMs: 30_000, joinTimeoutMs: 8_000 },
  });
  return { session, stopped };
}

const viewer = (id: string): Viewer => fakeViewer(id).viewer;

test('nobody joins: the session ends after the join window, with not-joined, and stops its source and encoder', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const { session, stopped } = game();
  await session.prepare();
  mock.timers.tick(7_999);
  assert.equal(session.phase === 'ended', false);
  mock.timers.tick(1);
  assert.equal(session.snapshot.endReason, EndReason.notJoined);
  await Promise.resolve();
  assert.deepEqual(stopped.sort(), ['encoder', 'source']);
});

test('a player who came and dropped gets the longer wait, and then user-left', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const { session } = game();
  await session.prepare();
  session.addViewer(viewer('p'));
  session.viewerConnected('p');
  session.viewerLeft('p', 'ice-failed');
  mock.timers.tick(8_000);
  assert.notEqual(session.phase, 'ended', 'the join window no longer applies');
  mock.timers.tick(22_000);
  assert.equal(session.snapshot.endReason, EndReason.userLeft);
});

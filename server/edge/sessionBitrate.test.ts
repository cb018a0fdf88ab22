/**
 * Congestion control at the session: the player's estimates move the
 * encoder down the ladder at once and back up carefully; a spectator's do
 * nothing; the player's page hears of each change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Estimate } from '../webrtc/congestion/bandwidthEstimator.ts';
import type { FrameSource } from './ports.ts';
import { fakeEncoder, fakeGameSession, fakeViewer } from './sessionFakes.ts';

const source: FrameSource = { start: () => {}, applyInput: () => {}, stop: async () => {} };
const estimate = (targetKbps: number): Estimate => ({ targetKbps, limitedBy: 'delay', delay: 'normal', lossFraction: 0, ackedKbps: targetKbps, queueMs: 0 });

test("the player's estimates steer the encoder: down at once, up after a calm spell; a spectator's are ignored", () => {
  let now = 0;
  const encoder = fakeEncoder(() => {}, 4000);
  const session = fakeGameSession({ source, encoder, now: () => now, congestion: { minKbps: 300 } });
  const player = fakeViewer('p', 'player');
  const spectator = fakeViewer('s', 'viewer');
  session.addViewer(player.viewer);
  session.addViewer(spectator.viewer);
  const playerTold = player.bitrates;
  const spectatorTold = spectator.bitrates;
  assert.deepEqual(session.congestion?.limits, { startKbps: 4000, minKbps: 300, maxKbps: 6000 });

  session.bandwidth('s', estimate(500));
  assert.equal(encoder.rates.length, 0, 'a spectator does not steer');

  now = 1000;
  session.bandwidth('p', estimate(1500));
  assert.deepEqual(encoder.rates, [{ kbps: 1400, reason: 'delay' }]);
  assert.equal(session.congestion?.encoderKbps(), 1400);
  assert.equal(playerTold.at(-1)?.rungKbps, 1400);
  assert.equal(spectatorTold.length, 0, 'only the player is told');

  for (now = 1100; now < 6000; now += 100) session.bandwidth('p', estimate(9000));
  assert.deepEqual(
    encoder.rates.map((r) => r.kbps),
    [1400, 2000],
    'one rung up, once the target held for 2 s and 3 s passed',
  );
  assert.equal(encoder.rates[1]?.reason, 'probe');
});

test('with congestion control off, estimates change nothing', () => {
  const encoder = fakeEncoder(() => {}, 4000);
  const session = fakeGameSession({ source, encoder });
  session.addViewer(fakeViewer('p').viewer);
  assert.equal(session.congestion, undefined);
  session.bandwidth('p', estimate(500));
  assert.equal(encoder.rates.length, 0);
});

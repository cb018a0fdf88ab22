import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BandwidthEstimator, MAX_REPORTS_PER_FEEDBACK } from './bandwidthEstimator.ts';
import { type LinkPhase, simulate } from './linkSim.ts';
import { TrendlineDetector, slope } from './trendline.ts';

const LIMITS = { startKbps: 4000, minKbps: 300, maxKbps: 6000 };
const between = (s: ReturnType<typeof simulate>, fromMs: number, toMs: number) => s.filter((x) => x.atMs >= fromMs && x.atMs < toMs);
const maxOf = (xs: number[]) => Math.max(...xs);
const minOf = (xs: number[]) => Math.min(...xs);

test('slope is the least-squares fit, undefined when x does not vary', () => {
  assert.equal(
    slope([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 5 },
    ]),
    2,
  );
  assert.equal(
    slope([
      { x: 1, y: 1 },
      { x: 1, y: 3 },
    ]),
    undefined,
  );
  assert.equal(slope([{ x: 1, y: 1 }]), undefined);
});

test('the trendline reads steady, growing and shrinking one-way delay as normal, overuse and underuse', () => {
  const cases: { name: string; extraDelayPerFrameMs: number; want: string }[] = [
    { name: 'steady', extraDelayPerFrameMs: 0, want: 'normal' },
    { name: 'queue filling 5 ms a frame', extraDelayPerFrameMs: 5, want: 'overuse' },
    { name: 'queue draining 5 ms a frame', extraDelayPerFrameMs: -5, want: 'underuse' },
  ];
  for (const c of cases) {
    const t = new TrendlineDetector();
    for (let f = 0; f < 40; f++) {
      const sent = f * 33;
      // Draining needs a queue to drain: start it 300 ms deep.
      const arrival = sent + 20 + 300 + c.extraDelayPerFrameMs * f;
      for (let k = 0; k < 5; k++) t.onPacket(sent + k * 0.2, arrival + k);
    }
    assert.equal(t.state, c.want, c.name);
  }
});

test('jitter of a few ms around a steady delay is not congestion', () => {
  const t = new TrendlineDetector();
  let overuses = 0;
  let seed = 7;
  const jitter = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 8 - 4; // ±4 ms
  for (let f = 0; f < 300; f++) {
    const sent = f * 33;
    for (let k = 0; k < 5; k++) if (t.onPacket(sent + k * 0.2, sent + 20 + k + jitter()) === 'overuse') overuses++;
  }
  assert.equal(overuses, 0);
});

// Whole-loop table: the estimator drives a simulated encoder through a simulated bottleneck.
const scenarios: { name: string; phases: LinkPhase[]; check: (s: ReturnType<typeof simulate>) => void }[] = [
  {
    name: 'a clean link wider than the maximum: the target reaches the maximum and stays',
    phases: [{ untilMs: 10_000, capacityKbps: 20_000 }],
    check: (s) => assert.equal(minOf(between(s, 4000, 10_000).map((x) => x.targetKbps)), LIMITS.maxKbps),
  },
  {
    name: 'a 2 Mbit/s cap from the start: under the cap within 2 s, the queue drained within 3 s, never below 0.4x the cap',
    phases: [{ untilMs: 15_000, capacityKbps: 2000 }],
    check: (s) => {
      assert.ok(maxOf(between(s, 2000, 15_000).map((x) => x.targetKbps)) < 2300, 'target stays near the cap');
      assert.ok(maxOf(between(s, 2000, 11_000).map((x) => x.targetKbps)) <= 2000 * 1.1);
      assert.ok(maxOf(between(s, 3000, 15_000).map((x) => x.queueMs)) < 150, 'standing queue after the first drain');
      assert.ok(minOf(between(s, 1000, 15_000).map((x) => x.targetKbps)) > 800, 'it does not collapse');
      assert.ok(between(s, 6000, 15_000).reduce((a, x) => a + x.targetKbps, 0) / between(s, 6000, 15_000).length > 1600, 'it uses the link');
    },
  },
  {
    name: 'the link drops from 8 to 1.5 Mbit/s for 10 s and comes back: down within 1 s, drained within 3 s, back to 4 Mbit/s within 10 s',
    phases: [
      { untilMs: 5000, capacityKbps: 8000 },
      { untilMs: 15_000, capacityKbps: 1500 },
      { untilMs: 30_000, capacityKbps: 8000 },
    ],
    check: (s) => {
      assert.ok(
        between(s, 4000, 5000).every((x) => x.targetKbps >= 5000),
        'full rate before the drop',
      );
      assert.ok(minOf(between(s, 5000, 6000).map((x) => x.targetKbps)) < 1500, 'under the new cap within 1 s');
      assert.ok(maxOf(between(s, 8000, 15_000).map((x) => x.queueMs)) < 150, 'queue drained within 3 s');
      const back = between(s, 15_000, 30_000).find((x) => x.targetKbps >= 4000);
      assert.ok(back && back.atMs - 15_000 <= 10_000, `back to 4 Mbit/s after ${back ? back.atMs - 15_000 : 'never'} ms`);
    },
  },
  {
    name: '1 % random loss on a wide link costs no bitrate',
    phases: [{ untilMs: 10_000, capacityKbps: 20_000, lossRate: 0.01 }],
    check: (s) => assert.equal(minOf(between(s, 5000, 10_000).map((x) => x.targetKbps)), LIMITS.maxKbps),
  },
  {
    name: '25 % random loss lowers the target (the loss bound) but never under the minimum',
    phases: [{ untilMs: 10_000, capacityKbps: 20_000, lossRate: 0.25 }],
    check: (s) => {
      const late = between(s, 5000, 10_000).map((x) => x.targetKbps);
      assert.ok(maxOf(late) < 3000, `target ${maxOf(late)}`);
      assert.ok(minOf(late) >= LIMITS.minKbps);
      assert.equal(s[s.length - 1]?.estimate.limitedBy, 'loss');
    },
  },
];
for (const sc of scenarios) test(sc.name, () => sc.check(simulate(LIMITS, sc.phases, 42)));

test('hostile feedback (unknown, repeated, absurd or too many packets) never leaves the configured bounds', () => {
  const est = new BandwidthEstimator(LIMITS);
  for (let seq = 0; seq < 200; seq++) est.onPacketSent(seq, 1200, seq);
  const reports = [
    ...Array.from({ length: 100 }, (_, i) => ({ seq: 1000 + i, received: true, receivedAtMs: i })), // never sent
    ...Array.from({ length: 100 }, (_, i) => ({ seq: i, received: true, receivedAtMs: i * 1e9 })), // absurd arrivals
    ...Array.from({ length: 100 }, (_, i) => ({ seq: i, received: true, receivedAtMs: i })), // repeats
    { seq: 150, received: true, receivedAtMs: Number.NaN },
  ];
  for (let round = 0; round < 50; round++) {
    const e = est.onFeedback(reports, 300 + round * 50, -5);
    assert.ok(e.targetKbps >= LIMITS.minKbps && e.targetKbps <= LIMITS.maxKbps, `target ${e.targetKbps}`);
  }
  assert.equal(est.counts.reports, 101, 'each sent packet counted once');
  assert.ok(est.counts.unknown >= 100 * 50);

  const flood = Array.from({ length: 65_535 }, (_, i) => ({ seq: i, received: false, receivedAtMs: 0 }));
  const before = est.counts.unknown + est.counts.reports;
  est.onFeedback(flood, 10_000);
  assert.equal(est.counts.unknown + est.counts.reports - before, MAX_REPORTS_PER_FEEDBACK);
});

test('limits given the wrong way round are put right', () => {
  const est = new BandwidthEstimator({ startKbps: 99_999, minKbps: 5000, maxKbps: 1000 });
  assert.equal(est.onFeedback([], 0).targetKbps, 1000);
});

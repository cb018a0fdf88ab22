import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asReport, compareReports, figures, formatComparison } from './compare.ts';
import type { LatencyReport, LatencyResult } from './result.ts';
import { must } from '../../protocol/must.ts';

const result = (g2gP50: number, lost: number | null): LatencyResult =>
  ({
    firstPictureMs: 900,
    window: { startedAt: 'x', seconds: 10 },
    glassToGlassMs: { n: 100, p50: g2gP50, p95: null, p99: null, max: null, mean: null },
    network: { packetsLost: lost },
    session: { encoder: 'libx264' },
    timeline: { g2g: [[0, 1]] },
    warnings: [],
  }) as unknown as LatencyResult;

const report = (r: LatencyResult): LatencyReport =>
  ({ tool: 'edgeplay-latency', version: 1, createdAt: 'now', url: 'u', profile: { applied: 'lan' }, result: r }) as unknown as LatencyReport;

test('figures are the numeric and null leaves as dotted paths', () => {
  assert.deepEqual(
    [...figures({ a: 1, b: { c: null, d: 'text', e: [1, 2] } })],
    [
      ['a', 1],
      ['b.c', null],
    ],
  );
});

test('every figure of both reports gets its change; timelines and strings are left out', () => {
  const changes = compareReports(report(result(40, 0)), report(result(30, 5)));
  const by = new Map(changes.map((c) => [c.figure, c]));
  assert.deepEqual(by.get('glassToGlassMs.p50'), { figure: 'glassToGlassMs.p50', a: 40, b: 30, delta: -10, percent: -25 });
  assert.deepEqual(by.get('network.packetsLost'), { figure: 'network.packetsLost', a: 0, b: 5, delta: 5, percent: null });
  assert.deepEqual(by.get('glassToGlassMs.p95'), { figure: 'glassToGlassMs.p95', a: null, b: null, delta: null, percent: null });
  assert.equal(by.get('firstPictureMs')?.delta, 0);
  assert.ok(![...by.keys()].some((k) => k.startsWith('timeline') || k.startsWith('window') || k.startsWith('session')));
});

test('the comparison prints one aligned line per figure with a signed change', () => {
  const text = formatComparison(compareReports(report(result(40, 0)), report(result(30, 5))), 'before', 'after');
  const lines = text.split('\n');
  assert.match(must(lines[0], 'lines[0]'), /^figure\s+before\s+after\s+change$/);
  assert.ok(lines.some((l) => /^glassToGlassMs\.p50\s+40\s+30\s+-10 \(-25 %\)$/.test(l)));
  assert.ok(lines.some((l) => /^network\.packetsLost\s+0\s+5\s+\+5$/.test(l)));
});

test('files that are not latency reports are refused', () => {
  assert.throws(() => asReport({ hello: 1 }, 'x.json'), /x\.json is not an Edgeplay latency report/);
});

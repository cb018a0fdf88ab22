/**
 * `npm run latency -- --compare A.json B.json`: the change of every figure
 * between two reports (for example before and after a commit). Figures are
 * the numeric leaves of the report's result; timelines, the window and the
 * session's names (encoder, edge, size) are context, not figures.
 */
import type { LatencyReport } from './result.ts';
import { must } from '../../protocol/must.ts';

export type FigureChange = { figure: string; a: number | null; b: number | null; delta: number | null; percent: number | null };

/** Numeric (or null) leaves of an object as dotted paths, in document order. */
export function figures(value: unknown, prefix = ''): Map<string, number | null> {
  const out = new Map<string, number | null>();
  if (value === null || typeof value === 'number') {
    if (prefix) out.set(prefix, value);
    return out;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    for (const [p, n] of figures(v, prefix ? `${prefix}.${k}` : k)) out.set(p, n);
  }
  return out;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Every figure of either report, with its change from A to B. */
export function compareReports(a: LatencyReport, b: LatencyReport): FigureChange[] {
  const fa = figures({ ...a.result, timeline: undefined, window: undefined, session: undefined });
  const fb = figures({ ...b.result, timeline: undefined, window: undefined, session: undefined });
  const names = [...new Set([...fa.keys(), ...fb.keys()])];
  return names.map((figure) => {
    const x = fa.get(figure) ?? null;
    const y = fb.get(figure) ?? null;
    const delta = x !== null && y !== null ? round2(y - x) : null;
    const percent = delta !== null && x !== null && x !== 0 ? round2((delta / Math.abs(x)) * 100) : null;
    return { figure, a: x, b: y, delta, percent };
  });
}

const show = (v: number | null): string => (v === null ? '–' : String(v));

export function formatComparison(changes: readonly FigureChange[], labelA: string, labelB: string): string {
  const header: [string, string, string, string] = ['figure', labelA, labelB, 'change'];
  const rows = changes.map((c): [string, string, string, string] => {
    let change = '–';
    if (c.delta !== null) change = `${c.delta > 0 ? '+' : ''}${c.delta}${c.percent !== null ? ` (${c.percent > 0 ? '+' : ''}${c.percent} %)` : ''}`;
    return [c.figure, show(c.a), show(c.b), change];
  });
  const all = [header, ...rows];
  const w = [0, 1, 2, 3].map((i) => Math.max(...all.map((r) => must(r[i], 'r[i]').length)));
  return all.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(must(w[i], 'w[i]')) : cell.padStart(must(w[i], 'w[i]')))).join('  ')).join('\n');
}

/** Throws unless `v` looks like a report this tool wrote. */
export function asReport(v: unknown, file: string): LatencyReport {
  const r = v as Partial<LatencyReport> | null;
  if (!r || r.tool !== 'edgeplay-latency' || typeof r.result !== 'object') throw new Error(`${file} is not an Edgeplay latency report`);
  return r as LatencyReport;
}

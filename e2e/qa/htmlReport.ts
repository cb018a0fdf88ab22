/**
 * Renders a LatencyReport as one self-contained HTML file a person opens in
 * a browser, offline: the summary table and facts are plain HTML; the charts
 * are drawn by reportPage/charts.ts, bundled here with Chart.js (a maintained
 * charting library, MIT) and inlined, together with the chart data.
 */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { LatencyReport } from './result.ts';
import { histogram } from './stats.ts';
import { summaryRows } from './summaryTable.ts';
import { must } from '../../protocol/must.ts';

export type ReportChartData = {
  g2g: Array<[number, number]>;
  inputToPhoton: Array<[number, number]>;
  presentedFps: Array<[number, number]>;
  decodedFps: Array<[number, number | null]>;
  bitrate: Array<[number, number | null]>;
  histogram: { binMs: number; labels: string[]; g2g: number[]; inputToPhoton: number[] };
};

let chartScript: string | undefined;

/** reportPage/charts.ts with Chart.js, as one minified classic script. */
function chartsBundle(): string {
  if (chartScript !== undefined) return chartScript;
  const out = buildSync({
    entryPoints: [fileURLToPath(new URL('./reportPage/charts.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    write: false,
    legalComments: 'inline', // keep Chart.js's licence header in the file
    logLevel: 'silent',
  }).outputFiles[0];
  if (!out) throw new Error('esbuild produced no chart script');
  chartScript = out.text;
  return chartScript;
}

/** A bin width giving roughly 20–40 bars for the spread of the samples. */
export function binWidthFor(values: readonly number[]): number {
  if (values.length === 0) return 10;
  const spread = Math.max(...values) - Math.min(...values);
  for (const w of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]) if (spread / w <= 40) return w;
  return 2000;
}

export function chartData(report: LatencyReport): ReportChartData {
  const t = report.result.timeline;
  const g = t.g2g.map(([, v]) => v);
  const i = t.inputToPhoton.map(([, v]) => v);
  const binMs = binWidthFor([...g, ...i]);
  const hg = new Map(histogram(g, binMs));
  const hi = new Map(histogram(i, binMs));
  const starts = [...new Set([...hg.keys(), ...hi.keys()])].sort((a, b) => a - b);
  const all: number[] = [];
  if (starts.length) for (let s = must(starts[0], 'starts[0]'); s <= must(starts[starts.length - 1], 'starts[starts.length - 1]'); s += binMs) all.push(s);
  return {
    g2g: t.g2g,
    inputToPhoton: t.inputToPhoton,
    presentedFps: t.presentedFps,
    decodedFps: t.rtc.map(([s, , fps]) => [s, fps]),
    bitrate: t.rtc.map(([s, kbps]) => [s, kbps]),
    histogram: { binMs, labels: all.map(String), g2g: all.map((s) => hg.get(s) ?? 0), inputToPhoton: all.map((s) => hi.get(s) ?? 0) },
  };
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside <script>: no "</script>" or "<!--" can appear once every '<' is escaped. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');
const scriptJs = (js: string): string => js.replace(/<\/script/gi, '<\\/script');

export function renderHtml(report: LatencyReport): string {
  const r = report.result;
  const rows = summaryRows(r)
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('\n');
  const p = report.profile;
  const m = report.machine;
  const video = report.video ? `${report.video.width}×${report.video.height} @ ${report.video.fps} fps` : 'as the page streams it';
  const facts: Array<[string, string]> = [
    ['stream', report.url],
    ['network profile', `${p.applied}${p.applied !== p.requested ? ` (asked for ${p.requested})` : ''}: ${p.description}; shaping: ${p.shaper}`],
    ['measured', `${r.window.seconds} s from ${r.window.startedAt}`],
    ['video', video],
    [
      'machine',
      `${m.nproc} × ${m.cpuModel}, load ${m.loadavg.map((x) => x.toFixed(2)).join(' ')}, Node ${m.node}${m.chromium ? `, Chromium ${m.chromium}` : ''}`,
    ],
  ];
  const notes = [...(p.note ? [p.note] : []), ...r.warnings];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edgeplay latency: ${esc(p.applied)}, ${esc(report.createdAt)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #222; background: #fff; }
  h1 { font-size: 22px; margin-bottom: 4px; }
  h2 { font-size: 17px; margin-top: 28px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
  th { width: 230px; font-weight: 600; }
  .facts th { font-weight: normal; color: #555; }
  .notes { background: #fff6df; border: 1px solid #f0d48a; padding: 8px 14px; }
  .chart { position: relative; height: 320px; margin: 8px 0 24px; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
  @media (max-width: 800px) { .grid { grid-template-columns: 1fr; } }
</style>
</head>
<body data-charts="pending">
<h1>Edgeplay latency report</h1>
<p>What a player felt, read from the latency stamp of every presented frame (glass-to-glass) and of the frames answering each key press (input-to-photon).</p>
<table class="facts">${facts.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
${notes.length ? `<div class="notes"><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>` : ''}
<h2>Summary</h2>
<table class="summary">
${rows}
</table>
<h2>Latency over time</h2>
<div class="chart"><canvas id="latency-over-time" aria-label="latency over time"></canvas></div>
<div class="grid">
  <div><h2>Latency histogram</h2><div class="chart"><canvas id="latency-histogram" aria-label="latency histogram"></canvas></div></div>
  <div><h2>Frames per second</h2><div class="chart"><canvas id="fps-over-time" aria-label="fps over time"></canvas></div></div>
</div>
<h2>Bitrate</h2>
<div class="chart"><canvas id="bitrate-over-time" aria-label="bitrate over time"></canvas></div>
<script id="chart-data" type="application/json">${scriptJson(chartData(report))}</script>
<script>${scriptJs(chartsBundle())}</script>
</body>
</html>
`;
}

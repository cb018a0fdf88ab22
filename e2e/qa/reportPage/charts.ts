/**
 * The HTML report's charts, run in the browser that opens the report. Bundled
 * with Chart.js into the report itself (htmlReport.ts), so the file opens
 * offline. Reads the report's data from the JSON script element and draws:
 * latency over time, the latency histogram, fps over time, bitrate over time.
 */
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import type { ReportChartData } from '../htmlReport.ts';

Chart.register(...registerables);
Chart.defaults.animation = false; // a report is read, not watched; also makes screenshots deterministic
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.color = '#333';

const G2G = '#1f77b4';
const I2P = '#d62728';
const FPS = '#2ca02c';
const DEC = '#9467bd';

const xy = (pairs: ReadonlyArray<readonly [number, number | null]>) => pairs.map(([x, y]) => ({ x, y }));
const axis = (title: string, extra: Record<string, unknown> = {}) => ({ title: { display: true, text: title }, ...extra });

function draw(id: string, config: ChartConfiguration): void {
  const canvas = document.getElementById(id);
  if (canvas instanceof HTMLCanvasElement) new Chart(canvas, config);
}

function main(): void {
  const el = document.getElementById('chart-data');
  const data = JSON.parse(el?.textContent ?? '{}') as ReportChartData;

  draw('latency-over-time', {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'glass-to-glass (each frame)', data: xy(data.g2g), borderColor: G2G, backgroundColor: G2G, pointRadius: 1.5 },
        { label: 'input-to-photon (each input)', data: xy(data.inputToPhoton), borderColor: I2P, backgroundColor: I2P, pointRadius: 3, pointStyle: 'triangle' },
      ],
    },
    options: { scales: { x: axis('seconds into the measurement', { type: 'linear' }), y: axis('ms', { beginAtZero: true }) } },
  });

  draw('latency-histogram', {
    type: 'bar',
    data: {
      labels: data.histogram.labels,
      datasets: [
        { label: 'glass-to-glass frames', data: data.histogram.g2g, backgroundColor: G2G },
        { label: 'input-to-photon inputs', data: data.histogram.inputToPhoton, backgroundColor: I2P },
      ],
    },
    options: { scales: { x: axis(`latency, ${data.histogram.binMs} ms bins (lower edge)`), y: axis('count', { beginAtZero: true }) } },
  });

  draw('fps-over-time', {
    type: 'line',
    data: {
      datasets: [
        { label: 'presented fps (per second)', data: xy(data.presentedFps), borderColor: FPS, backgroundColor: FPS, stepped: 'before' },
        { label: 'decoded fps (getStats)', data: xy(data.decodedFps), borderColor: DEC, backgroundColor: DEC, borderDash: [4, 3] },
      ],
    },
    options: { scales: { x: axis('seconds into the measurement', { type: 'linear' }), y: axis('frames per second', { beginAtZero: true }) } },
  });

  draw('bitrate-over-time', {
    type: 'line',
    data: { datasets: [{ label: 'received video bitrate', data: xy(data.bitrate), borderColor: G2G, backgroundColor: G2G }] },
    options: { scales: { x: axis('seconds into the measurement', { type: 'linear' }), y: axis('kbit/s', { beginAtZero: true }) } },
  });

  document.body.dataset.charts = 'ready';
}

main();

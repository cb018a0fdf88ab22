/**
 * Wraps a result into a LatencyReport (what was measured, where, on which
 * machine) and writes it as JSON and HTML side by side.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderHtml } from './htmlReport.ts';
import type { LatencyReport, LatencyResult } from './result.ts';

export function machineInfo(chromium?: string): LatencyReport['machine'] {
  const m: LatencyReport['machine'] = {
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
  };
  if (chromium) m.chromium = chromium;
  return m;
}

export type ReportContext = Omit<LatencyReport, 'tool' | 'version' | 'createdAt' | 'result'>;

export function buildReport(ctx: ReportContext, result: LatencyResult, now = new Date()): LatencyReport {
  return { tool: 'edgeplay-latency', version: 1, createdAt: now.toISOString(), ...ctx, result };
}

/** `latency-<profile>-<YYYYMMDD-HHMMSS>`, in local time: sorts by date, says what it holds. */
export function reportBaseName(report: LatencyReport, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `latency-${report.profile.applied}-${stamp}`;
}

export function writeReport(report: LatencyReport, dir: string, baseName = reportBaseName(report)): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.resolve(dir, `${baseName}.json`);
  const html = path.resolve(dir, `${baseName}.html`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, renderHtml(report));
  return { json, html };
}

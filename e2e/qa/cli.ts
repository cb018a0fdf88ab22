/**
 * `npm run latency -- …`: see USAGE in args.ts and docs/qa.md.
 * Exit status: 0 measured (and within --budget), 1 over budget or failed,
 * 2 bad command line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCli, USAGE, UsageError, type RunOptions } from './args.ts';
import { checkBudget, getBudget } from './budgets.ts';
import { asReport, compareReports, formatComparison } from './compare.ts';
import type { Progress } from './probe.ts';
import { runLatency } from './runner.ts';
import { formatRows, summaryRows } from './summaryTable.ts';

const tty = process.stderr.isTTY === true;
let lastPlain = 0;

/** One line rewritten in place on a terminal; a plain line every 5 s in CI logs. */
function showProgress(p: Progress): void {
  const g2g = p.g2gP50 === null ? '–' : `${p.g2gP50} ms`;
  const line = `measuring ${Math.min(p.elapsedS, p.seconds).toFixed(0)}/${p.seconds} s · ${p.frames} frames · g2g p50 ${g2g} · ${p.keyPresses} key presses`;
  if (tty) process.stderr.write(`\r\x1b[2K${line}`);
  else if (p.elapsedS - lastPlain >= 5) {
    lastPlain = p.elapsedS;
    process.stderr.write(`${line}\n`);
  }
}

async function run(opts: RunOptions): Promise<number> {
  const { report, files } = await runLatency(opts, { log: (l) => process.stderr.write(`${l}\n`), onProgress: showProgress });
  if (tty) process.stderr.write('\r\x1b[2K');
  const r = report.result;
  process.stdout.write(`\nEdgeplay latency · ${report.url} · profile ${report.profile.applied} · ${r.window.seconds} s\n${formatRows(summaryRows(r))}\n`);
  for (const w of r.warnings) process.stdout.write(`  warning: ${w}\n`);
  process.stdout.write(`\nreport: ${files.html}\n        ${files.json}\n`);
  if (!opts.budget) return r.firstPictureMs === null ? 1 : 0;
  const over = checkBudget(r, getBudget(opts.budget), report.video?.fps ?? opts.video.fps);
  if (over.length === 0) {
    process.stdout.write(`within budget '${opts.budget}'\n`);
    return 0;
  }
  process.stdout.write(`over budget '${opts.budget}':\n${over.map((o) => `  - ${o}`).join('\n')}\n`);
  return 1;
}

function compare(a: string, b: string): number {
  const load = (f: string) => asReport(JSON.parse(readFileSync(f, 'utf8')), f);
  const ra = load(a);
  const rb = load(b);
  const describe = (f: string, r: typeof ra) => `${path.basename(f)} (${r.createdAt}, profile ${r.profile.applied}, ${r.url})`;
  process.stdout.write(`A: ${describe(a, ra)}\nB: ${describe(b, rb)}\n\n`);
  process.stdout.write(`${formatComparison(compareReports(ra, rb), 'A', 'B')}\n`);
  return 0;
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts.mode === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opts.mode === 'compare') return compare(opts.a, opts.b);
  return run(opts);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (tty) process.stderr.write('\n');
    process.stderr.write(`latency: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);

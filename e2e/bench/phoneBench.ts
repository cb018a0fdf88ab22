/**
 * `npm run bench:phone`: the cloud phone as a subscriber gets it, measured.
 * Boots the product (a telco key, instance data in a temp dir, phones at
 * 720x1280 30 fps), provisions a subscriber through the telco API, and
 * drives the handset app (/phone) in headless Debian Chromium on a 360x640
 * touch context:
 *   1. tap Open → first picture: cold starts and resumes (e2e/bench/phone/starts.ts);
 *   2. glass-to-glass and tap-to-photon in the phone's Latency app,
 *   3. CPU and memory of everything one instance runs (steady.ts, procs.ts);
 *   4. how many instances the machine keeps at 30 fps (capacity.ts).
 * Prints a table, writes bench-results/phone-bench.json; method and figures
 * in docs/phone-benchmark.md. Figures, not
 * assertions: the handset browser shares the machine with the edge, and
 * every figure carries the load it was taken under.
 *
 *   npm run bench:phone                 full run (about 5 minutes)
 *   npm run bench:phone -- --quick      1 repetition, short windows, at most 2 instances
 *   npm run bench:phone -- --skip-capacity
 *   npm run bench:phone -- --max-instances 3 --reps 2
 *   npm run bench:phone -- --no-av-sync  experiment: the handset gives the phone's audio its own
 *                                        stream, so Chromium does not hold the video back for it
 *
 * Everything it starts is stopped at the end, on errors and on Ctrl-C too
 * (tracker.ts lists what survived, if anything, and kills it by pid).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium.ts';
import { startStack, type RunningStack } from '../support/stack.ts';
import { telcoCall } from '../support/phone.ts';
import { onCleanup } from '../qa/cleanup.ts';
import { createPhone, load, type Bench, type BenchOptions } from './phone/bench.ts';
import { measureCapacity } from './phone/capacity.ts';
import { classifier } from './phone/procs.ts';
import { parseLog, problems } from './phone/serverLog.ts';
import { measureStarts } from './phone/starts.ts';
import { measureSteady } from './phone/steady.ts';
import { printTable, summarizeStarts, type TableInput } from './phone/table.ts';
import { pgrep, ProcessTracker, sleep, waitUntil } from './phone/tracker.ts';
import { must } from '../../protocol/must.ts';

const USAGE = `usage: npm run bench:phone -- [--quick] [--skip-capacity] [--max-instances N] [--reps N] [--no-av-sync] [--out FILE]
  --no-av-sync  experiment: the handset gives the phone's audio its own stream, so its video is not held back to stay in sync`;

function options(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      'skip-capacity': { type: 'boolean', default: false },
      'no-av-sync': { type: 'boolean', default: false },
      'max-instances': { type: 'string' },
      reps: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (v: string | undefined, lo: number, hi: number, dflt: number, name: string): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`--${name} must be an integer ${lo}..${hi}\n${USAGE}`);
    return n;
  };
  const quick = values.quick;
  return {
    quick,
    capacity: !values['skip-capacity'],
    reps: int(values.reps, 1, 10, quick ? 1 : 3, 'reps'),
    idleSeconds: quick ? 5 : 15,
    tapSeconds: quick ? 8 : 20,
    tapGapMs: [300, 500],
    maxInstances: int(values['max-instances'], 1, 8, quick ? 2 : 5, 'max-instances'),
    stepSeconds: quick ? 5 : 10,
    minFps: 27,
    maxG2gP95Ms: 250,
    splitAudio: values['no-av-sync'],
    out: values.out ?? 'bench-results/phone-bench.json',
  };
}

const uptime = (): string => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${load().join(', ')}`;
  }
};

/** Alive and not a zombie (an exited child this process has not reaped yet). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The whole run may not take longer than this; the clean-up still runs. */
const deadlineMs = (o: BenchOptions): number => (o.quick ? 4 : 9) * 60_000;

async function run(
  o: BenchOptions,
  report: Record<string, unknown>,
  errors: string[],
  log: (l: string) => void,
  hold: { stack?: RunningStack; browser?: Browser; dataRoot: string },
): Promise<void> {
  const telcoKey = randomBytes(18).toString('base64url');
  log(`starting the stack (phones at 720x1280@30, data in ${hold.dataRoot})…`);
  const stack = await startStack({
    TELCO_KEYS: `bench-telco:${telcoKey}`,
    EDGE_DATA_DIR: hold.dataRoot,
    PHONE_WIDTH: '720',
    PHONE_HEIGHT: '1280',
    PHONE_FPS: '30',
    // Warm encoders are for the game's landscape stream; a phone starts its own. None keeps the process list to phones.
    WARM_ENCODERS: '0',
    MAX_SESSIONS: String(o.maxInstances + 1),
    // The edge's "session ready" / "phone running" lines time the cold starts.
    LOG_LEVEL: 'info',
    ...(process.env.ENCODER ? { ENCODER: process.env.ENCODER } : {}),
  });
  hold.stack = stack;
  const encoder = /local edge, encoder: ([\w-]+)/.exec(stack.output())?.[1];
  report.encoder = encoder ?? null;
  const browser = await chromium.launch(chromiumLaunchOptions());
  hold.browser = browser;
  (report.machine as Record<string, unknown>).handsetChromium = browser.version();

  const subscriberId = 'bench-subscriber';
  const telco = { baseUrl: stack.baseUrl, key: telcoKey };
  const created = await telcoCall(telco, 'POST', '/api/telco/subscribers', { subscriberId, maxInstances: Math.max(1, o.maxInstances) });
  if (created.status !== 201) throw new Error(`provisioning: ${created.status} ${JSON.stringify(created.json)}`);
  const tok = await telcoCall(telco, 'POST', `/api/telco/subscribers/${subscriberId}/tokens`, {});
  if (tok.status !== 201) throw new Error(`token: ${tok.status} ${JSON.stringify(tok.json)}`);
  const appUrl = String(tok.json.appUrl);
  const token = decodeURIComponent(new URL(appUrl).hash.slice('#token='.length));
  const b: Bench = {
    opts: o,
    stack,
    browser,
    dataRoot: hold.dataRoot,
    subscriberId,
    token,
    appUrl,
    classify: classifier(must(stack.process.pid, 'stack.process.pid')),
    log,
  };
  const first = await createPhone(b, 'Phone 1');

  log(`1. tap Open → picture: ${o.reps} cold start(s), then ${o.reps} resume(s) (load ${load().join(' ')})`);
  let handset;
  try {
    const r = await measureStarts(b, first, o.reps);
    handset = r.handset;
    report.starts = { samples: r.samples, cold: summarizeStarts(r.samples, 'cold'), resume: summarizeStarts(r.samples, 'resume') };
  } catch (err) {
    errors.push(`starts: ${(err as Error).message}`);
    log(`  FAILED: ${(err as Error).message}`);
    return;
  }

  log(`2./3. latency and cost of one instance: ${o.idleSeconds} s idle on home, ${o.tapSeconds} s tapping in the Latency app (load ${load().join(' ')})`);
  try {
    report.steady = await measureSteady(b, first, handset);
  } catch (err) {
    errors.push(`latency/cost: ${(err as Error).message}`);
    log(`  FAILED: ${(err as Error).message}`);
  }

  if (!o.capacity) {
    await handset.close();
    return;
  }
  log(
    `4. capacity: 1..${o.maxInstances} instances, ${o.stepSeconds} s per step, stop below ${o.minFps} fps delivered or above ${o.maxG2gP95Ms} ms g2g p95 (or one instance's p95 + 100) (load ${load().join(' ')})`,
  );
  const cap = await measureCapacity(b, { instanceId: first, handset });
  report.capacity = cap;
  if (cap.error) errors.push(`capacity: ${cap.error}`);
}

/** Stops what run() started and checks that nothing is left; returns what had to be killed. */
async function cleanUp(hold: { stack?: RunningStack; browser?: Browser; dataRoot: string }, tracker: ProcessTracker, log: (l: string) => void) {
  tracker.snapshot();
  await hold.browser?.close().catch(() => {});
  // SIGTERM: the server ends every session (each phone's Chromium closes gracefully, then Xvfb, PulseAudio, ffmpeg).
  await hold.stack?.stop().catch(() => {});
  tracker.stop();
  const settled = await waitUntil(() => tracker.survivors().length === 0, 8_000, 250);
  const killed = settled ? [] : tracker.killSurvivors();
  if (killed.length) log(`clean-up: killed ${killed.length} process(es) that outlived the run: ${killed.map((k) => `${k.pid} ${k.comm}`).join(', ')}`);
  await sleep(killed.length ? 500 : 0);
  const left = { byDataDir: pgrep(hold.dataRoot), survivors: tracker.survivors() };
  rmSync(hold.dataRoot, { recursive: true, force: true });
  return { killed, left };
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const log = (l: string) => console.log(l);
  const errors: string[] = [];
  const startedAt = new Date();
  const report: Record<string, unknown> = {
    tool: 'edgeplay-phone-bench',
    version: 1,
    date: startedAt.toISOString(),
    machine: {
      nproc: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      memGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      uptimeAtStart: uptime(),
    },
    phone: { width: 720, height: 1280, fps: 30 },
    handset: { viewport: '360x640', deviceScaleFactor: 2, touch: true, browser: 'headless Debian Chromium (e2e/support/chromium.ts)' },
    options: o,
  };
  log(`phone bench${o.quick ? ' (quick)' : ''}: ${os.cpus().length} cores, ${uptime()}`);
  const tracker = new ProcessTracker();
  tracker.start();
  const hold: { stack?: RunningStack; browser?: Browser; dataRoot: string } = { dataRoot: mkdtempSync(path.join(os.tmpdir(), 'edgeplay-phone-bench-')) };
  // Ctrl-C or a crash: the server is told to stop (it stops its phones itself) and is given a few seconds to,
  // then the data dir goes; the browser dies with us. Exit handlers cannot wait asynchronously: sleep(1) polls.
  const unregister = onCleanup(() => {
    const pid = hold.stack?.process.pid;
    if (pid !== undefined && running(pid)) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 32 && running(pid); i++) execFileSync('sleep', ['0.25']);
    }
    rmSync(hold.dataRoot, { recursive: true, force: true });
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = run(o, report, errors, log, hold);
    work.catch(() => {}); // when the deadline wins, its later failure is expected
    await Promise.race([
      work,
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`the run took longer than ${deadlineMs(o) / 60_000} min; stopped`)), deadlineMs(o))),
      ),
    ]);
  } catch (err) {
    errors.push((err as Error).message);
    log(`FAILED: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
    const lines = hold.stack ? parseLog(hold.stack.output()) : [];
    report.serverProblems = problems(lines);
    log('stopping everything…');
    report.cleanUp = await cleanUp(hold, tracker, log);
    unregister();
  }
  report.uptimeAtEnd = uptime();
  report.seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  report.errors = errors;
  const c = report.cleanUp as Awaited<ReturnType<typeof cleanUp>>;
  const table: TableInput = {
    title: `Cloud phone benchmark: one instance at 720x1280@30 fps (encoder ${String(report.encoder ?? '?')}), handset 360x640 touch, headless Chromium`,
    machine: `${startedAt.toISOString()} | ${os.cpus().length} cores, ${(report.machine as { cpuModel: string }).cpuModel} | start: ${(report.machine as { uptimeAtStart: string }).uptimeAtStart} | end: ${String(report.uptimeAtEnd)} | ${String(report.seconds)} s`,
    errors,
  };
  if (report.starts) table.starts = (report.starts as { samples: NonNullable<TableInput['starts']> }).samples;
  if (report.steady) table.steady = report.steady as NonNullable<TableInput['steady']>;
  if (report.capacity) table.capacity = report.capacity as NonNullable<TableInput['capacity']>;
  printTable(table);
  log(
    `clean-up: ${c.killed.length} killed, left after: ${c.left.byDataDir.length + c.left.survivors.length} (pgrep -f <data dir>: ${c.left.byDataDir.length})`,
  );
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(report, null, 2));
  log(`written ${o.out}`);
  process.exitCode = errors.length ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

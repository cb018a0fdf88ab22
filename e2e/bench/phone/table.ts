/**
 * The benchmark's summary table, printed at the end: start times (median
 * and max over the repetitions), latencies, what one instance costs, and
 * the capacity sweep. Every block says the load it was measured under.
 */
import type { CapacityStep } from './capacity.ts';
import type { AvSync } from './handset.ts';
import { spread, type Spread } from './figures.ts';
import { INSTANCE_GROUPS, instanceTotal, type Group, type ResourceFigures } from './procs.ts';
import type { StartSample } from './starts.ts';
import type { SteadyResult } from './steady.ts';

export type StartSummary = Record<'placedMs' | 'edgeReadyMs' | 'connectedMs' | 'firstFrameMs' | 'firstPhoneFrameMs', Spread>;

export function summarizeStarts(samples: readonly StartSample[], kind: StartSample['kind']): StartSummary {
  const of = samples.filter((s) => s.kind === kind);
  const k = (key: keyof StartSummary) => spread(of.map((s) => s[key]));
  return {
    placedMs: k('placedMs'),
    edgeReadyMs: k('edgeReadyMs'),
    connectedMs: k('connectedMs'),
    firstFrameMs: k('firstFrameMs'),
    firstPhoneFrameMs: k('firstPhoneFrameMs'),
  };
}

const pad = (v: unknown, n: number): string => String(v ?? '-').padStart(n);
const padEnd = (v: unknown, n: number): string => String(v ?? '-').padEnd(n);
const loads = (l: number[] | undefined): string => (l ? l.map((x) => x.toFixed(2)).join(' ') : '-');

export type TableInput = {
  title: string;
  machine: string;
  starts?: StartSample[];
  steady?: SteadyResult;
  capacity?: { steps: CapacityStep[]; oneViewer?: CapacityStep; error?: string };
  errors: string[];
};

function startRows(samples: StartSample[]): string[] {
  const out = ['Open → picture (ms after tapping Open)        median     max   n   loads (1-min) of the reps'];
  for (const kind of ['cold', 'resume'] as const) {
    const s = summarizeStarts(samples, kind);
    const reps = samples.filter((x) => x.kind === kind);
    const l = reps.map((r) => r.loadavg[0]?.toFixed(2)).join(' ');
    const rows: Array<[string, Spread]> = [
      [`${kind}: API open + placement`, s.placedMs],
      ...(kind === 'cold' ? ([[`${kind}: edge ready (phone running)`, s.edgeReadyMs]] as Array<[string, Spread]>) : []),
      [`${kind}: WebRTC connected`, s.connectedMs],
      [`${kind}: first frame`, s.firstFrameMs],
      [`${kind}: first phone picture (stamp)`, s.firstPhoneFrameMs],
    ];
    for (const [name, v] of rows) out.push(`  ${padEnd(name, 42)} ${pad(v.median, 7)} ${pad(v.max, 7)} ${pad(v.n, 3)}   ${l}`);
  }
  const fresh = samples.find((s) => s.kind === 'cold' && s.freshProfile);
  if (fresh) out.push(`  (cold rep 1 is the phone's first start, fresh profile: phone picture at ${fresh.firstPhoneFrameMs ?? '-'} ms)`);
  return out;
}

const avRow = (a: AvSync): string => `${a.videoHeldMs ?? '-'} / ${a.videoTargetMs ?? '-'} / ${a.videoMinimumMs ?? '-'}; audio ${a.audioTargetMs ?? '-'}`;

function latencyRows(st: SteadyResult): string[] {
  const i = st.idle.stream;
  const t = st.tapping.stream;
  const tp = st.tapping.tapToPhotonMs;
  return [
    'Latency (ms)                                   p50     p95   max      n   fps (presented/decoded)   load',
    `  glass-to-glass, idle on home              ${pad(i.glassToGlassMs.p50, 7)} ${pad(i.glassToGlassMs.p95, 7)} ${pad(i.glassToGlassMs.max, 5)} ${pad(i.glassToGlassMs.n, 6)}   ${padEnd(`${i.fps.presented}/${i.fps.decoded ?? '-'}`, 24)}  ${loads(st.idle.loadavgBefore)}`,
    `  glass-to-glass, tapping                   ${pad(t.glassToGlassMs.p50, 7)} ${pad(t.glassToGlassMs.p95, 7)} ${pad(t.glassToGlassMs.max, 5)} ${pad(t.glassToGlassMs.n, 6)}   ${padEnd(`${t.fps.presented}/${t.fps.decoded ?? '-'}`, 24)}  ${loads(st.tapping.loadavgBefore)}`,
    `  tap-to-photon                             ${pad(tp.p50, 7)} ${pad(tp.p95, 7)} ${pad(tp.max, 5)} ${pad(tp.n, 6)}   taps ${tp.taps}, seen ${tp.seen}, phone counted ${st.tapping.tapsCountedByPhone ?? '?'}`,
    '  handset jitter buffer, mean ms: video held / target / jitter alone needs; audio target',
    `    idle    ${avRow(st.idle.avSync)}`,
    `    tapping ${avRow(st.tapping.avSync)}`,
  ];
}

function resourceRows(idle: ResourceFigures, tapping: ResourceFigures): string[] {
  const out = ['One instance: CPU (% of one core) and memory     idle  tapping   PSS MB (RSS MB)  procs'];
  const row = (name: string, g: Group | 'instance') => {
    const ci = g === 'instance' ? instanceTotal(idle.cpuPercent) : idle.cpuPercent[g];
    const ct = g === 'instance' ? instanceTotal(tapping.cpuPercent) : tapping.cpuPercent[g];
    const pss = g === 'instance' ? instanceTotal(tapping.pssMb) : tapping.pssMb[g];
    const rss = g === 'instance' ? instanceTotal(tapping.rssMb) : tapping.rssMb[g];
    const n = g === 'instance' ? instanceTotal(tapping.processes) : tapping.processes[g];
    if (ci === undefined && ct === undefined) return;
    out.push(`  ${padEnd(name, 44)} ${pad(ci ?? 0, 6)} ${pad(ct ?? 0, 8)}   ${pad(pss, 6)} (${rss ?? '-'})  ${pad(n, 5)}`);
  };
  for (const g of INSTANCE_GROUPS) row(`  ${g}`, g);
  row('= the instance (all it runs on the edge)', 'instance');
  row('edge server process (node)', 'edge');
  row('handset browser (headless Chromium)', 'handset');
  row('benchmark driver (node)', 'driver');
  out.push(
    `  machine busy / not ours (% of one core, of ${idle.machine.nproc * 100})  ${pad(idle.machine.busyPercent, 6)} ${pad(tapping.machine.busyPercent, 8)}   others ${idle.machine.othersPercent} / ${tapping.machine.othersPercent}`,
  );
  out.push(`  load at the windows' ends: ${loads(idle.machine.loadavg)} | ${loads(tapping.machine.loadavg)}`);
  return out;
}

const maxHeld = (s: CapacityStep): number | null => {
  const v = s.perInstance.map((i) => i.avSync.videoHeldMs).filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
};

function capacityRows(c: NonNullable<TableInput['capacity']>): string[] {
  const out = [
    'Capacity at 720x1280@30 (idle phones; each watched by its own handset page, all in one headless Chromium on the same 2 cores)',
    '  inst viewers  fps min pres/dec   g2g p95 worst  video JB max   CPU% phones  edge  handsets  machine  others   PSS MB phones   load1  verdict',
  ];
  const row = (s: CapacityStep) =>
    out.push(
      `  ${pad(s.instances, 4)} ${pad(s.viewers, 7)}  ${pad(`${s.worst.presentedFps}/${s.worst.decodedFps ?? '-'}`, 16)}   ${pad(s.worst.g2gP95, 13)}  ${pad(maxHeld(s), 12)}   ${pad(s.cpu.phones, 11)} ${pad(s.cpu.edge, 5)} ${pad(s.cpu.handsets, 9)} ${pad(s.cpu.machineBusy, 8)} ${pad(s.cpu.others, 7)}   ${pad(s.pssMb.phones, 13)}   ${pad(s.loadavgBefore[0]?.toFixed(2), 5)}  ${s.ok ? 'ok' : `stop: ${s.why}`}`,
    );
  for (const s of c.steps) row(s);
  if (c.oneViewer) {
    out.push('  same phones, one viewer (the other tabs closed; their phones keep running and encoding):');
    row(c.oneViewer);
  }
  const first = c.steps[0];
  const limit = c.steps.find((s) => s.g2gLimitMs !== undefined && Number.isFinite(s.g2gLimitMs))?.g2gLimitMs;
  if (first?.worst.g2gP95 != null && first.worst.g2gP95 > 250)
    out.push(
      `  note: one instance alone already has g2g p95 ${first.worst.g2gP95} ms (> 250): later steps are held to p95 ≤ ${limit ?? '-'} ms (its p95 + 100)`,
    );
  const kept = [...c.steps].reverse().find((s) => s.ok);
  out.push(
    `  → kept at ≥ 27 fps delivered (and the latency rule) with every viewer on this machine: ${kept ? kept.instances : 0} instance(s)${c.error ? ` (sweep error: ${c.error})` : ''}`,
  );
  return out;
}

export function printTable(t: TableInput): string {
  const lines = ['', t.title, t.machine, ''];
  if (t.starts?.length) lines.push(...startRows(t.starts), '');
  if (t.steady) {
    const c = t.steady.chromiumProcesses;
    lines.push(...latencyRows(t.steady), '', ...resourceRows(t.steady.idle.resources, t.steady.tapping.resources));
    lines.push(`  Chromium processes: ${c.inEdgeTree} under the edge, ${c.byPgrep} by pgrep -f <instanceId>`);
    lines.push('');
  }
  if (t.capacity) lines.push(...capacityRows(t.capacity), '');
  if (t.errors.length) lines.push('Errors:', ...t.errors.map((e) => `  ${e}`), '');
  const text = lines.join('\n');
  console.log(text);
  return text;
}

/**
 * `npm run bench:peer`: the product beside the GStreamer webrtcbin peer,
 * interleaved, on the same machine, browser, size, rate and bit rate. Each
 * round runs the product (the QA toolkit, `--local`) on each title, then the
 * peer's own `measure.sh`, and prints one line per run: received bit rate,
 * glass-to-glass and input-to-photon p50/p95, presented fps. The peer is not
 * part of this repository: PEER_MEASURE names its measure.sh (without it only
 * the product runs).
 *
 * SIDE_CONFIGS (default "30:4000,60:6000", fps:kbps at 1280x720),
 * SIDE_TITLES (default "motion-bench": the peer's class of picture),
 * SIDE_SECONDS (default 20), SIDE_ROUNDS (default 1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { must } from '../../protocol/must.ts';

const configs = (process.env.SIDE_CONFIGS ?? '30:4000,60:6000').split(',').map((c) => c.split(':').map(Number) as [number, number]);
const titles = (process.env.SIDE_TITLES ?? 'motion-bench').split(',');
const seconds = Number(process.env.SIDE_SECONDS ?? 20);
const rounds = Number(process.env.SIDE_ROUNDS ?? 1);
const peer = process.env.PEER_MEASURE;

type Row = {
  system: string;
  title: string;
  fps: number;
  kbps: number;
  receivedKbps: number;
  g2g: [number, number];
  i2p: [number, number];
  presentedFps: number;
};

function product(title: string, fps: number, kbps: number): Row {
  const out = mkdtempSync(path.join(tmpdir(), 'side-'));
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'e2e/qa/cli.ts',
      '--local',
      '--title',
      title,
      '--fps',
      String(fps),
      '--bitrate',
      String(kbps),
      '--seconds',
      String(seconds),
      '--out',
      out,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: (seconds + 120) * 1000 },
  );
  const file = must(
    readdirSync(out).find((f) => f.endsWith('.json')),
    "readdirSync(out).find((f) => f.endsWith('.jso...",
  );
  const r = (
    JSON.parse(readFileSync(path.join(out, file), 'utf8')) as {
      result: {
        network: { bitrateKbps: number };
        glassToGlassMs: { p50: number; p95: number };
        inputToPhotonMs: { p50: number; p95: number };
        fps: { presented: number };
      };
    }
  ).result;
  return {
    system: 'product',
    title,
    fps,
    kbps,
    receivedKbps: r.network.bitrateKbps,
    g2g: [r.glassToGlassMs.p50, r.glassToGlassMs.p95],
    i2p: [r.inputToPhotonMs.p50, r.inputToPhotonMs.p95],
    presentedFps: r.fps.presented,
  };
}

function gstPeer(fps: number, kbps: number): Row {
  const line = must(
    execFileSync(
      'bash',
      [must(peer, 'peer'), '--width', '1280', '--height', '720', '--fps', String(fps), '--bitrate', String(kbps), '--seconds', String(seconds)],
      { stdio: ['ignore', 'pipe', 'ignore'], timeout: (seconds + 180) * 1000 },
    )
      .toString()
      .trim()
      .split('\n')
      .pop(),
    'the last line the peer bench printed',
  );
  const r = JSON.parse(line) as {
    received_kbps: number;
    glass_to_glass_ms: { p50: number; p95: number };
    input_to_photon_ms: { p50: number; p95: number };
    presented_fps: number;
  };
  return {
    system: 'peer',
    title: 'peer Scene',
    fps,
    kbps,
    receivedKbps: r.received_kbps,
    g2g: [r.glass_to_glass_ms.p50, r.glass_to_glass_ms.p95],
    i2p: [r.input_to_photon_ms.p50, r.input_to_photon_ms.p95],
    presentedFps: r.presented_fps,
  };
}

const rows: Row[] = [];
for (let round = 0; round < rounds; round++) {
  for (const [fps, kbps] of configs) {
    for (const title of titles) rows.push(product(title, fps, kbps));
    if (peer) rows.push(gstPeer(fps, kbps));
    for (const r of rows.slice(-titles.length - (peer ? 1 : 0))) console.log(JSON.stringify(r));
  }
}
console.log('\n| 1280x720 | system | title | received kbit/s | g2g p50/p95 ms | i2p p50/p95 ms | presented fps |\n|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.fps} fps, ${r.kbps} kbit/s | ${r.system} | ${r.title} | ${r.receivedKbps} | ${r.g2g.join(' / ')} | ${r.i2p.join(' / ')} | ${r.presentedFps} |`,
  );

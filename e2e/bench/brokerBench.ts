/**
 * `npm run bench:broker`: placement throughput and latency of one broker
 * process with 1,000 simulated edges and 10,000 live sessions. Each timed
 * placement is what the broker does per player: candidatesFor (the probe
 * list), chooseEdge over reported RTTs (some garbage), reserve with retries
 * on the fallbacks, then confirm (or release, as if the edge refused).
 * Heartbeats and session ends run between placements, untimed, so the
 * registry and reservations churn as in a live broker. Stops after
 * BENCH_PLACEMENTS placements (default 20,000) or 30 s, whichever is first.
 * Seeded, so two runs place the same sessions.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { EdgeCapacity, EdgeTier, GeoPoint } from '../../protocol/index.ts';
import { EdgeRegistry, ReservationBook, candidatesFor, chooseEdge, haversineKm } from '../../sessions/index.ts';
import { seededRandom as rng } from '../../server/sources/seededRandom.ts';

const EDGES = Number(process.env.BENCH_EDGES ?? 1000);
const LIVE_SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const PLACEMENTS = Number(process.env.BENCH_PLACEMENTS ?? 20_000);
const TIME_LIMIT_MS = 30_000;
const MAX_ATTEMPTS = 3;

const random = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const jitter = (p: GeoPoint, deg: number): GeoPoint => ({
  lat: Math.max(-90, Math.min(90, p.lat + (random() - 0.5) * deg)),
  lon: Math.max(-180, Math.min(180, p.lon + (random() - 0.5) * deg)),
});

const REGIONS: [string, GeoPoint][] = [
  ['eu-west', { lat: 48.86, lon: 2.35 }],
  ['eu-central', { lat: 50.11, lon: 8.68 }],
  ['eu-north', { lat: 59.33, lon: 18.07 }],
  ['eu-south', { lat: 41.9, lon: 12.5 }],
  ['uk-south', { lat: 51.51, lon: -0.13 }],
  ['us-east', { lat: 38.9, lon: -77.04 }],
  ['us-central', { lat: 41.88, lon: -87.63 }],
  ['us-west', { lat: 37.77, lon: -122.42 }],
  ['ca-central', { lat: 45.5, lon: -73.57 }],
  ['sa-east', { lat: -23.55, lon: -46.63 }],
  ['ap-northeast', { lat: 35.68, lon: 139.69 }],
  ['ap-southeast', { lat: 1.35, lon: 103.82 }],
  ['ap-south', { lat: 19.08, lon: 72.88 }],
  ['ap-east', { lat: 22.32, lon: 114.17 }],
  ['au-east', { lat: -33.87, lon: 151.21 }],
  ['me-central', { lat: 25.2, lon: 55.27 }],
  ['af-south', { lat: -26.2, lon: 28.05 }],
  ['kr-central', { lat: 37.57, lon: 126.98 }],
];

type SimEdge = { edgeId: string; tier: EdgeTier; location: GeoPoint; capacity: EdgeCapacity; sessions: Set<string> };

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function main(): void {
  const now = () => Date.now();
  const registry = new EdgeRegistry({ now, heartbeatMs: 5000 });
  const book = new ReservationBook({ registry, now, ttlMs: 5000 });

  // The fleet: edges spread over regions, a third enterprise, 8..64 slots, some NVENC-capped.
  const sims: SimEdge[] = [];
  for (let i = 0; i < EDGES; i++) {
    const [region, centre] = pick(REGIONS);
    const nvenc = random() < 0.4;
    const sim: SimEdge = {
      edgeId: `${region}-${i}`,
      tier: random() < 0.33 ? 'enterprise' : 'community',
      location: jitter(centre, 4),
      capacity: {
        maxSessions: 8 + Math.floor(random() * 57),
        sessionsInUse: 0,
        encoder: nvenc ? 'h264_nvenc' : 'libx264',
        encoderKind: nvenc ? 'nvenc' : 'software',
        nvencSessionsFree: nvenc ? 8 : 0,
      },
      sessions: new Set(),
    };
    sims.push(sim);
    registry.register({
      edgeId: sim.edgeId,
      region,
      location: sim.location,
      publicUrl: `https://${sim.edgeId}.edge.example`,
      tier: sim.tier,
      capacity: sim.capacity,
      sessions: [],
      nvencPolicy: random() < 0.5 ? 'report-full' : 'software-fallback',
    });
  }
  const simById = new Map(sims.map((s) => [s.edgeId, s]));
  const live: string[] = [];
  const liveEdge = new Map<string, SimEdge>();
  const heartbeat = (s: SimEdge) => {
    s.capacity = {
      ...s.capacity,
      sessionsInUse: s.sessions.size,
      nvencSessionsFree: s.capacity.encoderKind === 'nvenc' ? Math.max(0, 8 - s.sessions.size) : 0,
    };
    const r = registry.heartbeat(s.edgeId, s.capacity, [...s.sessions]);
    if (!r.ok) throw new Error(r.error);
  };
  // 10,000 live sessions, placed at random where there is room.
  while (live.length < LIVE_SESSIONS) {
    const s = pick(sims);
    if (s.sessions.size >= s.capacity.maxSessions - 2) continue;
    const id = randomUUID();
    s.sessions.add(id);
    live.push(id);
    liveEdge.set(id, s);
  }
  for (const s of sims) heartbeat(s);

  const latenciesMs = new Float64Array(PLACEMENTS);
  let done = 0;
  let placed = 0;
  let released = 0;
  let noEdge = 0;
  let retries = 0;
  let hb = 0;
  const started = performance.now();
  while (done < PLACEMENTS && performance.now() - started < TIME_LIMIT_MS) {
    // The player: somewhere near a region, a location hint most of the time, some wanting enterprise with SLA.
    const [, centre] = pick(REGIONS);
    const client = jitter(centre, 10);
    const sla = random() < 0.1;
    const allowedTiers: EdgeTier[] = sla ? ['enterprise'] : ['enterprise', 'community'];
    const location = random() < 0.8 ? client : undefined;
    // The page's probe results, made up from distance (1 ms per 100 km plus noise), with some garbage.
    const probeRtts = (ids: string[]) => {
      const rtts: Record<string, number | null> = {};
      for (const id of ids) {
        const e = simById.get(id);
        const g = random();
        rtts[id] = g < 0.05 ? null : g < 0.07 ? Number.NaN : g < 0.08 ? -3 : 2 + haversineKm(client, e?.location ?? client) / 100 + random() * 4;
      }
      return rtts;
    };
    const sessionId = randomUUID();
    const filter = { allowedTiers, slaRequired: sla, reservedOn: book.reservedOn };

    const t0 = performance.now();
    const candidates = candidatesFor(registry.list(), location ? { ...filter, location } : filter);
    const rtts = probeRtts(candidates.map((c) => c.edgeId));
    const decision = chooseEdge(registry.list(), location ? { ...filter, rtts, location } : { ...filter, rtts });
    let hostId: string | undefined;
    if (decision) {
      const order = [decision.edgeId, ...decision.fallbacks.map((f) => f.edgeId)].slice(0, MAX_ATTEMPTS);
      for (const [i, edgeId] of order.entries()) {
        if (book.reserve(edgeId, sessionId).ok) {
          hostId = edgeId;
          retries += i;
          break;
        }
      }
    }
    // One in ten edges refuses (start failed): the slot goes back.
    const refused = hostId !== undefined && random() < 0.1;
    if (hostId !== undefined) {
      if (refused) book.release(sessionId);
      else book.confirm(sessionId);
    }
    latenciesMs[done++] = performance.now() - t0;

    if (!decision || hostId === undefined) noEdge++;
    else if (refused) released++;
    else {
      placed++;
      // The session starts on the edge and an old one ends, keeping ~10,000 live.
      const sim = simById.get(hostId);
      if (sim) {
        sim.sessions.add(sessionId);
        live.push(sessionId);
        liveEdge.set(sessionId, sim);
      }
      const victimIndex = Math.floor(random() * live.length);
      const victim = live[victimIndex];
      if (victim !== undefined) {
        live[victimIndex] = live[live.length - 1] as string;
        live.pop();
        liveEdge.get(victim)?.sessions.delete(victim);
        liveEdge.delete(victim);
      }
    }
    // Heartbeats at about the live rate: 1,000 edges every 5 s against the placement rate; here one per placement.
    const beat = sims[hb++ % sims.length];
    if (beat) heartbeat(beat);
  }
  const elapsedS = (performance.now() - started) / 1000;
  const timed = latenciesMs.slice(0, done).sort();
  const t1 = performance.now();
  registry.tick();
  book.expire();
  const tickMs = performance.now() - t1;

  const report = {
    edges: EDGES,
    liveSessions: live.length,
    placements: done,
    placed,
    releasedAfterRefusal: released,
    noEdge,
    retries,
    wallSeconds: Number(elapsedS.toFixed(2)),
    placementsPerSecond: Math.round(done / elapsedS),
    placementOnlyPerSecond: Math.round(done / (timed.reduce((a, b) => a + b, 0) / 1000)),
    p50Ms: Number(percentile(timed, 50).toFixed(3)),
    p99Ms: Number(percentile(timed, 99).toFixed(3)),
    maxMs: Number((timed[timed.length - 1] ?? Number.NaN).toFixed(3)),
    registryTickMs: Number(tickMs.toFixed(3)),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
  };
  console.log(
    `broker placements: ${report.placements} in ${report.wallSeconds} s with ${EDGES} edges, ${report.liveSessions} live sessions\n` +
      `  ${report.placementsPerSecond} placements/s overall (${report.placementOnlyPerSecond}/s counting placement time only)\n` +
      `  latency p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms, max ${report.maxMs} ms\n` +
      `  placed ${placed}, released after a refusal ${released}, no edge ${noEdge}, retries on a fallback ${retries}\n` +
      `  registry tick ${report.registryTickMs} ms`,
  );
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/broker-bench.json', JSON.stringify(report, null, 2));
  console.log('written bench-results/broker-bench.json');
}

main();

/**
 * Measures the page's round-trip time to each candidate edge: a few
 * sequential GETs of the edge's probe URL, all candidates in parallel, the
 * whole thing cut off at the broker's probe budget. The fastest sample
 * counts: the first request also pays for DNS, TCP (and TLS) set-up, and
 * the minimum is the least disturbed by a busy main thread.
 */
import type { PlacementCandidate } from '../protocol/fleet.ts';
import type { FetchLike } from './brokerApi.ts';
import { defaultFetch } from './brokerApi.ts';

export type Rtts = Record<string, number | null>;

export const PROBE_SAMPLES = 3;
/** Used when the broker's budget is missing or absurd; a placement should never wait long on probes. */
export const DEFAULT_PROBE_BUDGET_MS = 1000;
export const MAX_PROBE_BUDGET_MS = 5000;
/** More candidates than this is a broker bug; don't flood the network from the player's page. */
export const MAX_PROBED_CANDIDATES = 16;

export type ProbeOptions = {
  samples?: number;
  fetch?: FetchLike;
  now?: () => number;
};

/** Smallest valid sample, rounded to 0.1 ms; null when there is none (unreachable). */
export function minRtt(samples: ReadonlyArray<number | null>): number | null {
  let best: number | null = null;
  for (const s of samples) if (s !== null && Number.isFinite(s) && s >= 0 && (best === null || s < best)) best = s;
  return best === null ? null : Math.round(best * 10) / 10;
}

/** The broker's budget, or the default when it is not a sane number of ms. */
export function probeBudget(ms: unknown): number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_PROBE_BUDGET_MS) : DEFAULT_PROBE_BUDGET_MS;
}

/**
 * `samples` sequential requests to `url`; each is its round-trip time in
 * ms, or null when it failed. Stops at the first failure: a refused or
 * aborted edge will not answer the next one either.
 */
export async function sampleRtts(url: string, samples: number, signal: AbortSignal, fetchImpl: FetchLike, now: () => number): Promise<Array<number | null>> {
  const out: Array<number | null> = [];
  for (let i = 0; i < samples && !signal.aborted; i++) {
    const t0 = now();
    try {
      const res = await fetchImpl(url, { cache: 'no-store', mode: 'cors', signal });
      const rtt = now() - t0; // at the response head: the body is not part of the round trip
      // Drain the body so the connection can be reused for the next sample.
      await res.arrayBuffer().catch(() => undefined);
      out.push(res.ok ? rtt : null);
      if (!res.ok) break;
    } catch {
      out.push(null); // unreachable, CORS refused, or cut off by the budget
      break;
    }
  }
  return out;
}

/**
 * RTT per candidate edge id: the minimum of its samples, null when none
 * succeeded within the budget. Resolves as soon as every candidate is done,
 * and no later than the budget.
 */
export async function probeCandidates(candidates: readonly PlacementCandidate[], budgetMs: unknown, opts: ProbeOptions = {}): Promise<Rtts> {
  const fetchImpl = opts.fetch ?? defaultFetch;
  const now = opts.now ?? (() => performance.now());
  const samples = opts.samples ?? PROBE_SAMPLES;
  // A Map, not an object: edge ids are the broker's strings ("constructor" is one too).
  const rtts = new Map<string, number | null>();
  const toProbe: PlacementCandidate[] = [];
  for (const c of candidates) {
    if (rtts.has(c.edgeId)) continue; // the first entry for an edge wins
    rtts.set(c.edgeId, null);
    if (toProbe.length < MAX_PROBED_CANDIDATES) toProbe.push(c);
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), probeBudget(budgetMs));
  try {
    await Promise.all(
      toProbe.map(async (c) => {
        // Samples taken before the budget ran out still count.
        rtts.set(c.edgeId, minRtt(await sampleRtts(c.probeUrl, samples, abort.signal, fetchImpl, now)));
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  return Object.fromEntries(rtts);
}

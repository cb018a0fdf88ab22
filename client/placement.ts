/**
 * Getting placed on an edge (protocol/fleet.ts): ask the broker for
 * candidates (from a demo link, or to resume a session after its edge was
 * lost), probe them, report the RTTs, and get back the edge to connect to.
 * The broker's answers are checked here so the rest of the page can trust
 * their shape.
 */
import type { GeoPoint, PlacedSession, PlacementCandidate, PlacementDecision, PlacementOffer, PlacementReport } from '../protocol/fleet.ts';
import { parseIceServers } from '../protocol/fleetMessages.ts';
import type { VideoInfo } from '../protocol/signalling.ts';
import { defaultFetch, isObj, postJson } from './brokerApi.ts';
import type { ApiResult, FetchLike } from './brokerApi.ts';
import { probeCandidates } from './probe.ts';
import type { Rtts } from './probe.ts';
import { placementApiPath, playApiPath, resumeApiPath, spectatorsApiPath, watchApiPath } from './urls.ts';

/**
 * A PlacedSession as the page uses it: the decision is only kept when it is
 * well-formed (it is shown, never acted on), and a missing time allowance
 * means no countdown rather than a refused session.
 */
export type Placed = Omit<PlacedSession, 'placement' | 'playSecondsRemaining'> & { placement?: PlacementDecision; playSecondsRemaining?: number };

const str = (v: unknown, max = 2048): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);
const finiteNonNegative = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const BASES: ReadonlySet<string> = new Set(['rtt', 'distance', 'load', 'affinity']);

/** Probe URLs the page is willing to fetch: http(s), resolved against the page. */
function probeUrlOf(v: unknown, pageHref: string): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  try {
    const u = new URL(s, pageHref);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Checks a PlacementOffer; unusable candidates are dropped rather than failing the whole offer. */
export function readPlacementOffer(v: unknown, pageHref: string): PlacementOffer | undefined {
  if (!isObj(v) || !Array.isArray(v.candidates)) return undefined;
  const placementId = str(v.placementId, 256);
  if (!placementId) return undefined;
  const candidates: PlacementCandidate[] = [];
  for (const c of v.candidates) {
    if (!isObj(c)) continue;
    const edgeId = str(c.edgeId, 128);
    const probeUrl = probeUrlOf(c.probeUrl, pageHref);
    if (edgeId && probeUrl) candidates.push({ edgeId, region: str(c.region, 128) ?? '', probeUrl });
  }
  // An out-of-range budget is the prober's business (it falls back to its default).
  const probeBudgetMs = typeof v.probeBudgetMs === 'number' ? v.probeBudgetMs : NaN;
  return { placementId, candidates, probeBudgetMs };
}

function readVideo(v: unknown): VideoInfo | undefined {
  if (!isObj(v)) return undefined;
  if (typeof v.width !== 'number' || typeof v.height !== 'number' || typeof v.fps !== 'number') return undefined;
  if (v.codec !== 'H264' && v.codec !== 'VP8') return undefined;
  return { width: v.width, height: v.height, fps: v.fps, codec: v.codec, encoder: typeof v.encoder === 'string' ? v.encoder : '' };
}

function readDecision(v: unknown): PlacementDecision | undefined {
  if (!isObj(v)) return undefined;
  const edgeId = str(v.edgeId, 128);
  if (!edgeId || typeof v.basis !== 'string' || !BASES.has(v.basis)) return undefined;
  const d: PlacementDecision = { edgeId, region: str(v.region, 128) ?? '', basis: v.basis as PlacementDecision['basis'], reason: str(v.reason, 500) ?? '' };
  const rtt = finiteNonNegative(v.rttMs);
  const km = finiteNonNegative(v.distanceKm);
  if (rtt !== undefined) d.rttMs = rtt;
  if (km !== undefined) d.distanceKm = km;
  return d;
}

/** Only a web page is a call to action; anything else (javascript:, data:) is dropped. */
export function safeHttpUrl(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Checks a PlacedSession: a session id and a signalling URL are the minimum to go on. */
export function readPlacedSession(v: unknown): Placed | undefined {
  if (!isObj(v)) return undefined;
  const sessionId = str(v.sessionId, 128);
  const signalUrl = str(v.signalUrl, 4096);
  if (!sessionId || !signalUrl) return undefined;
  const placed: Placed = {
    sessionId,
    signalUrl,
    titleId: str(v.titleId, 128) ?? '',
    ticket: str(v.ticket, 4096) ?? '',
    edgeId: str(v.edgeId, 128) ?? '',
    // Without a token the session simply cannot be resumed.
    resumeToken: str(v.resumeToken, 4096) ?? '',
  };
  // Optional: the edge's `welcome` carries the format anyway.
  const video = readVideo(v.video);
  if (video) placed.video = video;
  const decision = readDecision(v.placement);
  if (decision) placed.placement = decision;
  const seconds = finiteNonNegative(v.playSecondsRemaining);
  if (seconds !== undefined) placed.playSecondsRemaining = seconds;
  const cta = safeHttpUrl(v.endScreenUrl);
  if (cta) placed.endScreenUrl = cta;
  // A malformed list is dropped whole: the page then connects without a relay, as with no TURN configured.
  const ice = v.iceServers === undefined ? undefined : parseIceServers(v.iceServers);
  if (ice?.ok && ice.value.length > 0) placed.iceServers = ice.value;
  return placed;
}

export type PlacementDeps = {
  fetch?: FetchLike;
  /** The page's address, for relative probe URLs. */
  pageHref?: string;
  probe?: (candidates: readonly PlacementCandidate[], budgetMs: number) => Promise<Rtts>;
};

const hrefOf = (deps: PlacementDeps): string => deps.pageHref ?? (typeof location === 'undefined' ? 'http://localhost/' : location.href);

/** POST /api/play/<linkId> {location?} -> PlacementOffer. */
export function requestPlacement(linkId: string, where: GeoPoint | undefined, deps: PlacementDeps = {}): Promise<ApiResult<PlacementOffer>> {
  const href = hrefOf(deps);
  return postJson(playApiPath(linkId), where ? { location: where } : {}, (v) => readPlacementOffer(v, href), deps.fetch ?? defaultFetch);
}

/** POST /api/sessions/<sessionId>/resume {resumeToken} -> PlacementOffer without the lost edge. */
export function requestResume(sessionId: string, resumeToken: string, deps: PlacementDeps = {}): Promise<ApiResult<PlacementOffer>> {
  const href = hrefOf(deps);
  return postJson(resumeApiPath(sessionId), { resumeToken }, (v) => readPlacementOffer(v, href), deps.fetch ?? defaultFetch);
}

/** The player asks for a link to share with spectators (its resume token proves it is the player). */
export function requestSpectatorLink(sessionId: string, resumeToken: string, deps: PlacementDeps = {}): Promise<ApiResult<{ watchUrl: string }>> {
  const read = (v: unknown) => {
    const watchUrl = isObj(v) ? safeHttpUrl(v.watchUrl) : undefined;
    return watchUrl ? { watchUrl } : undefined;
  };
  return postJson(spectatorsApiPath(sessionId), { resumeToken }, read, deps.fetch ?? defaultFetch);
}

/** A spectator trades its grant for the edge to watch on (a ws(s) URL with a viewer ticket). */
export function requestWatch(sessionId: string, grant: string, deps: PlacementDeps = {}): Promise<ApiResult<{ signalUrl: string }>> {
  const read = (v: unknown) => {
    const s = isObj(v) ? str(v.signalUrl, 8192) : undefined;
    return s && /^wss?:\/\//.test(s) ? { signalUrl: s } : undefined;
  };
  return postJson(watchApiPath(sessionId), { grant }, read, deps.fetch ?? defaultFetch);
}

/** POST /api/placements/<placementId> PlacementReport -> PlacedSession. */
export function reportPlacement(placementId: string, report: PlacementReport, deps: PlacementDeps = {}): Promise<ApiResult<Placed>> {
  return postJson(placementApiPath(placementId), report, readPlacedSession, deps.fetch ?? defaultFetch);
}

/**
 * Probes an offer's candidates and reports the RTTs: the second half of
 * every placement. `onProbed` sees the RTTs before the report goes out.
 */
export async function completePlacement(
  offer: PlacementOffer,
  where: GeoPoint | undefined,
  onProbed: (rtts: Rtts) => void,
  deps: PlacementDeps = {},
): Promise<ApiResult<Placed>> {
  const probe = deps.probe ?? ((c, budget) => probeCandidates(c, budget, deps.fetch ? { fetch: deps.fetch } : {}));
  const rtts = await probe(offer.candidates, offer.probeBudgetMs);
  onProbed(rtts);
  const report: PlacementReport = where ? { rtts, location: where } : { rtts };
  return reportPlacement(offer.placementId, report, deps);
}

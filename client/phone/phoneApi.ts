/**
 * The phone app's calls to the broker (protocol/phone.ts), each carrying
 * the subscriber's token as `Authorization: Bearer`. Every outcome is a
 * value ({ok, value} or {ok: false, error: {code, message}}); the broker's
 * answers are checked here so the views can trust their shape.
 *
 * Placement after `open` is the game player's (client/placement.ts). The
 * token goes with the broker's `/api/` calls only, never with the probes to
 * candidate edges: they are other hosts, and an Authorization header would
 * also turn each probe into a CORS preflight.
 */
import type { GeoPoint, PlacementCandidate, PlacementOffer } from '../../protocol/fleet.ts';
import type { InstanceRunPhase, InstanceView, PhoneHome } from '../../protocol/phone.ts';
import { defaultFetch, isObj, requestJson } from '../brokerApi.ts';
import type { ApiFailure, ApiResult, FetchLike } from '../brokerApi.ts';
import { completePlacement, readPlacementOffer } from '../placement.ts';
import type { Placed } from '../placement.ts';
import { probeCandidates } from '../probe.ts';
import type { Rtts } from '../probe.ts';

export type { ApiFailure, ApiResult };

export const PHONE_API_BASE = '/api/phone/instances';
const instancePath = (id: string, action = ''): string => `${PHONE_API_BASE}/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

const PHASES: ReadonlySet<string> = new Set<InstanceRunPhase>(['stopped', 'starting', 'running']);
const str = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

/** Checks one InstanceView; undefined when an essential field is missing. */
export function readInstanceView(v: unknown): InstanceView | undefined {
  if (!isObj(v)) return undefined;
  const instanceId = str(v.instanceId, 128);
  const name = typeof v.name === 'string' ? v.name.slice(0, 200) : undefined;
  if (!instanceId || name === undefined || typeof v.phase !== 'string' || !PHASES.has(v.phase)) return undefined;
  const view: InstanceView = {
    instanceId,
    name,
    createdAt: str(v.createdAt, 64) ?? '',
    lastUsedAt: str(v.lastUsedAt, 64) ?? '',
    phase: v.phase as InstanceRunPhase,
  };
  const edgeId = str(v.edgeId, 128);
  if (edgeId) view.edgeId = edgeId;
  if (typeof v.connected === 'boolean') view.connected = v.connected;
  const reason = str(v.lastStopReason, 64);
  if (reason) view.lastStopReason = reason;
  return view;
}

/** Checks PhoneHome; malformed instances are dropped rather than hiding the whole list. */
export function readPhoneHome(v: unknown): PhoneHome | undefined {
  if (!isObj(v) || !Array.isArray(v.instances)) return undefined;
  const maxInstances = typeof v.maxInstances === 'number' && Number.isInteger(v.maxInstances) && v.maxInstances >= 0 ? v.maxInstances : undefined;
  if (maxInstances === undefined) return undefined;
  const instances = v.instances.flatMap((i) => readInstanceView(i) ?? []);
  return { subscriberId: str(v.subscriberId, 128) ?? '', maxInstances, instances };
}

const readDeleted = (v: unknown): string | undefined => (isObj(v) ? str(v.instanceId, 128) : undefined);

/** Codes that mean the token itself was refused: the subscriber must come back through the operator's app. */
const AUTH_CODES: ReadonlySet<string> = new Set([
  'unauthorized',
  'token-malformed',
  'token-forged',
  'token-expired',
  'token-revoked',
  'token-wrong-subscriber',
]);
export const isAuthFailure = (e: ApiFailure): boolean => AUTH_CODES.has(e.code) || e.status === 401;

export type PhoneApiDeps = {
  fetch?: FetchLike;
  /** The page's address, for relative probe URLs. */
  pageHref?: string;
  probe?: (candidates: readonly PlacementCandidate[], budgetMs: number) => Promise<Rtts>;
};

export class PhoneApi {
  private readonly fetch: FetchLike;
  private readonly auth: Readonly<Record<string, string>>;

  constructor(
    token: string,
    private readonly deps: PhoneApiDeps = {},
  ) {
    this.fetch = deps.fetch ?? defaultFetch;
    this.auth = { authorization: `Bearer ${token}` };
  }

  private get href(): string {
    return this.deps.pageHref ?? (typeof location === 'undefined' ? 'http://localhost/' : location.href);
  }

  /** GET /api/phone/instances: the subscriber's instances and limit. */
  home(): Promise<ApiResult<PhoneHome>> {
    return requestJson('GET', PHONE_API_BASE, undefined, readPhoneHome, this.fetch, this.auth);
  }

  /** POST /api/phone/instances {name}. */
  create(name: string): Promise<ApiResult<InstanceView>> {
    return requestJson('POST', PHONE_API_BASE, { name }, readInstanceView, this.fetch, this.auth);
  }

  /** POST /api/phone/instances/:id/open: starts the instance if needed and offers edges to probe. */
  open(instanceId: string, where?: GeoPoint): Promise<ApiResult<PlacementOffer>> {
    const href = this.href;
    return requestJson('POST', instancePath(instanceId, 'open'), where ? { location: where } : {}, (v) => readPlacementOffer(v, href), this.fetch, this.auth);
  }

  /** Probes the offer's edges (without the token) and reports to /api/placements/:id (with it). */
  place(offer: PlacementOffer, where: GeoPoint | undefined, onProbed: (rtts: Rtts) => void = () => undefined): Promise<ApiResult<Placed>> {
    const authed: FetchLike = (input, init) =>
      this.fetch(input, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...this.auth } });
    const probe = this.deps.probe ?? ((c: readonly PlacementCandidate[], budget: number) => probeCandidates(c, budget));
    return completePlacement(offer, where, onProbed, { fetch: authed, probe, pageHref: this.href });
  }

  /** POST /api/phone/instances/:id/stop: the instance stops, its data is kept. */
  stop(instanceId: string): Promise<ApiResult<InstanceView>> {
    return requestJson('POST', instancePath(instanceId, 'stop'), {}, readInstanceView, this.fetch, this.auth);
  }

  /** DELETE /api/phone/instances/:id: the instance and its data are gone. */
  remove(instanceId: string): Promise<ApiResult<string>> {
    return requestJson('DELETE', instancePath(instanceId), undefined, readDeleted, this.fetch, this.auth);
  }
}

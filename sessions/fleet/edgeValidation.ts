/**
 * Checks of what edges send: registrations, capacity reports, session lists.
 * They come from the network, so every field is checked as if unknown.
 */
import { EDGE_TIERS, isSessionId, isSlug } from '../../protocol/index.ts';
import type { EdgeCapacity, EdgeTier, GeoPoint } from '../../protocol/index.ts';
import { isCount, show, httpUrlError } from './errors.ts';
import { geoPointError } from './geo.ts';

/** What an edge does when its NVENC sessions run out: encode in software, or take no more sessions. */
export const NvencPolicy = { softwareFallback: 'software-fallback', reportFull: 'report-full' } as const;
export type NvencPolicy = (typeof NvencPolicy)[keyof typeof NvencPolicy];

/** 'up': connected and heartbeating; 'disconnected': link closed, may come back; 'lost': silent too long. */
export type EdgeStatus = 'up' | 'disconnected' | 'lost';

/** Largest count accepted anywhere in capacity: a single host serving more is a bug or an attack. */
export const MAX_EDGE_COUNT = 10_000;

/** The `register` message minus type and secret (checked by the caller), plus the edge's NVENC policy. */
export type EdgeRegistration = {
  edgeId: string;
  region: string;
  location: GeoPoint;
  publicUrl: string;
  tier: EdgeTier;
  capacity: EdgeCapacity;
  sessions: readonly string[];
  /** Default 'software-fallback'. */
  nvencPolicy?: NvencPolicy;
};

const countError = (name: string, v: unknown) =>
  isCount(v, MAX_EDGE_COUNT) ? undefined : `${name} must be an integer in 0..${MAX_EDGE_COUNT} (got ${show(v)})`;

/** Why a capacity report is unacceptable, or undefined when it is fine. */
export function capacityError(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'capacity must be an object';
  const c = v as Record<string, unknown>;
  return (
    countError('capacity.maxSessions', c.maxSessions) ??
    countError('capacity.sessionsInUse', c.sessionsInUse) ??
    countError('capacity.nvencSessionsFree', c.nvencSessionsFree) ??
    (typeof c.encoder === 'string' && c.encoder.length > 0 && c.encoder.length <= 128
      ? undefined
      : `capacity.encoder must be a name of 1..128 characters (got ${show(c.encoder)})`) ??
    (c.encoderKind === 'nvenc' || c.encoderKind === 'software'
      ? undefined
      : `capacity.encoderKind must be 'nvenc' or 'software' (got ${show(c.encoderKind)})`)
  );
}

/** Why a list of session ids is unacceptable, or undefined when it is fine. */
export function sessionsError(v: unknown): string | undefined {
  if (!Array.isArray(v)) return 'sessions must be an array of session ids';
  if (v.length > MAX_EDGE_COUNT) return `sessions lists ${v.length} ids, more than ${MAX_EDGE_COUNT}`;
  const bad = v.find((s) => !isSessionId(s));
  return bad === undefined ? undefined : `sessions holds ${show(bad)}, not a session id`;
}

/** Why a registration is unacceptable, or undefined when it is fine. */
export function registrationError(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'registration must be an object';
  const r = v as Record<string, unknown>;
  const loc = geoPointError(r.location);
  return (
    (isSlug(r.edgeId) ? undefined : `edgeId must be 1..64 of [A-Za-z0-9_-] (got ${show(r.edgeId)})`) ??
    (isSlug(r.region) ? undefined : `region must be 1..64 of [A-Za-z0-9_-] (got ${show(r.region)})`) ??
    (loc === undefined ? undefined : `${loc} (got ${show(r.location)})`) ??
    httpUrlError('publicUrl', r.publicUrl) ??
    ((EDGE_TIERS as readonly unknown[]).includes(r.tier) ? undefined : `tier must be one of ${EDGE_TIERS.join(', ')} (got ${show(r.tier)})`) ??
    capacityError(r.capacity) ??
    sessionsError(r.sessions) ??
    (r.nvencPolicy === undefined || Object.values(NvencPolicy).includes(r.nvencPolicy as NvencPolicy)
      ? undefined
      : `nvencPolicy must be one of ${Object.values(NvencPolicy).join(', ')} (got ${show(r.nvencPolicy)})`)
  );
}


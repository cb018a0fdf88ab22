/**
 * What the broker keeps about an edge beyond its wire messages: its NVENC
 * policy and link status. The messages' shape is checked on the wire
 * (protocol/fleetMessages.ts), so nothing here checks it again.
 */
import type { EdgeCapacity, EdgeTier, GeoPoint } from '../../protocol/index.ts';

/** What an edge does when its NVENC sessions run out: encode in software, or take no more sessions. */
export const NvencPolicy = { softwareFallback: 'software-fallback', reportFull: 'report-full' } as const;
export type NvencPolicy = (typeof NvencPolicy)[keyof typeof NvencPolicy];

/** 'up': connected and heartbeating; 'disconnected': link closed, may come back; 'lost': silent too long. */
export type EdgeStatus = 'up' | 'disconnected' | 'lost';

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

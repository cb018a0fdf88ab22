/**
 * Test support: an EdgeView as the registry would hand it out, from the few
 * fields a placement table cares about. Used by placement tests of the fleet
 * and of phone instances.
 */
import type { EdgeTier, GeoPoint } from '../../protocol/index.ts';
import type { EdgeView } from './edgeRegistry.ts';

export type EdgeSpec = {
  id: string;
  at: GeoPoint;
  region?: string;
  max?: number;
  used?: number;
  tier?: EdgeTier;
  status?: EdgeView['status'];
  draining?: boolean;
  /** Default: enterprise edges are SLA-eligible. */
  sla?: boolean;
};

export function edgeView(s: EdgeSpec): EdgeView {
  const max = s.max ?? 10;
  const used = s.used ?? 0;
  return {
    edgeId: s.id,
    region: s.region ?? s.id,
    location: s.at,
    publicUrl: `https://${s.id}.example.net`,
    tier: s.tier ?? 'community',
    capacity: { maxSessions: max, sessionsInUse: used, encoder: 'libx264', encoderKind: 'software', nvencSessionsFree: 0 },
    sessions: [],
    nvencPolicy: 'software-fallback',
    status: s.status ?? 'up',
    draining: s.draining ?? false,
    connectionSeq: 1,
    firstRegisteredAtMs: 0,
    registeredAtMs: 0,
    lastHeartbeatAtMs: 0,
    uptimeMs: 0,
    missedHeartbeats: 0,
    dropOuts: 0,
    slaEligible: s.sla ?? s.tier === 'enterprise',
    freeSlots: Math.max(0, max - used),
  };
}

/** What the broker's HTTP layer needs from the fleet logic (implemented by FleetBroker). */
import type {
  CreateDemoLinkRequest,
  DemoLinkView,
  GeoPoint,
  PlacedSession,
  PlacementOffer,
  PlacementReport,
  WatchTarget,
  UsageRecord,
} from '../../protocol/index.ts';
import type { EdgeView } from '../../sessions/index.ts';
import type { Result } from './httpErrors.ts';

export type EdgeSummary = {
  edgeId: string;
  region: string;
  tier: string;
  status: string;
  draining: boolean;
  slaEligible: boolean;
  sessionsInUse: number;
  maxSessions: number;
  encoder: string;
  uptimeSeconds: number;
  missedHeartbeats: number;
};

export interface FleetApi {
  /** Whether a link exists and can be played now (without counting a play). */
  checkLink(linkId: string): Promise<Result<{ titleId: string }>>;
  offer(linkId: string, location: GeoPoint | undefined, clientAddress?: string): Promise<Result<PlacementOffer>>;
  place(placementId: string, report: PlacementReport): Promise<Result<PlacedSession>>;
  resume(sessionId: string, resumeToken: string): Result<PlacementOffer>;
  spectatorGrant(sessionId: string, resumeToken: string): Result<{ grant: string; expiresAtMs: number }>;
  watch(sessionId: string, grant: unknown): Result<WatchTarget>;
  hasSession(sessionId: string): boolean;

  createLink(publisherId: string, req: CreateDemoLinkRequest, baseUrl: string): Promise<Result<DemoLinkView>>;
  listLinks(publisherId: string, baseUrl: string): Promise<DemoLinkView[]>;
  getLink(publisherId: string, linkId: string, baseUrl: string): Promise<Result<DemoLinkView>>;
  revokeLink(publisherId: string, linkId: string, baseUrl: string): Promise<Result<DemoLinkView>>;
  usageByLink(publisherId: string, linkId: string): Promise<Result<UsageRecord[]>>;
  usageByPublisher(publisherId: string): Promise<UsageRecord[]>;

  edges(): EdgeSummary[];
  drain(edgeId: string, draining: boolean): Result<EdgeSummary>;
}

export function summarize(e: EdgeView): EdgeSummary {
  return {
    edgeId: e.edgeId,
    region: e.region,
    tier: e.tier,
    status: e.status,
    draining: e.draining,
    slaEligible: e.slaEligible,
    sessionsInUse: e.capacity.sessionsInUse,
    maxSessions: e.capacity.maxSessions,
    encoder: e.capacity.encoder,
    uptimeSeconds: Math.round(e.uptimeMs / 1000),
    missedHeartbeats: e.missedHeartbeats,
  };
}

/** The fleet broker's collaborators and options (server/broker/fleetBroker.ts). */
import type { Logger } from 'pino';
import type { CatalogTitle, PhonePrepare } from '../../protocol/index.ts';
import type { PrepareOutcome, PrepareRequest } from './edgeLinkServer.ts';
import type { TurnRelay } from './placedSession.ts';

export type EdgeLinks = {
  prepare(edgeId: string, req: PrepareRequest, deadlineMs: number): Promise<PrepareOutcome>;
  endSession(edgeId: string, sessionId: string, reason: string): void;
  drain(edgeId: string, draining: boolean): boolean;
  disconnect(edgeId: string): void;
  deletePhoneData(edgeId: string, phone: PhonePrepare): boolean;
};

export type FleetBrokerOptions = {
  catalog: readonly CatalogTitle[];
  builtinLink: { id: string; titleId: string; playSeconds: number };
  heartbeatMs: number;
  lostAfterMs: number;
  ticketTtlMs: number;
  /** Signs resume tokens (tickets are signed with each edge's own key). */
  resumeSecret: string;
  links: EdgeLinks;
  /** How long an offer waits for its RTT report (default 10 s). */
  placementTtlMs?: number;
  /** TURN relay for players without a direct path (credentials per placed session); none by default. */
  turn?: TurnRelay;
  /** Public-link plays not yet watched: per client address, overall, and the edge's join window (default 4, 256, 8 s). */
  pendingPlays?: { perAddress: number; total: number; joinWindowMs: number };
  logger: Logger;
  now?: () => number;
};

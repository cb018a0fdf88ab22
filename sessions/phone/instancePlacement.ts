/**
 * Where a phone instance runs: back on the edge that holds its data while
 * that edge is up, not draining and has a free slot (chooseEdge's affinity);
 * otherwise wherever chooseEdge puts a new session (lowest RTT, else nearest,
 * else least loaded). When the chosen edge is not the data edge the result
 * says so in `dataMove`, and whether the data edge can be reached to copy
 * from: if it can, the caller copies `dataDir` across before starting (or
 * starts there and syncs); if it cannot (edge lost), the caller either waits
 * for it or starts from an empty profile and tells the subscriber.
 */
import type { EdgeView } from '../fleet/edgeRegistry.ts';
import { refuse, type Refusal } from '../fleet/errors.ts';
import { chooseEdge, type Placement, type PlacementRequest } from '../fleet/placement.ts';
import { PhoneCode } from './errors.ts';
import type { PhoneInstance } from './instances.ts';

export type InstanceDataMove = { from: string; to: string; dataDir: string; sourceUp: boolean };

export type InstancePlacement = {
  placement: Placement;
  /** Undefined when the instance runs where its data is, or has no data yet. */
  dataMove: InstanceDataMove | undefined;
};

/** Picks an edge for `instance` among `edges`; `request` is chooseEdge's, minus the affinity this sets itself. */
export function placeInstance(
  edges: readonly EdgeView[],
  instance: Pick<PhoneInstance, 'edgeId' | 'dataDir'>,
  request: Omit<PlacementRequest, 'preferEdgeId'>,
): ({ ok: true } & InstancePlacement) | Refusal<'no-capacity'> {
  const req: PlacementRequest = { ...request };
  if (instance.edgeId !== undefined) req.preferEdgeId = instance.edgeId;
  const placement = chooseEdge(edges, req);
  if (!placement) return refuse(PhoneCode.noCapacity, 'No edge can take this phone instance right now; try again shortly.');
  const from = instance.edgeId;
  if (from === undefined || from === placement.edgeId) return { ok: true, placement, dataMove: undefined };
  const source = edges.find((e) => e.edgeId === from);
  const sourceUp = source !== undefined && source.status === 'up';
  return { ok: true, placement, dataMove: { from, to: placement.edgeId, dataDir: instance.dataDir, sourceUp } };
}

/** Test helpers shared by the fleet unit tests: a fake clock and edge fixtures. */
import type { EdgeCapacity } from '../../protocol/index.ts';
import { EdgeRegistry, type EdgeRegistryOptions } from './edgeRegistry.ts';
import type { EdgeRegistration } from './edgeValidation.ts';

export class FakeClock {
  constructor(public ms = 1_700_000_000_000) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const capacity = (over: Partial<EdgeCapacity> = {}): EdgeCapacity => ({
  maxSessions: 4,
  sessionsInUse: 0,
  encoder: 'libx264',
  encoderKind: 'software',
  nvencSessionsFree: 0,
  ...over,
});

export const registration = (edgeId: string, over: Partial<EdgeRegistration> = {}): EdgeRegistration => ({
  edgeId,
  region: edgeId,
  location: { lat: 48.85, lon: 2.35 },
  publicUrl: `https://${edgeId}.example.net`,
  tier: 'community',
  capacity: capacity(),
  sessions: [],
  ...over,
});

/** A registry with the given edges registered at the clock's current time. */
export function registryWith(clock: FakeClock, edges: EdgeRegistration[], o: Partial<EdgeRegistryOptions> = {}): EdgeRegistry {
  const reg = new EdgeRegistry({ now: clock.now, heartbeatMs: 1000, ...o });
  for (const e of edges) {
    reg.register(e);
  }
  return reg;
}

export const sid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

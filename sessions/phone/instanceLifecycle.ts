/**
 * The life of one running phone instance as a pure state machine. No timers:
 * the edge feeds events with the time they happened and asks dueAction (at
 * nextDueAtMs, or on any tick) whether the instance must stop now.
 *
 *   stopped --start--> starting --started--> running(connected)
 *      ^                                       |  ^
 *      |                          disconnected |  | connected (resume, within grace)
 *      |                                       v  |
 *      `---- stop(grace-expired | idle | ...) running(disconnected since T)
 *
 * Stopping keeps the instance's data; the next start runs from it. Events
 * that no longer apply (a second stop, a late `started` after a stop, input
 * racing a disconnect) leave the state as it is: they are normal races of
 * asynchronous edges, not bugs, so the machine is total and never throws.
 */
export const DEFAULT_GRACE_MS = 5 * 60_000;
export const DEFAULT_IDLE_MS = 30 * 60_000;

/** How long a dropped instance waits for its subscriber, and how long one may run with no input. */
export type InstanceLimits = { graceMs: number; idleMs: number };

export type InstanceStopReason = 'user' | 'grace-expired' | 'idle' | 'failed' | 'removed' | 'edge-shutdown';

export type InstanceRunState =
  | Readonly<{ phase: 'stopped'; sinceMs: number; reason?: InstanceStopReason; error?: string }>
  /** `connected`: the app's connection came up while the program was still starting. */
  | Readonly<{ phase: 'starting'; sinceMs: number; connected: boolean }>
  | Readonly<{ phase: 'running'; sinceMs: number; connected: true; lastInputAtMs: number }>
  | Readonly<{ phase: 'running'; sinceMs: number; connected: false; disconnectedAtMs: number; lastInputAtMs: number }>;

export type InstanceEvent =
  | { type: 'start'; atMs: number }
  | { type: 'started'; atMs: number }
  | { type: 'connected'; atMs: number }
  | { type: 'disconnected'; atMs: number }
  | { type: 'input'; atMs: number }
  | { type: 'stop'; atMs: number; reason?: InstanceStopReason }
  | { type: 'failed'; atMs: number; error: string };

export type InstanceDueAction = { action: 'stop'; reason: 'grace-expired' | 'idle' };

/** A stopped instance (never run, or stopped and kept). */
export const initialInstanceState = (atMs: number): InstanceRunState => ({ phase: 'stopped', sinceMs: atMs });

/** Limits with defaults filled in. Throws on non-positive or non-finite values: a configuration error. */
export function instanceLimits(over: Partial<InstanceLimits> = {}): InstanceLimits {
  const l = { graceMs: over.graceMs ?? DEFAULT_GRACE_MS, idleMs: over.idleMs ?? DEFAULT_IDLE_MS };
  for (const [k, v] of Object.entries(l)) if (!Number.isFinite(v) || v <= 0) throw new Error(`${k} must be a positive number of ms (got ${v})`);
  return l;
}

/** Returns the next state; events that do not apply in this phase return `s` itself. */
export function nextInstanceState(s: InstanceRunState, e: InstanceEvent): InstanceRunState {
  switch (e.type) {
    case 'start':
      return s.phase === 'stopped' ? { phase: 'starting', sinceMs: e.atMs, connected: false } : s;
    case 'started':
      if (s.phase !== 'starting') return s;
      return s.connected
        ? { phase: 'running', sinceMs: e.atMs, connected: true, lastInputAtMs: e.atMs }
        : // Nobody is watching yet: the grace period covers the wait for the app's connection.
          { phase: 'running', sinceMs: e.atMs, connected: false, disconnectedAtMs: e.atMs, lastInputAtMs: e.atMs };
    case 'connected':
      if (s.phase === 'starting') return s.connected ? s : { ...s, connected: true };
      if (s.phase !== 'running' || s.connected) return s;
      // Resume: the same instance, and coming back counts as activity.
      return { phase: 'running', sinceMs: s.sinceMs, connected: true, lastInputAtMs: Math.max(s.lastInputAtMs, e.atMs) };
    case 'disconnected':
      if (s.phase === 'starting') return s.connected ? { ...s, connected: false } : s;
      if (s.phase !== 'running' || !s.connected) return s; // a second drop keeps the first drop's time
      return { phase: 'running', sinceMs: s.sinceMs, connected: false, disconnectedAtMs: e.atMs, lastInputAtMs: s.lastInputAtMs };
    case 'input':
      if (s.phase !== 'running' || !s.connected) return s;
      return e.atMs > s.lastInputAtMs ? { ...s, lastInputAtMs: e.atMs } : s;
    case 'stop':
      return s.phase === 'stopped' ? s : { phase: 'stopped', sinceMs: e.atMs, reason: e.reason ?? 'user' };
    case 'failed':
      return s.phase === 'stopped' ? s : { phase: 'stopped', sinceMs: e.atMs, reason: 'failed', error: e.error };
  }
}

/** When dueAction will next have something to say, or undefined when nothing is pending (not running). */
export function nextDueAtMs(s: InstanceRunState, limits: Partial<InstanceLimits> = {}): number | undefined {
  if (s.phase !== 'running') return undefined;
  const l = instanceLimits(limits);
  const idleAt = s.lastInputAtMs + l.idleMs;
  return s.connected ? idleAt : Math.min(idleAt, s.disconnectedAtMs + l.graceMs);
}

/** What the edge must do now: stop after the grace period or the idle limit (grace is reported first), or nothing. */
export function dueAction(s: InstanceRunState, now: number, limits: Partial<InstanceLimits> = {}): InstanceDueAction | undefined {
  if (s.phase !== 'running') return undefined;
  const l = instanceLimits(limits);
  if (!s.connected && now >= s.disconnectedAtMs + l.graceMs) return { action: 'stop', reason: 'grace-expired' };
  if (now >= s.lastInputAtMs + l.idleMs) return { action: 'stop', reason: 'idle' };
  return undefined;
}

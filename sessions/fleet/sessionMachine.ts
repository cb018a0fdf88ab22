/**
 * The broker's record of one session as a pure state machine: where it runs
 * and how much of a demo's play time is used. No I/O and no timers: each
 * transition takes the time it happened, so the broker wires it and tests
 * drive it with a fake clock.
 *
 *   placing --placedOn--> running --edgeLost--> interrupted --placedOn(other edge)--> running
 *                           |  ^                    |   `--edgeBack (same edge re-registered)--^
 *                           |  `---- rejoined ------'
 *                           `--endedByEdge--> ended <--graceOver (no resume in time)--'
 *
 * An edge re-registering after a broker restart reports sessions this
 * broker never placed: `adoptedSession` records them as running there.
 *
 * Play time: each edge counts the seconds it streamed a session and reports
 * them in heartbeats. A run on an edge starts at zero, so when a session is
 * prepared on an edge the seconds of its earlier run are banked; an edge that
 * comes back after a link drop keeps counting where it was, so nothing is
 * banked then (it would count twice). `playSecondsLeft` is the one rule for
 * a demo's time left.
 */
import { PHONE_TITLE_ID, type PhonePrepare } from '../../protocol/index.ts';

export type SessionStatus = 'placing' | 'running' | 'interrupted' | 'ended';

/** How long a session whose edge was lost waits for its page to come back. */
export const RESUME_GRACE_MS = 60_000;

type SessionCommon = {
  readonly sessionId: string;
  readonly titleId: string;
  readonly status: SessionStatus;
  /** The edge it runs on (running), last ran on (interrupted, ended), or is being moved from. */
  readonly edgeId?: string;
  /** When its edge was lost (interrupted): the resume grace counts from here. */
  readonly interruptedAtMs?: number;
  readonly endReason?: string;
  /** Whether the edge last reported a connected player (heartbeats). */
  readonly playerConnected: boolean;
  /** Seconds streamed in the run on the current edge, from its heartbeats. */
  readonly streamedHereSeconds: number;
};

/** A demo link's play. Adopted after a broker restart, its link is unknown (`publisherId` empty: no usage, no time). */
export type DemoSession = SessionCommon & {
  readonly kind: 'demo';
  readonly linkId: string;
  readonly publisherId: string;
  /** Total play time of the demo. */
  readonly playSeconds: number;
  readonly endScreenUrl?: string;
  /** Seconds streamed in runs before the current one (on edges it left, or an earlier run on this one). */
  readonly streamedBeforeSeconds: number;
};

/** A cloud-phone instance's run: no link and no time limit. */
export type PhoneSession = SessionCommon & { readonly kind: 'phone'; readonly phone: PhonePrepare };

export type FleetSession = DemoSession | PhoneSession;

/** A transition: the next record, or why the event cannot apply (the record is then unchanged). */
export type Step<S extends FleetSession = FleetSession> = { ok: true; session: S } | { ok: false; error: string };

const ok = <S extends FleetSession>(session: S): Step<S> => ({ ok: true, session });
const refused = (s: FleetSession, event: string): { ok: false; error: string } => ({
  ok: false,
  error: `session ${s.sessionId} is ${s.status}: cannot take '${event}'`,
});

const fresh = { status: 'placing', playerConnected: false, streamedHereSeconds: 0 } as const;

/** A demo link's new play, before it has an edge. */
export function newDemoSession(
  sessionId: string,
  link: { id: string; publisherId: string; titleId: string; playSeconds: number; endScreenUrl?: string },
): DemoSession {
  return {
    kind: 'demo',
    sessionId,
    linkId: link.id,
    publisherId: link.publisherId,
    titleId: link.titleId,
    playSeconds: link.playSeconds,
    ...(link.endScreenUrl ? { endScreenUrl: link.endScreenUrl } : {}),
    streamedBeforeSeconds: 0,
    ...fresh,
  };
}

/** A phone instance's new run. */
export function newPhoneSession(sessionId: string, phone: PhonePrepare): PhoneSession {
  return { kind: 'phone', sessionId, titleId: PHONE_TITLE_ID, phone, ...fresh };
}

/** A session an edge runs that this broker never placed (it restarted): running there until it ends. */
export function adoptedSession(sessionId: string, edgeId: string, phone: PhonePrepare | undefined): FleetSession {
  const s = phone ? newPhoneSession(sessionId, phone) : newDemoSession(sessionId, { id: '', publisherId: '', titleId: '', playSeconds: 0 });
  return { ...s, status: 'running', edgeId };
}

/** Seconds of play a demo has left (never below zero). A phone has no limit: 0, as the wire says it. */
export function playSecondsLeft(s: FleetSession): number {
  if (s.kind === 'phone') return 0;
  return Math.max(0, Math.round(s.playSeconds - s.streamedBeforeSeconds - s.streamedHereSeconds));
}

/** An edge prepared the session: a new run there, counting from zero; the previous run's seconds are banked. */
export function placedOn<S extends FleetSession>(s: S, edgeId: string): Step<S> {
  if (s.status === 'ended') return refused(s, 'placed');
  const banked = s.kind === 'demo' ? { streamedBeforeSeconds: s.streamedBeforeSeconds + s.streamedHereSeconds } : {};
  return ok({ ...s, ...banked, status: 'running', edgeId, streamedHereSeconds: 0, playerConnected: false, interruptedAtMs: undefined });
}

/** The page reconnects to the edge that still runs the session (same run, so nothing is banked). */
export function rejoined<S extends FleetSession>(s: S, edgeId: string): Step<S> {
  if (s.status === 'ended' || s.status === 'placing' || s.edgeId !== edgeId) return refused(s, `rejoined on ${edgeId}`);
  return ok({ ...s, status: 'running', interruptedAtMs: undefined });
}

/** Its edge stopped answering: the session waits (RESUME_GRACE_MS) for its page to resume it. Again: no change. */
export function edgeLost<S extends FleetSession>(s: S, nowMs: number): Step<S> {
  if (s.status === 'ended') return refused(s, 'edge-lost');
  if (s.status === 'interrupted') return ok(s);
  return ok({ ...s, status: 'interrupted', interruptedAtMs: nowMs });
}

/** Its edge registered again and still runs it: running again, in the same run. Other sessions: no change. */
export function edgeBack<S extends FleetSession>(s: S, edgeId: string): S {
  return s.status === 'interrupted' && s.edgeId === edgeId ? { ...s, status: 'running', interruptedAtMs: undefined } : s;
}

/** A heartbeat of `edgeId` listing the session; an edge the session left is not listened to. */
export function reported<S extends FleetSession>(s: S, edgeId: string, r: { playerConnected?: boolean; streamedSeconds?: number }): S {
  if (s.edgeId !== edgeId) return s;
  const connected = r.playerConnected !== undefined ? { playerConnected: r.playerConnected } : {};
  const streamed = r.streamedSeconds !== undefined && s.status === 'running' ? { streamedHereSeconds: r.streamedSeconds } : {};
  return { ...s, ...connected, ...streamed };
}

/**
 * The edge ended the session (time up, player left, stopped...). From an edge
 * it no longer runs on, or while it waits to be resumed elsewhere (the old
 * edge was told to drop it), this is not the session's end: no change.
 */
export function endedByEdge<S extends FleetSession>(s: S, edgeId: string, reason: string, streamedSeconds: number): Step<S> {
  if (s.status === 'ended') return refused(s, 'ended');
  if (s.edgeId !== edgeId || s.status === 'interrupted') return ok(s);
  return ok({ ...s, status: 'ended', endReason: reason, streamedHereSeconds: streamedSeconds });
}

/** An interrupted session whose page did not come back within the grace ends as 'edge-lost'; any other: no change. */
export function graceOver<S extends FleetSession>(s: S, nowMs: number): S {
  if (s.status !== 'interrupted' || nowMs - (s.interruptedAtMs ?? nowMs) <= RESUME_GRACE_MS) return s;
  return { ...s, status: 'ended', endReason: 'edge-lost' };
}

/** Whether the session still counts (placing, running or waiting to be resumed). */
export const isLive = (s: FleetSession | undefined): s is FleetSession => s !== undefined && s.status !== 'ended';

/**
 * The broker's record of each session it placed: where it runs, how much of
 * its play time is used, and whether it is waiting to be resumed after its
 * edge was lost. In memory: a fleet with several brokers would keep this in
 * a shared store (see docs/operations.md).
 */
import { PHONE_TITLE_ID, type PhonePrepare } from '../../protocol/index.ts';

export type BrokerSession = {
  sessionId: string;
  linkId: string;
  publisherId: string;
  titleId: string;
  /** Total play time of the demo. */
  playSeconds: number;
  endScreenUrl?: string;
  edgeId?: string;
  /** Seconds streamed on edges this session has left (lost). */
  streamedBeforeSeconds: number;
  /** Seconds streamed on the current edge, from its heartbeats. */
  streamedHereSeconds: number;
  status: 'placing' | 'running' | 'interrupted' | 'ended';
  /** Whether the edge last reported a connected player (heartbeats). */
  playerConnected?: boolean;
  /** Set for a phone instance's session: it has no play time and no link. */
  phone?: PhonePrepare;
  interruptedAtMs?: number;
};

export const playSecondsRemaining = (s: BrokerSession): number =>
  Math.max(0, Math.round(s.playSeconds - s.streamedBeforeSeconds - s.streamedHereSeconds));

/** An edge stopped answering: the time streamed there is banked and the session waits for its page to resume it. */
export function interrupt(s: BrokerSession, nowMs: number): void {
  if (s.status !== 'running' && s.status !== 'placing') return;
  s.streamedBeforeSeconds += s.streamedHereSeconds;
  s.streamedHereSeconds = 0;
  s.status = 'interrupted';
  s.interruptedAtMs = nowMs;
}

/** A demo link's new session, before it has an edge. */
export function newDemoSession(sessionId: string, link: { id: string; publisherId: string; titleId: string; playSeconds: number; endScreenUrl?: string }): BrokerSession {
  return {
    sessionId,
    linkId: link.id,
    publisherId: link.publisherId,
    titleId: link.titleId,
    playSeconds: link.playSeconds,
    ...(link.endScreenUrl ? { endScreenUrl: link.endScreenUrl } : {}),
    streamedBeforeSeconds: 0,
    streamedHereSeconds: 0,
    status: 'placing',
  };
}

/** A phone instance's new run: no link, no play time. */
export function newPhoneSession(sessionId: string, phone: PhonePrepare): BrokerSession {
  return { sessionId, linkId: '', publisherId: '', titleId: PHONE_TITLE_ID, playSeconds: 0, streamedBeforeSeconds: 0, streamedHereSeconds: 0, status: 'placing', phone };
}

/**
 * The broker's record of each session it placed: where it runs, how much of
 * its play time is used, and whether it is waiting to be resumed after its
 * edge was lost. In memory: a fleet with several brokers would keep this in
 * a shared store (see docs/operations.md).
 */
import type { PhonePrepare } from '../../protocol/index.ts';

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

/**
 * The life of one streaming session on the edge that runs it, as a pure state
 * machine (the broker's record of a session is sessions/fleet/sessionMachine).
 * No I/O, no timers: the caller feeds events with the time they happened.
 *
 *   preparing --encoder-ready--> ready --viewer-connected--> streaming
 *        \                          \                          |
 *         `---------- end(reason) ---`------------------------> ended
 */
import type { EndReason } from '../protocol/index.ts';

export type SessionPhase = 'preparing' | 'ready' | 'streaming' | 'ended';

export type SessionState = {
  readonly phase: SessionPhase;
  readonly createdAtMs: number;
  /** When the first viewer started receiving pictures; the play clock starts here. */
  readonly streamingSinceMs?: number;
  readonly endedAtMs?: number;
  readonly endReason?: EndReason;
  readonly viewers: number;
};

export type SessionEvent =
  | { type: 'encoder-ready'; atMs: number }
  | { type: 'viewer-connected'; atMs: number }
  | { type: 'viewer-left'; atMs: number }
  | { type: 'end'; atMs: number; reason: EndReason };

export class InvalidTransitionError extends Error {
  constructor(phase: SessionPhase, event: SessionEvent['type']) {
    super(`session in phase '${phase}' cannot take '${event}'`);
    this.name = 'InvalidTransitionError';
  }
}

export function initialSessionState(createdAtMs: number): SessionState {
  return { phase: 'preparing', createdAtMs, viewers: 0 };
}

/** Returns the next state; throws InvalidTransitionError for events that make no sense in this phase. */
export function nextSessionState(s: SessionState, e: SessionEvent): SessionState {
  if (s.phase === 'ended') {
    // Ending twice is a normal race (timer and user at once): the first reason stands.
    if (e.type === 'end' || e.type === 'viewer-left') return s;
    throw new InvalidTransitionError(s.phase, e.type);
  }
  switch (e.type) {
    case 'encoder-ready':
      if (s.phase !== 'preparing') throw new InvalidTransitionError(s.phase, e.type);
      return { ...s, phase: 'ready' };
    case 'viewer-connected':
      if (s.phase === 'preparing') throw new InvalidTransitionError(s.phase, e.type);
      return {
        ...s,
        phase: 'streaming',
        viewers: s.viewers + 1,
        streamingSinceMs: s.streamingSinceMs ?? e.atMs,
      };
    case 'viewer-left':
      return { ...s, viewers: Math.max(0, s.viewers - 1) };
    case 'end':
      return { ...s, phase: 'ended', endedAtMs: e.atMs, endReason: e.reason };
  }
}

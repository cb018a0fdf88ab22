/**
 * Why a session ended, in the words a person reads, and what each reason
 * says about the session: the one table for the edge (which sends `detail`
 * in its `ended` message) and both pages (which show `title`, and `detail`
 * when the edge sent none). A phone's words differ where a phone is not a game.
 */
import type { EndReason } from './errors.ts';

export type EndWords = { title: string; detail: string };
export type SessionKind = 'game' | 'phone';

type EndReasonEntry = EndWords & {
  /** Where a phone's words differ from a game's. */
  phone?: Partial<EndWords>;
  /** The edge went away, not the session: the broker may place it on another edge. */
  edgeGone?: true;
  /** A cloud phone was stopped (its data is kept): news for its list, not a failure. */
  phoneStopped?: true;
};

const END_REASONS: Readonly<Record<EndReason, EndReasonEntry>> = {
  'user-left': { title: 'Session closed', detail: 'You left the game.' },
  'time-limit': { title: 'Thanks for playing!', detail: 'Your play time is over. Thanks for playing!' },
  'encoder-failed': {
    title: 'The stream stopped',
    detail: 'The video encoder stopped. Please try again.',
    phone: { detail: 'The video encoder stopped. Your phone and its data are fine; open it again.' },
  },
  'source-failed': {
    title: 'The game stopped',
    detail: 'The game stopped unexpectedly. Please try again.',
    phone: { title: 'The phone stopped', detail: 'The phone stopped unexpectedly. Its data is kept; open it again to restart it.' },
  },
  'start-failed': {
    title: "The game couldn't start",
    detail: 'The game could not start. Please try again.',
    phone: { title: "The phone couldn't start", detail: 'The phone could not start. Please try again.' },
  },
  'connection-lost': { title: 'Connection lost', detail: 'The connection was lost.' },
  'edge-lost': { title: 'Server lost', detail: 'The game server was lost.', edgeGone: true },
  'edge-shutdown': {
    title: 'Server shutting down',
    detail: 'The game server is shutting down.',
    phone: { detail: "The phone's server is shutting down. Its data is kept." },
    edgeGone: true,
  },
  stopped: { title: 'Phone stopped', detail: 'The phone was stopped. Its data is kept; open it again to start it.', phoneStopped: true },
  'grace-expired': { title: 'Phone stopped', detail: 'The phone stopped because nobody came back in time. Its data is kept.', phoneStopped: true },
  idle: { title: 'Phone stopped', detail: 'The phone stopped after a long time without use. Its data is kept.', phoneStopped: true },
  'input-abuse': { title: 'Session ended', detail: 'This page sent far more input than any player can, so the session was ended.' },
  'not-joined': { title: 'Session closed', detail: 'Nobody joined this session in time, so it was closed. Open the link again to play.' },
};

const entryOf = (reason: string): EndReasonEntry | undefined =>
  Object.prototype.hasOwnProperty.call(END_REASONS, reason) ? END_REASONS[reason as EndReason] : undefined;

/** The words for a reason; undefined for a reason this table does not know (a newer edge's). */
export function endWords(reason: string, kind: SessionKind = 'game'): EndWords | undefined {
  const e = entryOf(reason);
  return e && wordsOf(e, kind);
}

const wordsOf = (e: EndReasonEntry, kind: SessionKind): EndWords => ({
  title: (kind === 'phone' ? e.phone?.title : undefined) ?? e.title,
  detail: (kind === 'phone' ? e.phone?.detail : undefined) ?? e.detail,
});

/** What the edge tells its viewers when it ends a session. */
export const endMessage = (reason: EndReason, kind: SessionKind): string => wordsOf(END_REASONS[reason], kind).detail;

/** `ended` reasons about the edge going away rather than the session being over. */
export const isEdgeGoneReason = (reason: string): boolean => entryOf(reason)?.edgeGone === true;

/** `ended` reasons after which a phone is stopped (not lost). */
export const isPhoneStoppedReason = (reason: string): boolean => entryOf(reason)?.phoneStopped === true;

/**
 * What the phone app tells the subscriber: API refusals, why a phone
 * session ended, and how an instance is described in the list. Pure.
 * Codes the game player also knows fall back to its texts (client/messages.ts).
 */
import { isPhoneStoppedReason } from '../../protocol/endReasons.ts';
import type { InstanceView } from '../../protocol/phone.ts';
import { endText, errorText } from '../messages.ts';
import type { ScreenText } from '../messages.ts';

export type { ScreenText };

const PHONE_ERRORS: Readonly<Record<string, ScreenText>> = {
  'unknown-instance': { title: 'Phone not found', detail: 'This phone no longer exists. It may have been deleted on another device.' },
  'instance-limit': { title: 'No room for another phone', detail: 'You have as many phones as your plan allows. Delete one to make room.' },
  'name-taken': { title: 'Name already used', detail: 'You already have a phone with this name. Pick another one.' },
  'bad-request': { title: "That didn't work", detail: 'The server could not handle the request.' },
  'no-capacity': { title: 'No phone server is free', detail: 'Every phone server is busy right now. Please try again in a minute.' },
  busy: { title: 'Your phone is busy', detail: 'It is starting or stopping right now. Try again in a moment.' },
  'start-failed': { title: "Your phone couldn't start", detail: 'The phone server could not start it. Try again in a minute.' },
  'unknown-subscriber': { title: 'Account not found', detail: 'Your operator has no cloud phone account for you (any more).' },
  'stream-lost': {
    title: 'Connection lost',
    detail: 'The connection to your phone dropped and could not be restored. Your phone keeps running for a while: open it again.',
  },
  timeout: { title: "Your phone didn't show up", detail: 'No picture arrived in time. Try opening it again.' },
};

/** Shown instead of the app when there is no token, or the broker refused it. */
export const NO_ACCESS: ScreenText = {
  title: "Open your phone from your operator's app",
  detail: "This page needs an access link from your mobile operator's app. Open the cloud phone from there.",
};
export const ACCESS_EXPIRED: ScreenText = {
  title: 'Your access has expired',
  detail: "For your security, access links only work for a while. Open the cloud phone again from your operator's app.",
};

/** Title from the code, detail from the broker's own message when it sent one. */
export function phoneErrorText(code: string, message: string): ScreenText {
  const known = PHONE_ERRORS[code];
  if (!known) return errorText(code, message);
  return { title: known.title, detail: message || known.detail };
}

/** The notice on the list after a session ended; for the stop reasons, the words of protocol/endReasons.ts whatever the edge said. */
export function endNotice(reason: string, message: string): ScreenText {
  return endText(reason, isPhoneStoppedReason(reason) ? '' : message, 'phone');
}

/** The instance's state in a few words, for its row. */
export function phaseLabel(i: Pick<InstanceView, 'phase' | 'connected' | 'lastStopReason'>): string {
  if (i.phase === 'running') return i.connected ? 'Running · in use' : 'Running';
  if (i.phase === 'starting') return 'Starting…';
  switch (i.lastStopReason) {
    case 'grace-expired':
      return 'Stopped (left unattended)';
    case 'idle':
      return 'Stopped (unused for a while)';
    case 'failed':
      return 'Stopped (failed)';
    default:
      return 'Stopped';
  }
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", else the date; '' when unknown. */
export function formatLastUsed(iso: string, nowMs: number): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, (nowMs - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const days = Math.floor(s / 86_400);
  if (days < 7) return days === 1 ? 'yesterday' : `${days} days ago`;
  return new Date(t).toISOString().slice(0, 10);
}

/** What the player is told when a session ends or fails. Pure. */
import { endWords } from '../protocol/endReasons.ts';
import type { SessionKind } from '../protocol/endReasons.ts';

export type ScreenText = { title: string; detail: string };

const ERRORS: Readonly<Record<string, ScreenText>> = {
  'unknown-link': { title: 'Demo link not found', detail: "This demo link doesn't exist or is no longer active." },
  'link-revoked': { title: 'This demo has been withdrawn', detail: 'The publisher has switched this demo link off.' },
  'link-expired': { title: 'This demo link has expired', detail: 'The demo was only available until a set date.' },
  'link-used-up': { title: 'This demo link has been used up', detail: 'The demo has been played as many times as the publisher allowed.' },
  gone: { title: 'No longer available', detail: 'This demo or session is no longer available.' },
  'unknown-session': { title: 'Session not found', detail: 'This session does not exist or has already finished.' },
  'malformed-session-id': { title: 'Bad session address', detail: 'This address does not name a session.' },
  'session-ended': { title: 'Session over', detail: 'This session has already ended.' },
  'no-capacity': { title: 'All servers are busy', detail: 'Every game server is full right now. Please try again in a minute.' },
  'rate-limited': { title: 'Too many attempts', detail: 'Please wait a moment and try again.' },
  unauthorized: { title: 'Not allowed', detail: 'The game server refused this session.' },
  'not-found': { title: 'Not found', detail: 'The server does not know this address.' },
  'bad-request': { title: 'Something went wrong', detail: 'The server could not handle the request.' },
  'bad-message': { title: 'Something went wrong', detail: 'The game server did not understand this page.' },
  internal: { title: 'Server error', detail: 'The server had an internal error.' },
  'stream-lost': { title: 'Stream lost', detail: 'The connection to the game server dropped and no other server could take over.' },
  timeout: { title: "The stream didn't start", detail: 'No picture arrived in time.' },
  network: { title: "Can't reach the server", detail: 'Check your connection and try again.' },
  'connect-failed': { title: "Can't reach the game server", detail: 'The game server could not be contacted.' },
  'bad-response': { title: 'Unexpected server response', detail: 'The server sent something this page does not understand.' },
  'bad-page': { title: 'Nothing to play here', detail: 'This address is not a game link. Use /play/<link> or /watch/<session>.' },
  unsupported: { title: 'Browser not supported', detail: 'This browser cannot play WebRTC streams. Try a current Chrome, Edge, Firefox or Safari.' },
  'webrtc-failed': { title: "Couldn't start the stream", detail: 'The video connection could not be set up.' },
};

/** Title from the reason (protocol/endReasons.ts), detail from the server's message when it sent one. */
export function endText(reason: string, message: string, kind: SessionKind = 'game'): ScreenText {
  const known = endWords(reason, kind);
  return { title: known?.title ?? 'Session ended', detail: message || known?.detail || '' };
}

export function errorText(code: string, message: string): ScreenText {
  const known = ERRORS[code];
  return { title: known?.title ?? 'Something went wrong', detail: message || known?.detail || `Error: ${code}` };
}

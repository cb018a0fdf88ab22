/** Which page this is and where its signalling WebSocket lives. Pure. */
import { isSessionId, isSlug } from '../protocol/ids.ts';
import { SIGNAL_PATH } from '../protocol/signalling.ts';

export type Route = { kind: 'play'; linkId: string } | { kind: 'watch'; sessionId: string };

/** `/play/<linkId>` or `/watch/<sessionId>` (a trailing slash is tolerated); anything else is undefined. */
export function parseRoute(pathname: string): Route | undefined {
  const m = /^\/(play|watch)\/([^/]+)\/?$/.exec(pathname);
  if (!m || m[2] === undefined) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(m[2]);
  } catch {
    return undefined;
  }
  if (m[1] === 'play') return isSlug(id) ? { kind: 'play', linkId: id } : undefined;
  return isSessionId(id) ? { kind: 'watch', sessionId: id } : undefined;
}

/** Resolves `url` against the page's address and turns http(s) into ws(s). */
export function toWebSocketUrl(url: string, pageHref: string): string {
  const u = new URL(url, pageHref);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.toString();
}

/** Signalling address for joining `sessionId` as a viewer, on the page's own host. */
export function watchSignalUrl(sessionId: string, pageHref: string): string {
  const q = new URLSearchParams({ session: sessionId, role: 'viewer' });
  return toWebSocketUrl(`${SIGNAL_PATH}?${q.toString()}`, pageHref);
}

/** The broker endpoint that starts a session from a demo link. */
export const playApiPath = (linkId: string): string => `/api/play/${encodeURIComponent(linkId)}`;

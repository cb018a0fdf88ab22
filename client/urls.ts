/** Which page this is, where its broker calls and signalling WebSocket go. Pure. */
import type { GeoPoint } from '../protocol/fleet.ts';
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

/** The spectator grant in a watch page's fragment (`#grant=…`, never sent to a server by the browser). */
export function grantOf(hash: string): string | undefined {
  const g = new URLSearchParams(hash.replace(/^#/, '')).get('grant');
  return g && g.length <= 4096 ? g : undefined;
}

/** Where the player asks for a spectator link, and a spectator trades it for a viewer ticket. */
export const spectatorsApiPath = (sessionId: string): string => `/api/sessions/${encodeURIComponent(sessionId)}/spectators`;
export const watchApiPath = (sessionId: string): string => `/api/sessions/${encodeURIComponent(sessionId)}/watch`;

/** The broker endpoint that starts placing a session from a demo link. */
export const playApiPath = (linkId: string): string => `/api/play/${encodeURIComponent(linkId)}`;
/** Where the page reports its probe results for a placement. */
export const placementApiPath = (placementId: string): string => `/api/placements/${encodeURIComponent(placementId)}`;
/** Where the page asks to move its session to another edge. */
export const resumeApiPath = (sessionId: string): string => `/api/sessions/${encodeURIComponent(sessionId)}/resume`;

/**
 * The location hint from `?lat=..&lon=..` (tests use it to steer the
 * distance fallback; the page never asks for geolocation). Undefined
 * unless both are valid coordinates.
 */
export function locationHint(search: string): GeoPoint | undefined {
  const q = new URLSearchParams(search);
  const lat = q.get('lat');
  const lon = q.get('lon');
  if (lat === null || lon === null || lat.trim() === '' || lon.trim() === '') return undefined;
  const p = { lat: Number(lat), lon: Number(lon) };
  if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon) || Math.abs(p.lat) > 90 || Math.abs(p.lon) > 180) return undefined;
  return p;
}

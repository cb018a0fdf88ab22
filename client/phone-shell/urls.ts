/**
 * What the Browser app does with an address typed in its URL bar. Pure.
 * Only http(s) pages load in the frame; a bare host gets http:// (the
 * phone's network is the edge's, often loopback only, so no https guess).
 */
export type UrlResult = { ok: true; url: string } | { ok: false; error: string };

/** The shell's own start page, relative to the shell's index. */
export const START_PAGE = 'start.html';

export function normalizeUrl(input: string, baseHref?: string): UrlResult {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'Type a web address' };
  if (/\s/.test(text)) return { ok: false, error: 'Search is not available; type a web address' };
  let candidate: string;
  if (/^https?:\/\//i.test(text)) candidate = text;
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { ok: false, error: 'Only http and https addresses open here' };
  else if (text.startsWith('/') && baseHref) candidate = new URL(text, baseHref).toString();
  else candidate = `http://${text}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, error: 'That is not a web address' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: 'Only http and https addresses open here' };
  if (!url.hostname) return { ok: false, error: 'That is not a web address' };
  return { ok: true, url: url.toString() };
}

/** The address as the URL bar shows it: without a trailing slash on bare hosts. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === '/' && !u.search && !u.hash ? `${u.protocol}//${u.host}` : u.toString();
  } catch {
    return url;
  }
}

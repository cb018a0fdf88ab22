/**
 * The subscriber's access token. The operator's app opens
 * `/phone#token=<token>`: the fragment never reaches a server log or a
 * Referer header. The page takes it out of the address bar at once (so it
 * does not show on a screenshot, or travel with a shared link) and keeps it
 * in sessionStorage, so a reload of the tab still works while a new tab
 * needs a fresh link from the operator's app.
 */

export const TOKEN_STORAGE_KEY = 'edgeplay.phone.token';
const MAX_TOKEN_CHARS = 4096;
/** Base64url, dots and the usual token punctuation; no spaces or control characters. */
const TOKEN_CHARS = /^[A-Za-z0-9._~+/=-]+$/;

export const isPlausibleToken = (v: string): boolean => v.length > 0 && v.length <= MAX_TOKEN_CHARS && TOKEN_CHARS.test(v);

/**
 * Splits a location hash into the token (when there is a plausible one) and
 * the rest of the fragment without it ('' when nothing else was there).
 * `found` tells whether a `token` parameter was there at all, valid or not:
 * either way it is removed from the address.
 */
export function splitFragment(hash: string): { token?: string; rest: string; found: boolean } {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw === '') return { rest: '', found: false };
  const params = new URLSearchParams(raw);
  if (!params.has('token')) return { rest: raw, found: false };
  const token = (params.get('token') ?? '').trim();
  params.delete('token');
  const rest = params.toString();
  return isPlausibleToken(token) ? { token, rest, found: true } : { rest, found: true };
}

export type TokenEnv = {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  /** Undefined when storage is unavailable (some private modes throw on access). */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
};

/**
 * The token for this tab: a new one from the fragment (stored, and removed
 * from the address) wins over the stored one. Undefined when there is none.
 */
export function takeToken(env: TokenEnv): string | undefined {
  const { token, rest, found } = splitFragment(env.location.hash);
  if (found) {
    const url = env.location.pathname + env.location.search + (rest ? `#${rest}` : '');
    env.history.replaceState(env.history.state, '', url);
  }
  if (token !== undefined) {
    try {
      env.storage?.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // Storage full or refused: the token still works for this page's life.
    }
    return token;
  }
  try {
    const stored = env.storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
    return stored !== null && isPlausibleToken(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets a token the broker refused, so a reload shows the "open it from your operator's app" screen. */
export function forgetToken(env: Pick<TokenEnv, 'storage'>): void {
  try {
    env.storage?.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Nothing stored, or storage unavailable: nothing to forget.
  }
}

/** sessionStorage, or undefined where touching it throws. */
export function sessionStore(win: Window): Storage | undefined {
  try {
    return win.sessionStorage;
  } catch {
    return undefined;
  }
}

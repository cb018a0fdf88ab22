/**
 * JSON calls from the player and phone pages to the broker's HTTP API: one
 * request helper that turns every outcome (answer, `{code, message}` error, HTML
 * error page, network failure, timeout) into a result the page can show.
 */
import { isObj } from '../protocol/guards.ts';

export type ApiFailure = { code: string; message: string; status?: number };
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const defaultFetch: FetchLike = (input, init) => fetch(input, init);

/** A broker that accepted the connection but never answers must not leave the page spinning forever. */
export const API_TIMEOUT_MS = 10_000;

export { isObj } from '../protocol/guards.ts';

/** Reads a `{code, message}` error body, falling back to the HTTP status. */
export function readApiError(status: number, body: unknown): ApiFailure {
  if (isObj(body) && typeof body.code === 'string' && body.code.length > 0) {
    const message = typeof body.message === 'string' ? body.message.slice(0, 500) : '';
    return { code: body.code.slice(0, 64), message, status };
  }
  const code =
    status === 404
      ? 'not-found'
      : status === 410
        ? 'gone'
        : status === 429
          ? 'rate-limited'
          : status === 503
            ? 'no-capacity'
            : status >= 500
              ? 'internal'
              : 'bad-request';
  return { code, message: `The server answered HTTP ${status}.`, status };
}

/**
 * POSTs `body` as JSON to `path` and checks a 2xx answer with `read`
 * (undefined = unusable answer). Never throws.
 */
export function postJson<T>(path: string, body: unknown, read: (v: unknown) => T | undefined, fetchImpl: FetchLike = defaultFetch): Promise<ApiResult<T>> {
  return requestJson('POST', path, body, read, fetchImpl);
}

/**
 * Any JSON call: `body` undefined sends none (GET, DELETE). Extra headers
 * (e.g. the phone app's Authorization) are added to the JSON ones. Never throws.
 */
export async function requestJson<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  read: (v: unknown) => T | undefined,
  fetchImpl: FetchLike = defaultFetch,
  headers: Readonly<Record<string, string>> = {},
): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetchImpl(path, {
      method,
      headers: body === undefined ? { accept: 'application/json', ...headers } : { 'content-type': 'application/json', accept: 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, error: { code: 'network', message: 'Could not reach the server.' } };
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    json = undefined;
  }
  if (!res.ok) return { ok: false, error: readApiError(res.status, json) };
  const value = read(json);
  if (value === undefined) return { ok: false, error: { code: 'bad-response', message: 'The server sent an unexpected answer.', status: res.status } };
  return { ok: true, value };
}

/** The player page's calls to the broker's HTTP API (protocol/api.ts). */
import type { StartSessionResponse } from '../protocol/api.ts';
import type { VideoInfo } from '../protocol/signalling.ts';
import { playApiPath } from './urls.ts';

export type ApiFailure = { code: string; message: string; status?: number };
export type StartResult = { ok: true; session: StartSessionResponse } | { ok: false; error: ApiFailure };

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readVideo(v: unknown): VideoInfo | undefined {
  if (!isObj(v)) return undefined;
  if (typeof v.width !== 'number' || typeof v.height !== 'number' || typeof v.fps !== 'number') return undefined;
  if (v.codec !== 'H264' && v.codec !== 'VP8') return undefined;
  return { width: v.width, height: v.height, fps: v.fps, codec: v.codec, encoder: typeof v.encoder === 'string' ? v.encoder : '' };
}

/** Checks the fields the page relies on; the rest is filled with neutral values. */
export function readStartSession(v: unknown): StartSessionResponse | undefined {
  if (!isObj(v) || typeof v.sessionId !== 'string' || typeof v.signalUrl !== 'string' || v.signalUrl.length === 0) return undefined;
  const video = readVideo(v.video);
  return {
    sessionId: v.sessionId,
    signalUrl: v.signalUrl,
    titleId: typeof v.titleId === 'string' ? v.titleId : '',
    edgeId: typeof v.edgeId === 'string' ? v.edgeId : '',
    playSeconds: typeof v.playSeconds === 'number' && v.playSeconds > 0 ? v.playSeconds : 0,
    video: video ?? { width: 0, height: 0, fps: 0, codec: 'H264', encoder: '' },
  };
}

/** Reads a `{code, message}` error body, falling back to the HTTP status. */
export function readApiError(status: number, body: unknown): ApiFailure {
  if (isObj(body) && typeof body.code === 'string') {
    const message = typeof body.message === 'string' ? body.message : '';
    return { code: body.code, message, status };
  }
  const code = status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : status === 503 ? 'no-capacity' : status >= 500 ? 'internal' : 'bad-request';
  return { code, message: `The server answered HTTP ${status}.`, status };
}

/** POST /api/play/<linkId>: starts a session from a demo link. Never throws. */
export async function startSession(linkId: string, fetchImpl: FetchLike = (i, init) => fetch(i, init)): Promise<StartResult> {
  let res: Response;
  try {
    res = await fetchImpl(playApiPath(linkId), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, error: { code: 'network', message: 'Could not reach the server.' } };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) return { ok: false, error: readApiError(res.status, body) };
  const session = readStartSession(body);
  if (!session) return { ok: false, error: { code: 'bad-response', message: 'The server sent an unexpected answer.', status: res.status } };
  return { ok: true, session };
}

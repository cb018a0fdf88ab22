/**
 * Signalling between the browser and an edge, one JSON object per WebSocket
 * message. The edge makes the offer (it owns the tracks and data channels);
 * the browser answers. Both sides trickle ICE candidates.
 *
 *   browser                         edge
 *      |--- WS /edge/signal?session=ID -->|
 *      |<-- welcome -----------------------|
 *      |<-- offer, ice* -------------------|
 *      |--- answer, ice* ----------------->|
 *      |<-- ended {reason} ----------------| (time limit, encoder failure, ...)
 */
import type { EndReason, ErrorCode } from './errors.ts';
import type { ParseResult } from './input.ts';
import { isObj } from './guards.ts';

export const MAX_SIGNAL_MESSAGE_BYTES = 64 * 1024;
/** Path of the edge's signalling WebSocket; the session id goes in `?session=`. */
export const SIGNAL_PATH = '/edge/signal';

export type IceCandidate = { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null };

export type VideoInfo = { width: number; height: number; fps: number; codec: 'H264' | 'VP8'; encoder: string };

export type EdgeToClient =
  | { type: 'welcome'; sessionId: string; role: 'player' | 'viewer'; video: VideoInfo; edgeId: string }
  | { type: 'offer'; sdp: string }
  | { type: 'ice'; candidate: IceCandidate }
  | { type: 'ended'; reason: EndReason; message: string }
  | { type: 'error'; code: ErrorCode; message: string }
  /** Something the player should know that does not end the session (e.g. input over budget is being dropped). */
  | { type: 'notice'; code: NoticeCode; message: string };

export const NoticeCode = { inputLimited: 'input-limited' } as const;
export type NoticeCode = (typeof NoticeCode)[keyof typeof NoticeCode];

export type ClientToEdge =
  | { type: 'answer'; sdp: string }
  | { type: 'ice'; candidate: IceCandidate }
  | { type: 'bye' };


function parseCandidate(v: unknown): IceCandidate | undefined {
  if (!isObj(v) || typeof v.candidate !== 'string' || v.candidate.length > 2048) return undefined;
  const mid = v.sdpMid;
  const idx = v.sdpMLineIndex;
  if (mid !== undefined && mid !== null && (typeof mid !== 'string' || mid.length > 64)) return undefined;
  if (idx !== undefined && idx !== null && !(Number.isInteger(idx) && (idx as number) >= 0 && (idx as number) < 64)) return undefined;
  return { candidate: v.candidate, sdpMid: (mid as string | null | undefined) ?? null, sdpMLineIndex: (idx as number | null | undefined) ?? null };
}

/** Validates a message from the browser. Never throws. */
export function parseClientSignal(raw: string): ParseResult<ClientToEdge> {
  if (raw.length > MAX_SIGNAL_MESSAGE_BYTES) return { ok: false, error: 'message too large' };
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (!isObj(v)) return { ok: false, error: 'not an object' };
  switch (v.type) {
    case 'answer':
      if (typeof v.sdp !== 'string' || !v.sdp.startsWith('v=0')) return { ok: false, error: 'answer needs an SDP' };
      return { ok: true, value: { type: 'answer', sdp: v.sdp } };
    case 'ice': {
      const candidate = parseCandidate(v.candidate);
      if (!candidate) return { ok: false, error: 'invalid ICE candidate' };
      return { ok: true, value: { type: 'ice', candidate } };
    }
    case 'bye':
      return { ok: true, value: { type: 'bye' } };
    default:
      return { ok: false, error: 'unknown message type' };
  }
}

/** Validates a message from the edge (used by the browser and tests). Never throws. */
export function parseEdgeSignal(raw: string): ParseResult<EdgeToClient> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (!isObj(v) || typeof v.type !== 'string') return { ok: false, error: 'not a message' };
  switch (v.type) {
    case 'welcome':
    case 'ended':
    case 'error':
    case 'notice':
      return { ok: true, value: v as EdgeToClient };
    case 'offer':
      if (typeof v.sdp !== 'string') return { ok: false, error: 'offer needs an SDP' };
      return { ok: true, value: { type: 'offer', sdp: v.sdp } };
    case 'ice': {
      const candidate = parseCandidate(v.candidate);
      if (!candidate) return { ok: false, error: 'invalid ICE candidate' };
      return { ok: true, value: { type: 'ice', candidate } };
    }
    default:
      return { ok: false, error: 'unknown message type' };
  }
}

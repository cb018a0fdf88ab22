/**
 * Validation of the fleet messages (protocol/fleet.ts), done once where they
 * enter a process. Never throws: malformed input becomes `{ok:false, error}`.
 */
import type { ParseResult } from './input.ts';
import type { VideoInfo } from './signalling.ts';
import type { PhonePrepare } from './phone.ts';
import { isSessionId, isSlug } from './ids.ts';
import { EDGE_TIERS, type EdgeTier, type BrokerToEdge, type EdgeCapacity, type EdgeToBroker, type GeoPoint, type PlacementReport } from './fleet.ts';
import { isObj } from './guards.ts';

export const MAX_EDGE_LINK_MESSAGE_BYTES = 256 * 1024;
/** Sessions an edge may report at once; far above any real host. */
const MAX_REPORTED_SESSIONS = 10_000;

const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const isShortString = (v: unknown, max = 256): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

export function parseGeoPoint(v: unknown): GeoPoint | undefined {
  if (!isObj(v)) return undefined;
  const { lat, lon } = v;
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return undefined;
  return { lat, lon };
}

function parseCapacity(v: unknown): EdgeCapacity | string {
  if (!isObj(v)) return 'capacity must be an object';
  const { maxSessions, sessionsInUse, encoder, encoderKind, nvencSessionsFree } = v;
  if (!isCount(maxSessions, 10_000) || maxSessions < 1) return 'capacity.maxSessions must be an integer in 1..10000';
  if (!isCount(sessionsInUse, 10_000)) return 'capacity.sessionsInUse must be an integer in 0..10000';
  if (!isCount(nvencSessionsFree, 10_000)) return 'capacity.nvencSessionsFree must be an integer in 0..10000';
  if (!isShortString(encoder, 64)) return 'capacity.encoder must be a short string';
  if (encoderKind !== 'nvenc' && encoderKind !== 'software') return "capacity.encoderKind must be 'nvenc' or 'software'";
  return { maxSessions, sessionsInUse, encoder, encoderKind, nvencSessionsFree };
}

function parseVideoInfo(v: unknown): VideoInfo | undefined {
  if (!isObj(v)) return undefined;
  const { width, height, fps, codec, encoder } = v;
  if (!isCount(width, 8192) || !isCount(height, 8192) || !isCount(fps, 240) || (codec !== 'H264' && codec !== 'VP8') || !isShortString(encoder, 64)) return undefined;
  return { width, height, fps, codec, encoder };
}

function parseSessionList(v: unknown): string[] | undefined {
  if (!Array.isArray(v) || v.length > MAX_REPORTED_SESSIONS || !v.every(isSessionId)) return undefined;
  return v as string[];
}

function isHttpUrl(v: unknown): v is string {
  if (!isShortString(v, 2048)) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function parseJson(raw: string, max: number): ParseResult<Record<string, unknown>> {
  if (raw.length > max) return fail('message too large');
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return fail('not JSON');
  }
  return isObj(v) ? { ok: true, value: v } : fail('not an object');
}

/** An edge's message to the broker. */
export function parseEdgeToBroker(raw: string): ParseResult<EdgeToBroker> {
  const j = parseJson(raw, MAX_EDGE_LINK_MESSAGE_BYTES);
  if (!j.ok) return j;
  const v = j.value;
  switch (v.type) {
    case 'register': {
      const capacity = parseCapacity(v.capacity);
      if (typeof capacity === 'string') return fail(capacity);
      const location = parseGeoPoint(v.location);
      if (!location) return fail('location must be {lat: -90..90, lon: -180..180}');
      const sessions = parseSessionList(v.sessions);
      if (!sessions) return fail('sessions must be a list of session ids');
      if (!isShortString(v.secret, 512)) return fail('secret missing');
      if (!isSlug(v.edgeId)) return fail('edgeId must be a short slug');
      if (!isShortString(v.region, 64)) return fail('region missing');
      if (!isHttpUrl(v.publicUrl)) return fail('publicUrl must be an http(s) URL');
      if (!(EDGE_TIERS as readonly unknown[]).includes(v.tier)) return fail(`tier must be one of ${EDGE_TIERS.join(', ')}`);
      const video = v.video === undefined ? undefined : parseVideoInfo(v.video);
      if (v.video !== undefined && !video) return fail('video must be {width, height, fps, codec, encoder}');
      const phoneSessions = v.phoneSessions === undefined ? undefined : parsePhoneSessions(v.phoneSessions, sessions);
      if (v.phoneSessions !== undefined && !phoneSessions) return fail('phoneSessions must list {sessionId, phone} of reported sessions');
      return {
        ok: true,
        value: {
          type: 'register',
          secret: v.secret,
          edgeId: v.edgeId,
          region: v.region,
          location,
          publicUrl: v.publicUrl,
          tier: v.tier as EdgeTier,
          capacity,
          sessions,
          ...(video ? { video } : {}),
          ...(phoneSessions ? { phoneSessions } : {}),
        },
      };
    }
    case 'heartbeat': {
      const capacity = parseCapacity(v.capacity);
      if (typeof capacity === 'string') return fail(capacity);
      const sessions = parseSessionList(v.sessions);
      if (!sessions) return fail('sessions must be a list of session ids');
      let streamedSeconds: Record<string, number> | undefined;
      if (v.streamedSeconds !== undefined) {
        if (!isObj(v.streamedSeconds)) return fail('streamedSeconds must be an object');
        const entries = Object.entries(v.streamedSeconds);
        if (entries.length > MAX_REPORTED_SESSIONS || !entries.every(([k, n]) => isSessionId(k) && typeof n === 'number' && n >= 0 && n < 1e7))
          return fail('streamedSeconds must map session ids to seconds');
        streamedSeconds = Object.fromEntries(entries) as Record<string, number>;
      }
      const playersConnected = v.playersConnected === undefined ? undefined : parseSessionList(v.playersConnected);
      if (v.playersConnected !== undefined && !playersConnected) return fail('playersConnected must be a list of session ids');
      return {
        ok: true,
        value: { type: 'heartbeat', capacity, sessions, ...(streamedSeconds ? { streamedSeconds } : {}), ...(playersConnected ? { playersConnected } : {}) },
      };
    }
    case 'prepared': {
      if (!isShortString(v.requestId, 64)) return fail('requestId missing');
      if (v.ok === true) return { ok: true, value: { type: 'prepared', requestId: v.requestId, ok: true } };
      if (v.ok === false && (v.code === 'no-capacity' || v.code === 'start-failed'))
        return { ok: true, value: { type: 'prepared', requestId: v.requestId, ok: false, code: v.code, message: String(v.message ?? '').slice(0, 500) } };
      return fail('prepared needs ok, or a code');
    }
    case 'session-ended':
      if (!isSessionId(v.sessionId) || !isShortString(v.reason, 64) || typeof v.secondsStreamed !== 'number' || !(v.secondsStreamed >= 0 && v.secondsStreamed < 1e7))
        return fail('invalid session-ended');
      return { ok: true, value: { type: 'session-ended', sessionId: v.sessionId, reason: v.reason, secondsStreamed: v.secondsStreamed } };
    default:
      return fail('unknown message type');
  }
}

/** The broker's message to an edge. */
export function parseBrokerToEdge(raw: string): ParseResult<BrokerToEdge> {
  const j = parseJson(raw, MAX_EDGE_LINK_MESSAGE_BYTES);
  if (!j.ok) return j;
  const v = j.value;
  switch (v.type) {
    case 'registered':
      if (!isCount(v.heartbeatMs, 600_000) || !isShortString(v.ticketKey, 512)) return fail('invalid registered');
      return { ok: true, value: { type: 'registered', heartbeatMs: v.heartbeatMs, ticketKey: v.ticketKey } };
    case 'refused':
      return { ok: true, value: { type: 'refused', code: String(v.code).slice(0, 64), message: String(v.message).slice(0, 500) } };
    case 'prepare':
      if (!isShortString(v.requestId, 64) || !isSessionId(v.sessionId) || !isSlug(v.titleId) || !isCount(v.playSeconds, 86_400) || !isCount(v.deadlineMs, 600_000))
        return fail('invalid prepare');
      if (v.phone !== undefined && !parsePhonePrepare(v.phone)) return fail('invalid prepare: phone must be {subscriberId, instanceId, dataDir}');
      return {
        ok: true,
        value: {
          type: 'prepare',
          requestId: v.requestId,
          sessionId: v.sessionId,
          titleId: v.titleId,
          playSeconds: v.playSeconds,
          ...(v.phone !== undefined ? { phone: parsePhonePrepare(v.phone)! } : {}),
          deadlineMs: v.deadlineMs,
        },
      };
    case 'end-session':
      if (!isSessionId(v.sessionId) || !isShortString(v.reason, 64)) return fail('invalid end-session');
      return { ok: true, value: { type: 'end-session', sessionId: v.sessionId, reason: v.reason } };
    case 'delete-phone-data': {
      const phone = parsePhonePrepare(v.phone);
      if (!phone) return fail('invalid delete-phone-data');
      return { ok: true, value: { type: 'delete-phone-data', phone } };
    }
    case 'drain':
      if (typeof v.draining !== 'boolean') return fail('invalid drain');
      return { ok: true, value: { type: 'drain', draining: v.draining } };
    default:
      return fail('unknown message type');
  }
}

/** The page's RTT report. Garbage RTTs become null (unmeasured), never an error that blocks play. */
export function parsePlacementReport(body: unknown): ParseResult<PlacementReport> {
  if (!isObj(body)) return fail('body must be a JSON object');
  const rttsIn = body.rtts ?? {};
  if (!isObj(rttsIn)) return fail('rtts must be an object of edgeId: milliseconds');
  const entries = Object.entries(rttsIn);
  if (entries.length > 64) return fail('too many rtts');
  const rtts: Record<string, number | null> = {};
  for (const [edgeId, ms] of entries) {
    if (!isSlug(edgeId)) continue;
    rtts[edgeId] = typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= 60_000 ? ms : null;
  }
  const location = body.location === undefined ? undefined : parseGeoPoint(body.location);
  if (body.location !== undefined && !location) return fail('location must be {lat, lon}');
  return { ok: true, value: { rtts, ...(location ? { location } : {}) } };
}

/** A phone instance's identity; its data dir must be exactly the one its ids name (no path tricks). */
function parsePhonePrepare(v: unknown): PhonePrepare | undefined {
  if (!isObj(v) || !isSlug(v.subscriberId) || !isSlug(v.instanceId)) return undefined;
  if (v.dataDir !== `phones/${v.subscriberId}/${v.instanceId}`) return undefined;
  if (v.name !== undefined && (typeof v.name !== 'string' || v.name.length > 160)) return undefined;
  return { subscriberId: v.subscriberId, instanceId: v.instanceId, dataDir: v.dataDir, ...(typeof v.name === 'string' ? { name: v.name } : {}) };
}

/** The phone sessions an edge reports at registration: each one of its reported sessions, with a valid phone. */
function parsePhoneSessions(v: unknown, sessions: string[]): Array<{ sessionId: string; phone: PhonePrepare }> | undefined {
  if (!Array.isArray(v) || v.length > sessions.length) return undefined;
  const out: Array<{ sessionId: string; phone: PhonePrepare }> = [];
  for (const e of v) {
    if (!isObj(e) || !isSessionId(e.sessionId) || !sessions.includes(e.sessionId)) return undefined;
    const phone = parsePhonePrepare(e.phone);
    if (!phone) return undefined;
    out.push({ sessionId: e.sessionId, phone });
  }
  return out;
}

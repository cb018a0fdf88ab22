/**
 * The one typed configuration of a process: defaults that work out of the
 * box, then an optional JSON file (EDGEPLAY_CONFIG), then environment
 * variables. Only entry points call loadConfig(process.env); everything else
 * receives plain option objects.
 */
import { readFileSync } from 'node:fs';
import { MAX_HELD_INPUTS } from '../protocol/input.ts';
import { BUILTIN_GAME_ID, MOTION_BENCH_HEAVY_ID, MOTION_BENCH_ID, XJUMP_GAME_ID } from '../sessions/catalog.ts';

/** Titles the printed demo link may play. */
const BUILT_IN_TITLES: readonly string[] = [BUILTIN_GAME_ID, MOTION_BENCH_ID, MOTION_BENCH_HEAVY_ID, XJUMP_GAME_ID];

export type Config = {
  /** HTTP port of the broker (and the local edge in the single-process default). */
  port: number;
  host: string;
  /** Base URL players reach this server at; printed in the demo link. Derived from host/port when empty. */
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  edge: {
    id: string;
    video: { width: number; height: number; fps: number; bitrateKbps: number; gopSeconds: number };
    /** Encoder to use; 'auto' probes NVENC first, software last. */
    encoder: 'auto' | 'h264_nvenc' | 'h264_vaapi' | 'h264_qsv' | 'libx264' | 'libvpx';
    maxSessions: number;
    /** Idle encoders kept spawned so a new session starts without paying ffmpeg's start-up (each session takes two). */
    warmEncoders: number;
    /** Extra ICE host addresses; werift never gathers loopback by itself. */
    iceAdditionalHostAddresses: string[];
    /** UDP port range for ICE, e.g. [40000, 40199] in a container; undefined = any. */
    icePortRange?: [number, number];
    /** A session with no viewer for this long ends (user left). */
    idleViewerTimeoutMs: number;
    /** A game prepared for a player who has not connected this long ends and frees its slot and encoders. */
    joinTimeoutMs: number;
    /** Spectators at once, per session and per edge; each holds a WebRTC connection. */
    spectators: { perSession: number; perEdge: number };
    /** Per session, all input channels together (server/edge/inputGate.ts). */
    inputBudget: { eventsPerSecond: number; bytesPerSecond: number; maxHeld: number; abuseEndSeconds: number };
    /** Congestion control: the player's bandwidth estimate moves the encoder's rate down to `minKbps` (server/edge/sessionBitrate.ts). */
    congestion: { enabled: boolean; minKbps: number };
  };
  /** The built-in demo link: its play time, and the title it plays (a catalog id; the motion benchmark for measurements). */
  demo: { playSeconds: number; titleId: string; motionBenchSeed: number };
  /** Cloud-phone instances (issue 4). */
  phone: {
    /** Portrait picture of an instance (default 720x1280, 30 fps). */
    video: { width: number; height: number; fps: number; bitrateKbps: number };
    /** After the app drops, the instance keeps running this long for it to come back. */
    graceMs: number;
    /** An instance with no input for this long stops (its data is kept). */
    idleMs: number;
    /** Where an edge keeps instance data (`phones/<subscriber>/<instance>` below it). */
    dataDir: string;
    /** "telcoId:apiKey" pairs for the telco API. Empty: one demo telco with a key generated at start (printed). */
    telcoKeys: string[];
    /** Chromium that runs the phone shell (Debian's by default). */
    chromiumPath: string;
    /** Signs subscriber access tokens; broker only (edges must not have it). Empty: generated once and kept in brokerDataDir. */
    tokenSecret: string;
    /** Where the broker keeps its phone registry (subscribers, instances) and token key. Empty: `<dataDir>/broker`. */
    brokerDataDir: string;
  };
  fleet: {
    /** Broker URL an edge registers with; empty = the broker in this process. */
    brokerUrl: string;
    /** Shared by broker and edges; edges without it are refused. Generated per process when empty (single-process default). */
    secret: string;
    region: string;
    location: { lat: number; lon: number };
    tier: 'enterprise' | 'community';
    /** URL browsers reach this edge at (probe and signalling); defaults to publicUrl. */
    edgePublicUrl: string;
    /** Consumer GPUs cap NVENC sessions; when none is free: encode in software, or report full. */
    nvencPolicy: 'software-fallback' | 'report-full';
    nvencSessionCap: number;
    heartbeatMs: number;
    /** An edge silent this long is lost and its sessions end (edge-lost). */
    lostAfterMs: number;
    ticketTtlMs: number;
    /** How long a play's offer waits for the page's RTT report. */
    placementTtlMs: number;
    /** Public-link plays started but not yet watched, per client address and in all. */
    pendingPlays: { perAddress: number; total: number };
    /** "publisherId:apiKey" pairs. Empty: one demo publisher with a key generated at start (printed). */
    publisherKeys: string[];
    /** Bearer key for operator calls (drain). Empty: generated at start. */
    operatorKey: string;
  };
  /** TURN relay for players with no direct UDP path (coturn with its REST-API shared secret; docs/operations.md). */
  turn: {
    /** turn:/turns: URLs handed to peers, e.g. turn:relay.example:3478?transport=udp. Empty: no relay (or the local one's, with `local`). */
    urls: string[];
    /** coturn's static-auth-secret; each session's credentials are derived from it. Generated per process with `local` when empty. */
    secret: string;
    /** Credential lifetime for a session without a play limit (a phone); a demo's is its ticket's plus its play time left. */
    ttlSeconds: number;
    /** `TURN=local`: this process starts a coturn on `localPort` (npm start on one machine). */
    local: boolean;
    localPort: number;
    /** The edge's own peer gathers relay candidates too (an edge behind NAT). Off: only players use the relay. */
    edgeRelay: boolean;
  };
  /** Whether this process runs a local edge next to the broker (`npm start`). */
  localEdge: boolean;
};

export const DEFAULT_CONFIG: Config = {
  port: 8080,
  host: '0.0.0.0',
  publicUrl: '',
  logLevel: 'info',
  edge: {
    id: 'local-edge',
    video: { width: 1280, height: 720, fps: 60, bitrateKbps: 6000, gopSeconds: 2 },
    encoder: 'auto',
    maxSessions: 4,
    warmEncoders: 2,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    icePortRange: undefined,
    idleViewerTimeoutMs: 30_000,
    joinTimeoutMs: 8_000,
    spectators: { perSession: 8, perEdge: 32 },
    inputBudget: { eventsPerSecond: 500, bytesPerSecond: 64_000, maxHeld: MAX_HELD_INPUTS, abuseEndSeconds: 3 },
    congestion: { enabled: true, minKbps: 300 },
  },
  demo: { playSeconds: 15 * 60, titleId: BUILTIN_GAME_ID, motionBenchSeed: 1 },
  phone: {
    video: { width: 720, height: 1280, fps: 30, bitrateKbps: 4000 },
    graceMs: 5 * 60_000,
    idleMs: 30 * 60_000,
    dataDir: 'data',
    telcoKeys: [],
    chromiumPath: '/usr/bin/chromium',
    tokenSecret: '',
    brokerDataDir: '',
  },
  fleet: {
    brokerUrl: '',
    secret: '',
    region: 'local',
    location: { lat: 0, lon: 0 },
    tier: 'community',
    edgePublicUrl: '',
    nvencPolicy: 'software-fallback',
    nvencSessionCap: 8,
    heartbeatMs: 2000,
    lostAfterMs: 6000,
    ticketTtlMs: 30_000,
    placementTtlMs: 10_000,
    pendingPlays: { perAddress: 4, total: 256 },
    publisherKeys: [],
    operatorKey: '',
  },
  turn: { urls: [], secret: '', ttlSeconds: 4 * 3600, local: false, localPort: 3478, edgeRelay: false },
  localEdge: true,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in ${min}..${max}, got '${raw}'`);
  return n;
}

function num(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`${name} must be a number in ${min}..${max}, got '${raw}'`);
  return n;
}

function portRange(raw: string | undefined): [number, number] | undefined {
  if (!raw) return undefined;
  const m = /^(\d+)-(\d+)$/.exec(raw);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || lo < 1024 || hi > 65535 || hi <= lo) throw new ConfigError(`ICE_PORT_RANGE must look like 40000-40199, got '${raw}'`);
  return [lo, hi];
}

/** Deep-merges a partial object into defaults, rejecting keys the defaults do not have. */
function mergeKnown<T extends Record<string, unknown>>(base: T, patch: unknown, path: string): T {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new ConfigError(`${path || 'config'} must be an object`);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (!(k in base)) throw new ConfigError(`unknown config key '${path}${k}'`);
    const cur = base[k];
    out[k] = cur && typeof cur === 'object' && !Array.isArray(cur) ? mergeKnown(cur as Record<string, unknown>, v, `${path}${k}.`) : v;
  }
  return out as T;
}

const ENCODERS = ['auto', 'h264_nvenc', 'h264_vaapi', 'h264_qsv', 'libx264', 'libvpx'] as const;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export function loadConfig(env: Env, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): Config {
  let c: Config = structuredClone(DEFAULT_CONFIG);
  if (env.EDGEPLAY_CONFIG) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFile(env.EDGEPLAY_CONFIG));
    } catch (e) {
      throw new ConfigError(`cannot read config file ${env.EDGEPLAY_CONFIG}: ${(e as Error).message}`);
    }
    c = mergeKnown(c, parsed, '');
  }
  c.port = int(env, 'PORT', 0, 65535) ?? c.port;
  c.host = env.HOST || c.host;
  c.publicUrl = env.PUBLIC_URL || c.publicUrl;
  if (env.LOG_LEVEL) c.logLevel = env.LOG_LEVEL as Config['logLevel'];
  c.edge.id = env.EDGE_ID || c.edge.id;
  const v = c.edge.video;
  v.width = int(env, 'VIDEO_WIDTH', 64, 3840) ?? v.width;
  v.height = int(env, 'VIDEO_HEIGHT', 64, 2160) ?? v.height;
  v.fps = int(env, 'VIDEO_FPS', 1, 120) ?? v.fps;
  v.bitrateKbps = int(env, 'VIDEO_BITRATE_KBPS', 100, 100_000) ?? v.bitrateKbps;
  if (env.ENCODER) c.edge.encoder = env.ENCODER as Config['edge']['encoder'];
  c.edge.maxSessions = int(env, 'MAX_SESSIONS', 1, 1000) ?? c.edge.maxSessions;
  c.edge.warmEncoders = int(env, 'WARM_ENCODERS', 0, 16) ?? c.edge.warmEncoders;
  const ib = c.edge.inputBudget;
  ib.eventsPerSecond = int(env, 'INPUT_EVENTS_PER_SECOND', 10, 100_000) ?? ib.eventsPerSecond;
  ib.bytesPerSecond = int(env, 'INPUT_BYTES_PER_SECOND', 1024, 100_000_000) ?? ib.bytesPerSecond;
  ib.abuseEndSeconds = int(env, 'INPUT_ABUSE_END_SECONDS', 1, 3600) ?? ib.abuseEndSeconds;
  if (env.CONGESTION_CONTROL !== undefined && env.CONGESTION_CONTROL !== '') {
    if (env.CONGESTION_CONTROL !== 'on' && env.CONGESTION_CONTROL !== 'off')
      throw new ConfigError(`CONGESTION_CONTROL must be on or off, got '${env.CONGESTION_CONTROL}'`);
    c.edge.congestion.enabled = env.CONGESTION_CONTROL === 'on';
  }
  c.edge.congestion.minKbps = int(env, 'CONGESTION_MIN_KBPS', 50, 100_000) ?? c.edge.congestion.minKbps;
  c.edge.icePortRange = portRange(env.ICE_PORT_RANGE) ?? c.edge.icePortRange;
  if (env.ICE_HOST_ADDRESSES !== undefined) c.edge.iceAdditionalHostAddresses = env.ICE_HOST_ADDRESSES.split(',').filter(Boolean);
  c.edge.joinTimeoutMs = int(env, 'JOIN_TIMEOUT_MS', 1000, 600_000) ?? c.edge.joinTimeoutMs;
  c.edge.spectators.perSession = int(env, 'SPECTATORS_PER_SESSION', 0, 1000) ?? c.edge.spectators.perSession;
  c.edge.spectators.perEdge = int(env, 'SPECTATORS_PER_EDGE', 0, 100_000) ?? c.edge.spectators.perEdge;
  c.demo.playSeconds = int(env, 'DEMO_PLAY_SECONDS', 1, 24 * 3600) ?? c.demo.playSeconds;
  c.demo.titleId = env.DEMO_TITLE || c.demo.titleId;
  c.demo.motionBenchSeed = int(env, 'MOTION_BENCH_SEED', 0, 2 ** 32 - 1) ?? c.demo.motionBenchSeed;
  const f = c.fleet;
  f.brokerUrl = env.BROKER_URL || f.brokerUrl;
  f.secret = env.FLEET_SECRET || f.secret;
  f.region = env.EDGE_REGION || f.region;
  f.location.lat = num(env, 'EDGE_LAT', -90, 90) ?? f.location.lat;
  f.location.lon = num(env, 'EDGE_LON', -180, 180) ?? f.location.lon;
  if (env.EDGE_TIER) f.tier = env.EDGE_TIER as Config['fleet']['tier'];
  f.edgePublicUrl = env.EDGE_PUBLIC_URL || f.edgePublicUrl;
  if (env.NVENC_POLICY) f.nvencPolicy = env.NVENC_POLICY as Config['fleet']['nvencPolicy'];
  f.nvencSessionCap = int(env, 'NVENC_SESSION_CAP', 0, 1000) ?? f.nvencSessionCap;
  f.heartbeatMs = int(env, 'HEARTBEAT_MS', 100, 60_000) ?? f.heartbeatMs;
  f.placementTtlMs = int(env, 'PLACEMENT_TTL_MS', 1000, 600_000) ?? f.placementTtlMs;
  f.pendingPlays.perAddress = int(env, 'PENDING_PLAYS_PER_ADDRESS', 1, 10_000) ?? f.pendingPlays.perAddress;
  f.pendingPlays.total = int(env, 'PENDING_PLAYS_TOTAL', 1, 1_000_000) ?? f.pendingPlays.total;
  f.lostAfterMs = int(env, 'EDGE_LOST_AFTER_MS', 300, 600_000) ?? f.lostAfterMs;
  if (env.PUBLISHER_KEYS) f.publisherKeys = env.PUBLISHER_KEYS.split(',').filter(Boolean);
  f.operatorKey = env.OPERATOR_KEY || f.operatorKey;
  const p = c.phone;
  p.video.width = int(env, 'PHONE_WIDTH', 240, 2160) ?? p.video.width;
  p.video.height = int(env, 'PHONE_HEIGHT', 320, 3840) ?? p.video.height;
  p.video.fps = int(env, 'PHONE_FPS', 1, 60) ?? p.video.fps;
  p.video.bitrateKbps = int(env, 'PHONE_BITRATE_KBPS', 100, 100_000) ?? p.video.bitrateKbps;
  p.graceMs = (int(env, 'PHONE_GRACE_SECONDS', 1, 7 * 86_400) ?? p.graceMs / 1000) * 1000;
  p.idleMs = (int(env, 'PHONE_IDLE_SECONDS', 1, 7 * 86_400) ?? p.idleMs / 1000) * 1000;
  p.dataDir = env.EDGE_DATA_DIR || p.dataDir;
  if (env.TELCO_KEYS) p.telcoKeys = env.TELCO_KEYS.split(',').filter(Boolean);
  p.chromiumPath = env.CHROMIUM_PATH || p.chromiumPath;
  p.tokenSecret = env.PHONE_TOKEN_SECRET || p.tokenSecret;
  p.brokerDataDir = env.BROKER_DATA_DIR || p.brokerDataDir;
  const t = c.turn;
  if (env.TURN_URLS !== undefined)
    t.urls = env.TURN_URLS.split(',')
      .map((u) => u.trim())
      .filter(Boolean);
  t.secret = env.TURN_SECRET || t.secret;
  t.ttlSeconds = int(env, 'TURN_TTL_SECONDS', 60, 7 * 86_400) ?? t.ttlSeconds;
  if (env.TURN) t.local = env.TURN === 'local';
  t.localPort = int(env, 'TURN_LOCAL_PORT', 1, 65535) ?? t.localPort;
  if (env.TURN_EDGE_RELAY) t.edgeRelay = env.TURN_EDGE_RELAY !== 'false' && env.TURN_EDGE_RELAY !== '0';
  if (env.LOCAL_EDGE) c.localEdge = env.LOCAL_EDGE !== 'false' && env.LOCAL_EDGE !== '0';
  validate(c);
  return c;
}

function validate(c: Config): void {
  if (!(ENCODERS as readonly string[]).includes(c.edge.encoder)) throw new ConfigError(`encoder must be one of ${ENCODERS.join(', ')}`);
  if (!(LEVELS as readonly string[]).includes(c.logLevel)) throw new ConfigError(`logLevel must be one of ${LEVELS.join(', ')}`);
  const v = c.edge.video;
  if (!['enterprise', 'community'].includes(c.fleet.tier)) throw new ConfigError(`EDGE_TIER must be enterprise or community`);
  if (!['software-fallback', 'report-full'].includes(c.fleet.nvencPolicy)) throw new ConfigError(`NVENC_POLICY must be software-fallback or report-full`);
  checkKeyPairs(c.fleet.publisherKeys, 'PUBLISHER_KEYS', 'publisherId');
  checkKeyPairs(c.phone.telcoKeys, 'TELCO_KEYS', 'telcoId');
  if (c.phone.tokenSecret && c.phone.tokenSecret.length < 16) throw new ConfigError('PHONE_TOKEN_SECRET must have 16+ characters');
  // yuv420p and H.264 macroblocks want even sizes.
  if (v.width % 2 || v.height % 2) throw new ConfigError(`video size must be even, got ${v.width}x${v.height}`);
  // Only what the built-in source can run: a program title needs Xvfb on the edge, and a typo must not start a broken link.
  if (!BUILT_IN_TITLES.includes(c.demo.titleId)) throw new ConfigError(`DEMO_TITLE must be one of ${BUILT_IN_TITLES.join(', ')}, got '${c.demo.titleId}'`);
  if (!Number.isInteger(c.demo.motionBenchSeed) || c.demo.motionBenchSeed < 0 || c.demo.motionBenchSeed > 2 ** 32 - 1)
    throw new ConfigError('MOTION_BENCH_SEED must be an integer in 0..4294967295');
  checkTurn(c.turn);
  const pv = c.phone.video;
  if (pv.width % 2 || pv.height % 2) throw new ConfigError(`phone size must be even, got ${pv.width}x${pv.height}`);
}

function checkTurn(t: Config['turn']): void {
  for (const u of t.urls) if (!/^turns?:[^\s]+$/.test(u) || u.length > 512) throw new ConfigError(`TURN_URLS entries must be turn: or turns: URLs, got '${u}'`);
  if (t.secret && t.secret.length < 16) throw new ConfigError('TURN_SECRET must have 16+ characters');
  // A relay nobody can log in to would make every player behind a firewall fail late, at ICE.
  if (!t.local && t.urls.length > 0 && !t.secret) throw new ConfigError("TURN_URLS needs TURN_SECRET (coturn's static-auth-secret)");
}

function checkKeyPairs(pairs: string[], name: string, owner: string): void {
  for (const pair of pairs) {
    if (!/^[A-Za-z0-9_-]{1,64}:.{16,}$/.test(pair)) throw new ConfigError(`${name} entries must be ${owner}:key with a key of 16+ characters`);
  }
}

/** "owner:key" entries (validated at load) as pairs. */
export function keyPairs(pairs: readonly string[]): Array<{ owner: string; key: string }> {
  return pairs.map((p) => ({ owner: p.slice(0, p.indexOf(':')), key: p.slice(p.indexOf(':') + 1) }));
}

/** The config as it is safe to log (no secrets yet; the place to hide them when they come). */
export function describeConfig(c: Config): Record<string, unknown> {
  const copy = structuredClone(c);
  const hide = (v: string) => (v ? '<set>' : '<generated>');
  copy.fleet.secret = hide(copy.fleet.secret);
  copy.fleet.operatorKey = hide(copy.fleet.operatorKey);
  copy.fleet.publisherKeys = copy.fleet.publisherKeys.map((p) => `${p.split(':')[0]}:<hidden>`);
  copy.phone.telcoKeys = copy.phone.telcoKeys.map((p) => `${p.split(':')[0]}:<hidden>`);
  copy.phone.tokenSecret = hide(copy.phone.tokenSecret);
  copy.turn.secret = hide(copy.turn.secret);
  return copy as unknown as Record<string, unknown>;
}

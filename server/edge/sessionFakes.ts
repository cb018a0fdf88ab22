/** Fakes for the edge's session tests: an encoder that does nothing, and a small game session around a given source. */
import pino from 'pino';
import { EdgeSession, type SessionPolicy } from './edgeSession.ts';
import type { BitrateInfo } from '../../protocol/index.ts';
import type { FrameSource, VideoEncoder, Viewer } from './ports.ts';

/** An encoder that does nothing but remember the rate it was last set to (and every change, in `rates`). */
export function fakeEncoder(onClose: () => void = () => {}, startKbps = 4000): VideoEncoder & { rates: { kbps: number; reason: string }[] } {
  let kbps = startKbps;
  const rates: { kbps: number; reason: string }[] = [];
  return {
    start: async () => {},
    pushFrame: () => {},
    requestKeyframe: () => {},
    bitrateKbps: () => kbps,
    setBitrate: (k, reason) => {
      kbps = k;
      rates.push({ kbps: k, reason });
    },
    rates,
    onRtp: () => {},
    onFailed: () => {},
    pids: () => [],
    close: async () => onClose(),
  };
}

export function fakeGameSession(o: {
  source: FrameSource;
  encoder?: VideoEncoder;
  policy?: Partial<Extract<SessionPolicy, { kind: 'game' }>>;
  now?: () => number;
  congestion?: { minKbps: number };
}): EdgeSession {
  return new EdgeSession({
    id: '00000000-0000-4000-8000-000000000001',
    titleId: 'demo',
    policy: { kind: 'game', playLimitMs: 600_000, idleViewerTimeoutMs: 60_000, joinTimeoutMs: 60_000, ...o.policy },
    video: { width: 64, height: 64, fps: 10, codec: 'H264', encoder: 'libx264' },
    inputBudget: { eventsPerSecond: 100, bytesPerSecond: 64_000, maxHeld: 20, abuseEndSeconds: 3 },
    source: o.source,
    encoder: o.encoder ?? fakeEncoder(),
    logger: pino({ level: 'silent' }),
    ...(o.now ? { now: o.now } : {}),
    ...(o.congestion ? { congestion: o.congestion } : {}),
  });
}

/** A connected viewer that records what it was told: notices and its end as text, bitrate reports as they came. */
export function fakeViewer(id: string, role: Viewer['role'] = 'player') {
  const said: string[] = [];
  const bitrates: BitrateInfo[] = [];
  const viewer: Viewer = {
    id,
    role,
    isConnected: true,
    followedGeneration: () => 0,
    followGeneration: () => {},
    writeRtp: () => {},
    writeAudioRtp: () => {},
    notice: (code) => said.push(`notice ${code}`),
    bitrate: (info) => bitrates.push(info),
    end: (reason) => said.push(`ended ${reason}`),
  };
  return { viewer, said, bitrates };
}

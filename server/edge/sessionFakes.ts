/** Fakes for the edge's session tests: an encoder that does nothing, and a small game session around a given source. */
import pino from 'pino';
import { EdgeSession, type SessionPolicy } from './edgeSession.ts';
import type { FrameSource, VideoEncoder } from './ports.ts';

export function fakeEncoder(onClose: () => void = () => {}): VideoEncoder {
  return { start: async () => {}, pushFrame: () => {}, requestKeyframe: () => {}, onRtp: () => {}, onFailed: () => {}, pids: () => [], close: async () => onClose() };
}

export function fakeGameSession(o: { source: FrameSource; encoder?: VideoEncoder; policy?: Partial<Extract<SessionPolicy, { kind: 'game' }>>; now?: () => number }): EdgeSession {
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
  });
}

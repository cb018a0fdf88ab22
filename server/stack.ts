/**
 * Composition root of the single-process default: the broker and one local
 * edge on one HTTP server. Built without listening (the entry point listens),
 * so tests can boot it on port 0.
 */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Logger } from 'pino';
import { SIGNAL_PATH, type VideoInfo } from '../protocol/index.ts';
import { DEFAULT_CATALOG, BUILTIN_GAME_ID, type DemoLink } from '../sessions/index.ts';
import { probeEncoders, codecOf, VideoEncoderPipeline, EncoderPool, encoderSlotOptions, type EncoderName, type VideoPipelineOptions } from '../encoder/index.ts';
import { buildClient } from '../client/build.ts';
import type { Config } from './config.ts';
import { EdgeHost, NoCapacityError } from './edge/edgeHost.ts';
import { createBrokerApp } from './broker/brokerApp.ts';
import type { EdgeDirectory } from './broker/edgeDirectory.ts';
import { createSource } from './sources/catalogSources.ts';
import { pipelineAsVideoEncoder } from './edge/encoderAdapter.ts';
import { warmUpWebRtc } from './webrtc/viewerPeer.ts';

const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client');

export type Stack = { server: http.Server; edge: EdgeHost; encoder: EncoderName; close(): Promise<void> };

/** The built-in link `npm start` prints: the demo game, open to anyone. */
export const DEMO_LINK_ID = 'demo';

export async function createStack(config: Config, ffmpegPath: string, logger: Logger): Promise<Stack> {
  const v = config.edge.video;
  const candidates = config.edge.encoder === 'auto' ? undefined : [config.edge.encoder];
  const [probe, client, playerHtml, playerCss] = await Promise.all([
    probeEncoders({ ffmpegPath, logger: logger.child({ module: 'encoder-probe' }), candidates }),
    buildClient(),
    readFile(path.join(CLIENT_DIR, 'player.html'), 'utf8'),
    readFile(path.join(CLIENT_DIR, 'player.css'), 'utf8'),
  ]);
  const video: VideoInfo = { width: v.width, height: v.height, fps: v.fps, codec: codecOf(probe.chosen), encoder: probe.chosen };

  const encoderLog = logger.child({ module: 'encoder' });
  const pipelineOptions: Omit<VideoPipelineOptions, 'logger' | 'pool'> = {
    ffmpegPath,
    encoder: probe.chosen,
    width: v.width,
    height: v.height,
    fps: v.fps,
    bitrateKbps: v.bitrateKbps,
    gopSeconds: v.gopSeconds,
    payloadType: 96,
  };
  const READY_TIMEOUT_MS = 3000;
  const pool = new EncoderPool({
    size: config.edge.warmEncoders,
    slot: encoderSlotOptions({ ...pipelineOptions, logger: encoderLog }, encoderLog, READY_TIMEOUT_MS),
    logger: encoderLog,
  });
  await Promise.all([pool.fill(), warmUpWebRtc()]);

  const edge = new EdgeHost({
    id: config.edge.id,
    maxSessions: config.edge.maxSessions,
    video,
    idleViewerTimeoutMs: config.edge.idleViewerTimeoutMs,
    inputRatePerSecond: config.edge.inputRatePerSecond,
    iceAdditionalHostAddresses: config.edge.iceAdditionalHostAddresses,
    icePortRange: config.edge.icePortRange,
    createSource: (titleId) => createSource(titleId, v),
    createEncoder: (log) =>
      pipelineAsVideoEncoder(
        new VideoEncoderPipeline({ ...pipelineOptions, readyTimeoutMs: READY_TIMEOUT_MS, pool, logger: log.child({ module: 'encoder' }) }),
      ),
    logger,
  });

  const localEdge: EdgeDirectory = {
    async prepare(o) {
      try {
        await edge.prepareSession(o);
      } catch (err) {
        if (err instanceof NoCapacityError) return undefined;
        throw err;
      }
      return { edgeId: edge.id, signalUrl: `${SIGNAL_PATH}?session=${o.sessionId}`, video };
    },
    hasSession: (id) => {
      const s = edge.session(id);
      return s !== undefined && s.phase !== 'ended';
    },
  };

  const links: DemoLink[] = [{ id: DEMO_LINK_ID, titleId: BUILTIN_GAME_ID, playSeconds: config.demo.playSeconds }];
  const app = createBrokerApp({
    catalog: DEFAULT_CATALOG,
    links,
    edges: localEdge,
    playerHtml,
    playerJs: client.js,
    playerCss,
    logger,
  });

  const server = http.createServer(app);
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === SIGNAL_PATH) edge.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  return {
    server,
    edge,
    encoder: probe.chosen,
    async close() {
      await Promise.all([edge.close(), pool.close()]);
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

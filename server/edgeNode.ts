/**
 * Composition root of an edge host: probes the encoders, keeps warm ones,
 * runs sessions, serves the probe and signalling endpoints, and registers
 * with its broker. Built without listening; `edgeMain.ts` listens for a
 * stand-alone edge, `stack.ts` puts one next to the broker.
 */
import path from 'node:path';
import type express from 'express';
import type { Logger } from 'pino';
import { EndReason, SIGNAL_PATH, PHONE_SHELL_ORIGIN, PHONE_SHELL_PATH, isEndReason, type EdgeCapacity, type VideoInfo } from '../protocol/index.ts';
import { ReplayGuard, sessionIceServers, verifyTicket } from '../sessions/index.ts';
import type { TurnRelay } from './broker/placedSession.ts';
import {
  probeEncoders,
  codecOf,
  VideoEncoderPipeline,
  AudioEncoderPipeline,
  EncoderPool,
  encoderSlotOptions,
  type EncoderName,
  type VideoPipelineOptions,
} from '../encoder/index.ts';
import type { Config } from './config.ts';
import type { UpgradeRoute } from './upgradeRouter.ts';
import { EdgeHost, NoCapacityError } from './edge/edgeHost.ts';
import { BrokerLink, type PrepareResult } from './edge/brokerLink.ts';
import { createEdgeRoutes } from './edge/edgeRoutes.ts';
import { createSource } from './sources/catalogSources.ts';
import { pipelineAsAudioEncoder, pipelineAsVideoEncoder } from './edge/encoderAdapter.ts';
import { warmUpWebRtc } from './webrtc/viewerPeer.ts';
import { deletePhoneData } from './edge/phoneData.ts';
import { LeftoverGroups } from './edge/leftoverGroups.ts';
import { buildPhoneShell } from '../client/phone-shell/build.ts';

export type EdgeNode = {
  host: EdgeHost;
  encoder: EncoderName;
  video: VideoInfo;
  routes: express.Router;
  link: BrokerLink;
  /** Takes an HTTP upgrade if it is the edge's; false otherwise. */
  handleUpgrade: UpgradeRoute;
  close(): Promise<void>;
};

const READY_TIMEOUT_MS = 3000;

export type EdgeNodeOptions = {
  config: Config;
  ffmpegPath: string;
  /** The broker to register with (the in-process one in the single-process default). */
  brokerUrl: () => string;
  secret: string;
  /** URL browsers reach this edge at. */
  publicUrl: () => string;
  /** URL this edge's own processes reach its HTTP server at (loopback): the phone shell is loaded from it. */
  localUrl: () => string;
  /** A relay this edge's own peers gather candidates from (TURN_EDGE_RELAY); none: host candidates only, as before. */
  turn?: TurnRelay;
  logger: Logger;
};

/** Each viewer's relay credentials, bound to its session, as long as a session may last without a limit. */
const iceServersFor = (turn: TurnRelay) => (sessionId: string) => sessionIceServers(turn, { sessionId, lifetimeSeconds: turn.ttlSeconds, nowMs: Date.now() });

export async function createEdgeNode(o: EdgeNodeOptions): Promise<EdgeNode> {
  const { config, ffmpegPath, secret, logger } = o;
  const v = config.edge.video;
  const f = config.fleet;
  const log = logger.child({ module: 'edge', edgeId: config.edge.id });
  const candidates = config.edge.encoder === 'auto' ? undefined : [config.edge.encoder];
  const probe = await probeEncoders({ ffmpegPath, logger: logger.child({ module: 'encoder-probe' }), candidates });
  const video: VideoInfo = { width: v.width, height: v.height, fps: v.fps, codec: codecOf(probe.chosen), encoder: probe.chosen };
  const pv = config.phone.video;
  const phoneVideo: VideoInfo = { width: pv.width, height: pv.height, fps: pv.fps, codec: video.codec, encoder: probe.chosen };
  const dataRoot = path.resolve(config.phone.dataDir);
  // Before any child starts: what a run of this edge killed with SIGKILL left behind goes first.
  const children = new LeftoverGroups(dataRoot, config.edge.id, log);
  const leftovers = await children.clean();
  if (leftovers.groups > 0 || leftovers.paths > 0) log.warn({ ...leftovers }, 'cleaned what a previous run left');
  const isNvenc = probe.chosen === 'h264_nvenc';
  let nvencInUse = 0;

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
    children,
  };
  const pool = new EncoderPool({
    size: config.edge.warmEncoders,
    slot: encoderSlotOptions({ ...pipelineOptions, logger: encoderLog }, encoderLog, READY_TIMEOUT_MS),
    logger: encoderLog,
  });
  await Promise.all([pool.fill(), warmUpWebRtc()]);

  let ticketKey: string | undefined;
  const replayGuard = new ReplayGuard();
  const host: EdgeHost = new EdgeHost({
    id: config.edge.id,
    maxSessions: config.edge.maxSessions,
    video,
    phoneVideo,
    idleViewerTimeoutMs: config.edge.idleViewerTimeoutMs,
    joinTimeoutMs: config.edge.joinTimeoutMs,
    spectators: config.edge.spectators,
    phoneLimits: { graceMs: config.phone.graceMs, idleMs: config.phone.idleMs },
    inputBudget: config.edge.inputBudget,
    ...(config.edge.congestion.enabled ? { congestion: { minKbps: config.edge.congestion.minKbps } } : {}),
    iceAdditionalHostAddresses: config.edge.iceAdditionalHostAddresses,
    icePortRange: config.edge.icePortRange,
    ...(o.turn ? { iceServersFor: iceServersFor(o.turn) } : {}),
    createSource: (req, sessionVideo, sessionLog) =>
      createSource(req, sessionVideo, {
        ffmpegPath,
        logger: sessionLog.child({ module: 'source' }),
        motionBenchSeed: config.demo.motionBenchSeed,
        children,
        phone: {
          dataRoot,
          shellUrl: `${PHONE_SHELL_ORIGIN}${PHONE_SHELL_PATH}/index.html`,
          shellServer: () => new URL(o.localUrl()).host,
          chromiumPath: config.phone.chromiumPath,
        },
      }),
    deletePhoneData: async (phone) => deletePhoneData(dataRoot, phone),
    createEncoder: (sessionLog, sessionVideo) => {
      // Warm encoders are of the edge's default stream; a phone's portrait stream starts its own.
      const pooled = sessionVideo.width === v.width && sessionVideo.height === v.height && sessionVideo.fps === v.fps;
      const size = pooled ? {} : { width: sessionVideo.width, height: sessionVideo.height, fps: sessionVideo.fps, bitrateKbps: pv.bitrateKbps };
      // NVENC sessions are capped per machine on consumer GPUs; past the cap a
      // session encodes in software (the 'report-full' policy never gets here:
      // the edge reports no capacity instead).
      const useNvenc = isNvenc && nvencInUse < f.nvencSessionCap;
      if (useNvenc) nvencInUse++;
      const pipeline = new VideoEncoderPipeline({
        ...pipelineOptions,
        ...size,
        ...(isNvenc && !useNvenc ? { encoder: 'libx264' as const } : {}),
        readyTimeoutMs: READY_TIMEOUT_MS,
        pool: pooled && (!isNvenc || useNvenc) ? pool : undefined,
        logger: sessionLog.child({ module: 'encoder' }),
      });
      const encoder = pipelineAsVideoEncoder(pipeline);
      const close = encoder.close;
      let released = false;
      encoder.close = () => {
        if (useNvenc && !released) {
          released = true;
          nvencInUse--;
        }
        return close();
      };
      return encoder;
    },
    // One Opus ffmpeg per session with sound (a few % of a core at 64 kbps); werift rewrites ffmpeg's PT 111 to the negotiated one.
    createAudioEncoder: (sessionLog) =>
      pipelineAsAudioEncoder(
        new AudioEncoderPipeline({
          ffmpegPath,
          payloadType: 111,
          bitrateKbps: 64,
          frameMs: 20,
          readyTimeoutMs: READY_TIMEOUT_MS,
          children,
          logger: sessionLog.child({ module: 'audio' }),
        }),
      ),
    verifyTicket: (ticket, sessionId, role) => {
      if (!ticketKey) return { ok: false, code: 'not-registered', message: 'This edge is not registered with a broker yet.' };
      if (!ticket) return { ok: false, code: 'ticket-missing', message: 'A ticket from the broker is required.' };
      const r = verifyTicket(ticketKey, ticket, { edgeId: config.edge.id, sessionId, now: Date.now(), seen: replayGuard, role });
      return r.ok ? { ok: true } : { ok: false, code: r.code, message: `Ticket refused: ${r.code}.` };
    },
    onSessionEnded: (s) => link.sessionEnded(s.id, s.reason, s.secondsStreamed),
    logger,
  });

  const capacity = (): EdgeCapacity => {
    const nvencFree = isNvenc ? Math.max(0, f.nvencSessionCap - nvencInUse) : 0;
    const full = isNvenc && nvencFree === 0 && f.nvencPolicy === 'report-full';
    return {
      maxSessions: config.edge.maxSessions,
      sessionsInUse: full ? config.edge.maxSessions : host.load.sessions,
      encoder: probe.chosen,
      encoderKind: isNvenc ? 'nvenc' : 'software',
      nvencSessionsFree: nvencFree,
    };
  };

  const prepare = async (msg: { sessionId: string; titleId: string; playSeconds: number }): Promise<PrepareResult> => {
    const c = capacity();
    if (c.sessionsInUse >= c.maxSessions) return { ok: false, code: 'no-capacity', message: 'edge is full' };
    try {
      await host.prepareSession(msg);
      return { ok: true };
    } catch (err) {
      if (err instanceof NoCapacityError) return { ok: false, code: 'no-capacity', message: err.message };
      return { ok: false, code: 'start-failed', message: (err as Error).message };
    }
  };

  const link = new BrokerLink({
    brokerUrl: o.brokerUrl,
    secret,
    edgeId: config.edge.id,
    region: f.region,
    location: f.location,
    publicUrl: o.publicUrl,
    tier: f.tier,
    video,
    capacity,
    sessions: () => host.sessionIds(),
    phoneSessions: () => host.phoneSessionList(),
    streamedSeconds: () => host.streamedSeconds(),
    playersConnected: () => host.connectedSessionIds(),
    prepare,
    endSession: (sessionId, reason) => host.endSession(sessionId, isEndReason(reason) ? reason : EndReason.edgeShutdown),
    deletePhoneData: (phone) => {
      host
        .deletePhoneData(phone)
        .catch((err: unknown) => log.error({ instanceId: phone.instanceId, err: (err as Error).message }, 'deleting phone data failed'));
    },
    drain: (draining) => {
      host.draining = draining;
      log.info({ draining }, 'drain changed');
      link.heartbeat();
    },
    ticketKey: (key) => (ticketKey = key),
    logger: log,
  });

  return {
    host,
    encoder: probe.chosen,
    video,
    routes: createEdgeRoutes(host, await buildPhoneShell()),
    link,
    handleUpgrade: (url, req, socket, head) => {
      if (url.pathname !== SIGNAL_PATH) return false;
      host.handleUpgrade(url, req, socket, head);
      return true;
    },
    async close() {
      link.close();
      await Promise.all([host.close(), pool.close()]);
    },
  };
}

/**
 * The TURN relay a process hands out credentials for (server/config.ts
 * `turn`): none; a fleet's coturn given by TURN_URLS and TURN_SECRET; or, with
 * TURN=local, a coturn this process starts and stops (npm start on one
 * machine, where the edge is local too, so loopback peers are allowed).
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { TurnRelay } from '../broker/placedSession.ts';
import { LocalTurnServer, newTurnSecret } from './localTurnServer.ts';

export type ProcessTurn = { relay: TurnRelay | undefined; stop(): Promise<void> };

export async function startProcessTurn(t: Config['turn'], listenIp: string, logger: Logger): Promise<ProcessTurn> {
  if (!t.local)
    return { relay: t.urls.length > 0 && t.secret ? { urls: t.urls, secret: t.secret, ttlSeconds: t.ttlSeconds } : undefined, stop: async () => {} };
  const secret = t.secret || newTurnSecret();
  const log = logger.child({ module: 'turn' });
  const local = await LocalTurnServer.start({ listenIp, port: t.localPort, secret, allowLoopbackPeers: true, logger: log });
  local.onDied((death) =>
    log.error({ code: death.code, signal: death.signal, stderr: death.stderrTail }, 'local TURN server died: players without a direct path cannot connect'),
  );
  // TURN_URLS names it as players reach it (a LAN address); else the loopback address this machine's browser uses.
  const urls = t.urls.length > 0 ? t.urls : local.urls;
  log.info({ urls, port: t.localPort }, 'local TURN server running');
  return { relay: { urls, secret, ttlSeconds: t.ttlSeconds }, stop: () => local.stop() };
}

/** The relay an edge's own peers use: only with TURN_EDGE_RELAY (an edge behind NAT); players get theirs from the broker. */
export const edgeRelayOf = (t: Config['turn'], relay: TurnRelay | undefined): TurnRelay | undefined => (t.edgeRelay ? relay : undefined);

/**
 * Composition root of a broker process, with a local edge next to it in the
 * single-process default (`npm start`). The local edge registers with the
 * broker over loopback through the same link as any remote edge, so there is
 * one code path for placement whatever the deployment. Built without
 * listening: call start() once the server listens.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { EDGE_LINK_PATH } from '../protocol/index.ts';
import { DEFAULT_CATALOG } from '../sessions/index.ts';
import { buildClient, buildPhoneApp, readPhoneAppFiles } from '../client/build.ts';
import { keyPairs, type Config } from './config.ts';
import { createBrokerApp } from './broker/brokerApp.ts';
import { EdgeLinkServer } from './broker/edgeLinkServer.ts';
import { FleetBroker } from './broker/fleetBroker.ts';
import { ApiKeys } from './broker/auth.ts';
import { PhoneService } from './broker/phoneService.ts';
import { PhoneStateFile } from './broker/phoneStateFile.ts';
import { createPhoneRoutes } from './broker/phoneRoutes.ts';
import { createEdgeNode, type EdgeNode } from './edgeNode.ts';
import { routeUpgrades, type UpgradeRoute } from './upgradeRouter.ts';
import { edgeRelayOf, startProcessTurn } from './turn/turnRelay.ts';

const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client');

/** The built-in link `npm start` prints: the demo game, open to anyone. */
export const DEMO_LINK_ID = 'demo';
/** The telco that owns the generated telco key when none is configured. */
export const DEMO_TELCO_ID = 'demo-telco';

export type Stack = {
  server: http.Server;
  edge?: EdgeNode;
  fleet: FleetBroker;
  phone: PhoneService;
  /** Keys generated for this run when none were configured (printed once at start). */
  generated: { publisherKey?: string; operatorKey?: string; telcoKey?: string };
  /** After listen: learns the URL, registers the local edge. */
  start(): Promise<{ baseUrl: string }>;
  close(): Promise<void>;
};

const newKey = () => randomBytes(24).toString('base64url');

export async function createStack(config: Config, ffmpegPath: string, logger: Logger): Promise<Stack> {
  const f = config.fleet;
  const secret = f.secret || newKey();
  const generated: Stack['generated'] = {};
  const publisherPairs = keyPairs(f.publisherKeys);
  if (publisherPairs.length === 0) publisherPairs.push({ owner: 'demo-publisher', key: (generated.publisherKey = newKey()) });
  const operatorKey = f.operatorKey || (generated.operatorKey = newKey());
  const telcoPairs = keyPairs(config.phone.telcoKeys);
  if (telcoPairs.length === 0) telcoPairs.push({ owner: DEMO_TELCO_ID, key: (generated.telcoKey = newKey()) });

  const [client, playerHtml, playerCss, phoneApp, phonePage] = await Promise.all([
    buildClient(),
    readFile(path.join(CLIENT_DIR, 'player.html'), 'utf8'),
    readFile(path.join(CLIENT_DIR, 'player.css'), 'utf8'),
    buildPhoneApp(),
    readPhoneAppFiles(),
  ]);

  const turn = await startProcessTurn(config.turn, config.host, logger);
  const edgeRelay = edgeRelayOf(config.turn, turn.relay);
  let baseUrl = config.publicUrl;
  const links: { server?: EdgeLinkServer } = {};
  const linkServer = (): EdgeLinkServer => {
    if (!links.server) throw new Error('the edge link server is made right after the fleet broker, before any edge can link');
    return links.server;
  };
  const fleet = new FleetBroker({
    catalog: DEFAULT_CATALOG,
    builtinLink: { id: DEMO_LINK_ID, titleId: config.demo.titleId, playSeconds: config.demo.playSeconds },
    heartbeatMs: f.heartbeatMs,
    lostAfterMs: f.lostAfterMs,
    ticketTtlMs: f.ticketTtlMs,
    placementTtlMs: f.placementTtlMs,
    pendingPlays: { ...f.pendingPlays, joinWindowMs: config.edge.joinTimeoutMs },
    resumeSecret: secret,
    ...(turn.relay ? { turn: turn.relay } : {}),
    links: {
      prepare: (edgeId, req, deadlineMs) => linkServer().prepare(edgeId, req, deadlineMs),
      endSession: (edgeId, sessionId, reason) => linkServer().endSession(edgeId, sessionId, reason),
      drain: (edgeId, draining) => linkServer().drain(edgeId, draining),
      disconnect: (edgeId) => linkServer().disconnect(edgeId),
      deletePhoneData: (edgeId, phone) => linkServer().deletePhoneData(edgeId, phone),
    },
    logger: logger.child({ module: 'fleet' }),
  });
  // The phone registry survives restarts; the token key is not derived from the fleet secret (every edge holds that one).
  const phoneState = new PhoneStateFile(
    path.resolve(config.phone.brokerDataDir || path.join(config.phone.dataDir, 'broker')),
    logger.child({ module: 'phone' }),
  );
  const phone = new PhoneService({
    fleet,
    tokenKey: config.phone.tokenSecret || phoneState.tokenKey(),
    subscribers: phoneState.subscribers,
    instances: phoneState.instances,
    logger,
  });
  links.server = new EdgeLinkServer({ secret, heartbeatMs: f.heartbeatMs, events: fleet.linkEvents, logger: logger.child({ module: 'edge-links' }) });

  const app = createBrokerApp({
    catalog: DEFAULT_CATALOG,
    featuredLinks: [{ id: DEMO_LINK_ID, titleId: config.demo.titleId }],
    fleet,
    publishers: new ApiKeys(publisherPairs),
    operators: new ApiKeys([{ owner: 'operator', key: operatorKey }]),
    playerHtml,
    playerJs: client.js,
    playerCss,
    routers: [createPhoneRoutes({ phone, telcos: new ApiKeys(telcoPairs), appHtml: phonePage.html, appJs: phoneApp.js, appCss: phonePage.css })],
    logger,
  });

  const server = http.createServer(app);
  let port = 0;
  const edge = config.localEdge
    ? await createEdgeNode({
        config,
        ffmpegPath,
        brokerUrl: () => `ws://127.0.0.1:${port}`,
        secret,
        publicUrl: () => config.fleet.edgePublicUrl || baseUrl,
        localUrl: () => `http://127.0.0.1:${port}`,
        ...(edgeRelay ? { turn: edgeRelay } : {}),
        logger,
      })
    : undefined;
  if (edge) app.use(edge.routes);

  const edgeLinkRoute: UpgradeRoute = (url, req, socket, head) => {
    if (url.pathname !== EDGE_LINK_PATH || !links.server) return false;
    links.server.handleUpgrade(req, socket, head);
    return true;
  };
  routeUpgrades(server, edge ? [edgeLinkRoute, edge.handleUpgrade] : [edgeLinkRoute], logger);

  return {
    server,
    edge,
    fleet,
    phone,
    generated,
    async start() {
      port = (server.address() as AddressInfo).port;
      const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
      baseUrl = (config.publicUrl || `http://${host}:${port}`).replace(/\/$/, '');
      fleet.start();
      if (edge) {
        edge.link.start();
        await edge.link.registered;
      }
      return { baseUrl };
    },
    async close() {
      fleet.stop();
      await edge?.close();
      links.server?.close();
      await new Promise<void>((r) => server.close(() => r()));
      await turn.stop();
    },
  };
}

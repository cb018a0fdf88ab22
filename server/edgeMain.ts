/**
 * `npm run edge`: a stand-alone edge host that registers with a broker.
 *   BROKER_URL=http://broker:8080 FLEET_SECRET=… EDGE_ID=eu-west-1 EDGE_REGION=eu-west \
 *   EDGE_LAT=53.3 EDGE_LON=-6.2 EDGE_TIER=community PUBLIC_URL=http://this-host:8081 PORT=8081 npm run edge
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describeConfig, ConfigError } from './config.ts';
import { createLogger } from './logging.ts';
import { resolveFfmpegPath } from '../encoder/index.ts';
import { createEdgeNode } from './edgeNode.ts';
import { routeUpgrades } from './upgradeRouter.ts';
import { edgeRelayOf } from './turn/turnRelay.ts';
import { installFaultPolicy, listen, loadConfigOrExit, stopOnSignals } from './process.ts';

async function main(): Promise<void> {
  const config = loadConfigOrExit({ PORT: '8081', ...process.env }, (c) => {
    if (!c.fleet.brokerUrl) throw new ConfigError('BROKER_URL is required for a stand-alone edge');
    if (!c.fleet.secret) throw new ConfigError('FLEET_SECRET is required for a stand-alone edge (the broker must have the same)');
  });
  const logger = createLogger(config.logLevel);
  installFaultPolicy(logger);
  logger.info({ config: describeConfig(config) }, 'starting edge');
  const ffmpeg = resolveFfmpegPath(process.env);
  let publicUrl = config.fleet.edgePublicUrl || config.publicUrl;
  let port = 0;
  const edge = await createEdgeNode({
    config,
    ffmpegPath: ffmpeg.path,
    brokerUrl: () => config.fleet.brokerUrl,
    secret: config.fleet.secret,
    publicUrl: () => publicUrl,
    localUrl: () => `http://127.0.0.1:${port}`,
    ...(config.turn.edgeRelay && config.turn.secret
      ? { turn: edgeRelayOf(config.turn, { urls: config.turn.urls, secret: config.turn.secret, ttlSeconds: config.turn.ttlSeconds }) }
      : {}),
    logger,
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(edge.routes);
  const server = http.createServer(app);
  routeUpgrades(server, [edge.handleUpgrade], logger);
  await listen(server, config.port, config.host);
  port = (server.address() as AddressInfo).port;
  publicUrl ||= `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  edge.link.start();
  logger.info({ port, publicUrl, encoder: edge.encoder }, 'edge listening');
  process.stdout.write(
    `\n  Edge ${config.edge.id} (${config.fleet.region}, ${config.fleet.tier}) listening on ${publicUrl}, broker ${config.fleet.brokerUrl}\n\n`,
  );
  stopOnSignals(logger, async () => {
    await edge.close();
    server.close();
  });
}

main().catch((err: unknown) => {
  // With the stack: a start-up failure is reported with where it came from.
  console.error('failed to start:', err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});

/**
 * `npm start`: broker plus a local edge in one process, on PORT (8080).
 * The only place that reads process.env.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig, describeConfig, ConfigError } from './config.ts';
import { createLogger } from './logging.ts';
import { resolveFfmpegPath } from '../encoder/index.ts';
import { createStack, DEMO_LINK_ID } from './stack.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  logger.info({ config: describeConfig(config) }, 'starting');
  const ffmpeg = resolveFfmpegPath(process.env);
  logger.info({ ffmpeg }, 'ffmpeg resolved');

  const stack = await createStack(config, ffmpeg.path, logger);
  await new Promise<void>((resolve, reject) => {
    stack.server.once('error', reject);
    stack.server.listen(config.port, config.host, () => resolve());
  });
  const { port } = stack.server.address() as AddressInfo;
  const base = config.publicUrl || `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  const demoUrl = `${base.replace(/\/$/, '')}/play/${DEMO_LINK_ID}`;
  logger.info({ port, encoder: stack.encoder, demoUrl }, 'ready');
  process.stdout.write(`\n  Edgeplay is running (encoder: ${stack.encoder}).\n  Play the demo: ${demoUrl}\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 8_000);
    force.unref();
    stack.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});

/** Process plumbing shared by the entry points: listening and graceful stop. */
import type http from 'node:http';
import type { Logger } from 'pino';
import { loadConfig, ConfigError, type Config } from './config.ts';

/** The process's config, or exit 2 with the reason (a configuration error is not a crash). */
export function loadConfigOrExit(env: Record<string, string | undefined>, check?: (c: Config) => void): Config {
  try {
    const config = loadConfig(env);
    check?.(config);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

export function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/** SIGINT/SIGTERM: close everything (sessions end with edge-shutdown), exit; force after 8 s. */
export function stopOnSignals(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => process.exit(1), 8_000).unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

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

/** What a stop closes (set by stopOnSignals once the process is up). */
let closeProcess: (() => Promise<void>) | undefined;
let stopping = false;

/** Closes everything (sessions end with edge-shutdown, children are stopped), then exits; forced after `graceMs`. */
function stopProcess(logger: Logger, why: Record<string, unknown>, exitCode: number, graceMs: number): void {
  if (stopping) return;
  stopping = true;
  logger.info(why, 'stopping');
  setTimeout(() => process.exit(exitCode || 1), graceMs).unref();
  (closeProcess?.() ?? Promise.resolve()).then(
    () => process.exit(exitCode),
    () => process.exit(1),
  );
}

/** SIGINT/SIGTERM: close everything (sessions end with edge-shutdown), exit; force after 8 s. */
export function stopOnSignals(logger: Logger, close: () => Promise<void>): void {
  closeProcess = close;
  process.on('SIGINT', () => stopProcess(logger, { signal: 'SIGINT' }, 0, 8_000));
  process.on('SIGTERM', () => stopProcess(logger, { signal: 'SIGTERM' }, 0, 8_000));
}

/**
 * The process-level policy for exceptions nothing caught. Outside input
 * never gets here: every handler that parses it fails closed
 * (server/failClosed.ts, server/upgradeRouter.ts). So what does get here is
 * a bug in our code whose state we cannot trust: log it with its stack,
 * stop the children and sessions cleanly (so no ffmpeg or Chromium is left
 * behind) and exit non-zero, for a supervisor to restart the process.
 */
export function installFaultPolicy(logger: Logger): void {
  process.on('uncaughtException', (err, origin) => {
    logger.fatal({ err, origin }, 'uncaught exception (a bug): stopping');
    stopProcess(logger, { reason: 'uncaught-exception' }, 70, 3_000);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection (a bug): stopping');
    stopProcess(logger, { reason: 'unhandled-rejection' }, 70, 3_000);
  });
}

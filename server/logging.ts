/**
 * One pino root logger per process; modules take child loggers bound to
 * `module` (and `sessionId` where there is one). Lifecycle changes at info,
 * per-frame and per-packet data never in logs.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

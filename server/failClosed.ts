/**
 * Fail closed at every boundary where outside input enters an event handler
 * (HTTP upgrades, WebSocket and data-channel messages, DevTools events).
 * Malformed input is answered where it is parsed; this catches what slips
 * past (a bug exposed by an input nobody thought of), so that one client's
 * request ends, at worst, that client's socket or session and never
 * reaches the process-level policy in process.ts, which exits.
 *
 * Each boundary keeps a count; the first fault is logged with its stack
 * and later ones at each power of ten, so a flood cannot flood the log.
 */
import type { Logger } from 'pino';

const counts = new Map<string, number>();

/** Faults caught so far, by boundary (for the logs today, for metrics later). */
export function faultCounts(): ReadonlyMap<string, number> {
  return counts;
}

/** Counts one fault (or one piece of bad input) at `boundary` and logs it if it is the 1st, 10th, 100th, … */
export function noteFault(log: Logger, boundary: string, err: unknown, context: Record<string, unknown> = {}): number {
  const n = (counts.get(boundary) ?? 0) + 1;
  counts.set(boundary, n);
  if (isPowerOfTen(n)) log.warn({ ...context, boundary, count: n, err }, `input rejected at ${boundary}`);
  return n;
}

/**
 * Wraps an event handler: a throw (or a rejected promise) is counted and
 * handed to `onFault`, which closes what belongs to that client.
 */
export function failClosed<A extends unknown[]>(
  log: Logger,
  boundary: string,
  handler: (...args: A) => unknown,
  onFault: (err: unknown) => void,
): (...args: A) => void {
  const fault = (err: unknown) => {
    noteFault(log, boundary, err);
    try {
      onFault(err);
    } catch (closeErr) {
      log.error({ boundary, err: closeErr }, 'closing after a fault failed');
    }
  };
  return (...args: A) => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) result.catch(fault);
    } catch (err) {
      fault(err);
    }
  };
}

function isPowerOfTen(n: number): boolean {
  while (n >= 10 && n % 10 === 0) n /= 10;
  return n === 1;
}

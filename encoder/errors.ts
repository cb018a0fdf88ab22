import type { EndReason } from '../protocol/index.ts';

/**
 * Where an ffmpeg child failed. Kept apart because the remedies differ:
 * 'start' is usually a bad argument, a missing device or driver (look at
 * the stderr tail), 'running' is a crash or a kill while streaming.
 */
export type EncoderFailurePhase = 'start' | 'running';

/** The one error this module raises for a broken encoder; carries ffmpeg's last words. */
export class EncoderError extends Error {
  /** The session end reason the server reports for this error (protocol/errors.ts). */
  readonly reason: EndReason = 'encoder-failed';
  readonly phase: EncoderFailurePhase;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: readonly string[];

  constructor(
    message: string,
    o: {
      phase: EncoderFailurePhase;
      exitCode?: number | null;
      signal?: NodeJS.Signals | null;
      stderrTail?: readonly string[];
      cause?: unknown;
    },
  ) {
    const tail = o.stderrTail ?? [];
    // The last stderr lines go into the message: it is often all an operator sees.
    super(tail.length > 0 ? `${message}\n${tail.slice(-5).join('\n')}` : message, { cause: o.cause });
    this.name = 'EncoderError';
    this.phase = o.phase;
    this.exitCode = o.exitCode ?? null;
    this.signal = o.signal ?? null;
    this.stderrTail = tail;
  }
}

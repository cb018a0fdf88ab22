/**
 * How the broker reaches edges. The single-process default has one local
 * edge in the same process; the fleet adds remote edges behind the same
 * interface.
 */
import type { VideoInfo } from '../../protocol/index.ts';

export type PreparedSession = { edgeId: string; signalUrl: string; video: VideoInfo };

export interface EdgeDirectory {
  /** Places and prepares a session; undefined when no edge has room. */
  prepare(o: { sessionId: string; titleId: string; playSeconds: number }): Promise<PreparedSession | undefined>;
  /** Whether a live session with this id exists on some edge. */
  hasSession(sessionId: string): boolean;
}

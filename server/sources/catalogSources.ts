/**
 * Maps a catalog title to the frame source that plays it: the built-in demo
 * game, or a real X11 program (catalog entries that name one) under Xvfb.
 */
import type { Logger } from 'pino';
import { BUILTIN_GAME_ID, findProgram } from '../../sessions/index.ts';
import type { FrameSource } from '../edge/ports.ts';
import { DemoGameSource } from './frameSource.ts';
import { ProgramSource } from './x11/programSource.ts';

export type SourceVideo = { width: number; height: number; fps: number };

/** What program sources need from the edge; the demo game needs nothing. */
export type SourceDeps = { ffmpegPath: string; logger: Logger };

/** The broker only places titles from the catalog, so an unknown id here is a bug and throws. */
export function createSource(titleId: string, video: SourceVideo, deps?: SourceDeps): FrameSource {
  if (titleId === BUILTIN_GAME_ID) return new DemoGameSource({ width: video.width, height: video.height, fps: video.fps });
  const program = findProgram(titleId);
  if (program) {
    if (!deps) throw new Error(`title ${JSON.stringify(titleId)} runs a program: createSource needs ffmpegPath and logger`);
    return new ProgramSource({ program, ...video, ffmpegPath: deps.ffmpegPath, logger: deps.logger.child({ titleId }) });
  }
  throw new Error(`no frame source for title ${JSON.stringify(titleId)}`);
}

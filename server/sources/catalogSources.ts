/**
 * Maps a catalog title to the frame source that plays it. Only the built-in
 * demo game exists so far; X11 app sources will join here.
 */
import { BUILTIN_GAME_ID } from '../../sessions/index.ts';
import type { FrameSource } from '../edge/ports.ts';
import { DemoGameSource } from './frameSource.ts';

export type SourceVideo = { width: number; height: number; fps: number };

/** The broker only places titles from the catalog, so an unknown id here is a bug and throws. */
export function createSource(titleId: string, video: SourceVideo): FrameSource {
  if (titleId === BUILTIN_GAME_ID) return new DemoGameSource({ width: video.width, height: video.height, fps: video.fps });
  throw new Error(`no frame source for title ${JSON.stringify(titleId)}`);
}

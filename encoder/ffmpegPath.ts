import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

export type FfmpegPathSource = 'FFMPEG_PATH' | 'ffmpeg-static' | 'PATH';
export type ResolvedFfmpegPath = { path: string; source: FfmpegPathSource };

/** Seams for the unit test; the defaults look at the real package and disk. */
export type FfmpegPathDeps = {
  /** The path exported by the optional `ffmpeg-static` package, or undefined when it is not installed. */
  loadFfmpegStatic?: () => string | undefined;
  exists?: (path: string) => boolean;
};

const require = createRequire(import.meta.url);

function loadFfmpegStaticPackage(): string | undefined {
  try {
    // Optional dependency: usually absent, and its install script may have
    // skipped the download (then it exports a path to a missing file or null).
    const p: unknown = require('ffmpeg-static');
    return typeof p === 'string' && p.length > 0 ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which ffmpeg binary to run: FFMPEG_PATH, else ffmpeg-static's binary if it
 * is really on disk, else `ffmpeg` from PATH. Takes env as a parameter so the
 * entry point stays the only reader of process.env.
 */
export function resolveFfmpegPath(env: NodeJS.ProcessEnv, deps: FfmpegPathDeps = {}): ResolvedFfmpegPath {
  const fromEnv = env['FFMPEG_PATH'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { path: fromEnv, source: 'FFMPEG_PATH' };
  const exists = deps.exists ?? existsSync;
  const staticPath = (deps.loadFfmpegStatic ?? loadFfmpegStaticPackage)();
  if (staticPath !== undefined && exists(staticPath)) return { path: staticPath, source: 'ffmpeg-static' };
  return { path: 'ffmpeg', source: 'PATH' };
}

/**
 * Maps what a session runs to its frame source: the built-in demo game, a
 * real X11 program (catalog entries that name one) under Xvfb, or a
 * subscriber's phone instance (the phone shell in Chromium under Xvfb).
 */
import type { Logger } from 'pino';
import type { PhonePrepare, VideoInfo } from '../../protocol/index.ts';
import { BUILTIN_GAME_ID, MOTION_BENCH_HEAVY_ID, MOTION_BENCH_ID, findProgram } from '../../sessions/index.ts';
import type { ChildGroupRegistry } from '../../encoder/supervisedChild.ts';
import type { FrameSource } from '../edge/ports.ts';
import { ensurePhoneData } from '../edge/phoneData.ts';
import { DemoGameSource } from './frameSource.ts';
import { MotionBenchSource } from './motionBench/source.ts';
import { PhoneSource } from './phone/phoneSource.ts';
import { ProgramSource } from './x11/programSource.ts';

export type SourceVideo = Pick<VideoInfo, 'width' | 'height' | 'fps'>;

/** What program and phone sources need from the edge; the demo game needs nothing. */
export type SourceDeps = {
  ffmpegPath: string;
  logger: Logger;
  /** Seed of the motion benchmark's picture (MOTION_BENCH_SEED). */
  motionBenchSeed?: number;
  /** Phone instances: where their data lives, the shell they show, the Chromium that shows it. */
  phone?: { dataRoot: string; shellUrl: string; shellServer: () => string; chromiumPath: string };
  /** Where the process groups of program and phone sources are recorded while they live (the edge's leftovers). */
  children?: ChildGroupRegistry;
};

/** The broker only places titles from the catalog, so an unknown id here is a bug and throws. */
export function createSource(req: { titleId: string; phone?: PhonePrepare }, video: SourceVideo, deps?: SourceDeps): FrameSource {
  const { width, height, fps } = video;
  if (req.phone) {
    if (!deps?.phone) throw new Error('this edge runs no phone instances: createSource needs deps.phone');
    const shell = new URL(deps.phone.shellUrl);
    if (req.phone.name) shell.searchParams.set('name', req.phone.name);
    return new PhoneSource({
      dataDir: ensurePhoneData(deps.phone.dataRoot, req.phone),
      shellUrl: shell.toString(),
      shellServer: deps.phone.shellServer(),
      instanceName: req.phone.name ?? '',
      width,
      height,
      fps,
      ffmpegPath: deps.ffmpegPath,
      chromiumPath: deps.phone.chromiumPath,
      logger: deps.logger.child({ instanceId: req.phone.instanceId }),
      children: deps.children,
    });
  }
  if (req.titleId === BUILTIN_GAME_ID) return new DemoGameSource({ width, height, fps });
  if (req.titleId === MOTION_BENCH_ID || req.titleId === MOTION_BENCH_HEAVY_ID) {
    return new MotionBenchSource({ width, height, fps, mode: req.titleId === MOTION_BENCH_ID ? 'parity' : 'heavy', seed: deps?.motionBenchSeed ?? 1 });
  }
  const program = findProgram(req.titleId);
  if (program) {
    if (!deps) throw new Error(`title ${JSON.stringify(req.titleId)} runs a program: createSource needs ffmpegPath and logger`);
    return new ProgramSource({
      program,
      width,
      height,
      fps,
      ffmpegPath: deps.ffmpegPath,
      logger: deps.logger.child({ titleId: req.titleId }),
      children: deps.children,
    });
  }
  throw new Error(`no frame source for title ${JSON.stringify(req.titleId)}`);
}

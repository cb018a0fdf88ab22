/**
 * Titles that can be played and the links that start them: the built-in
 * demo game, and real X11 programs that an edge runs under Xvfb (issue 4).
 */
import type { CatalogTitle } from '../protocol/index.ts';

export const BUILTIN_GAME_ID = 'paddle-demo';

/**
 * Benchmark titles (issue 16): a moving picture that fills its bit rate like
 * a real game's. `motion-bench` is of the GStreamer peer's class (the
 * side-by-side comparisons run on it); `motion-bench-heavy` has fine detail
 * and many moving objects everywhere, for capacity and congestion work.
 */
export const MOTION_BENCH_ID = 'motion-bench';
export const MOTION_BENCH_HEAVY_ID = 'motion-bench-heavy';

/** A real X11 program from Debian's packages (package `xjump`), run under Xvfb on the edge. */
export const XJUMP_GAME_ID = 'xjump';

/** The program an edge runs for a title: server-side only, never part of the public catalog. */
export type ProgramSpec = { command: string; args: string[] };
export type CatalogEntry = CatalogTitle & { program?: ProgramSpec };

export const CATALOG_ENTRIES: readonly CatalogEntry[] = [
  {
    id: BUILTIN_GAME_ID,
    name: 'Paddle Demo',
    kind: 'game',
    description: 'The built-in arcade game, rendered on the edge. Keyboard, mouse, touch or gamepad.',
  },
  {
    id: MOTION_BENCH_ID,
    name: 'Motion Bench',
    kind: 'game',
    description: 'A benchmark picture that moves everywhere (scrolling texture, bouncing box); arrows, mouse or touch move the marker.',
  },
  {
    id: MOTION_BENCH_HEAVY_ID,
    name: 'Motion Bench (heavy)',
    kind: 'game',
    description: 'The benchmark picture with fine detail and many moving objects: it needs 8 Mbit/s or more at 720p60.',
  },
  {
    id: XJUMP_GAME_ID,
    name: 'Falling Tower (xjump)',
    kind: 'game',
    description: 'A classic X11 jumping game running on the edge. Space starts and jumps, arrows move.',
    program: { command: '/usr/games/xjump', args: [] },
  },
];

/** The public catalog (what /api/catalog shows): the entries without their programs. */
export const DEFAULT_CATALOG: readonly CatalogTitle[] = CATALOG_ENTRIES.map(({ id, name, kind, description }) => ({ id, name, kind, description }));

export function findProgram(titleId: string): ProgramSpec | undefined {
  return CATALOG_ENTRIES.find((t) => t.id === titleId)?.program;
}

/** Default play time of a demo, counted from the first picture. */
export const DEFAULT_PLAY_SECONDS = 15 * 60;

export function findTitle(catalog: readonly CatalogTitle[], id: string): CatalogTitle | undefined {
  return catalog.find((t) => t.id === id);
}

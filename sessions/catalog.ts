/**
 * Titles that can be played and the links that start them. Issue 2 ships the
 * built-in demo game and one open link to it; publisher-created links with
 * limits come with the fleet work.
 */
import type { CatalogTitle } from '../protocol/index.ts';

export const BUILTIN_GAME_ID = 'paddle-demo';

export const DEFAULT_CATALOG: readonly CatalogTitle[] = [
  {
    id: BUILTIN_GAME_ID,
    name: 'Paddle Demo',
    kind: 'game',
    description: 'The built-in arcade game, rendered on the edge. Keyboard, mouse, touch or gamepad.',
  },
];

export type DemoLink = { id: string; titleId: string; playSeconds: number };

/** Default play time of a demo, counted from the first picture. */
export const DEFAULT_PLAY_SECONDS = 15 * 60;

export function findTitle(catalog: readonly CatalogTitle[], id: string): CatalogTitle | undefined {
  return catalog.find((t) => t.id === id);
}

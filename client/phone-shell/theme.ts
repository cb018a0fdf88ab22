/** Applies settings to the document: theme colours, wallpaper, text scale (all CSS variables). */
import { FONT_SIZES, type Settings, WALLPAPERS } from './settingsStore.ts';

export function applySettings(s: Settings): void {
  const root = document.documentElement;
  root.dataset.theme = s.theme;
  root.style.colorScheme = s.theme; // form controls and scrollbars follow
  root.style.setProperty('--wallpaper', WALLPAPERS[s.wallpaper]);
  root.style.setProperty('--font-scale', String(FONT_SIZES[s.fontSize]));
}

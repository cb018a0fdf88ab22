/**
 * Settings (theme, wallpaper, font size), saved in the profile at once on
 * each change: they change rarely, so there is nothing to debounce. Values
 * read back are checked against the known choices, so a damaged or older
 * entry falls back to the defaults. Pure apart from the injected storage.
 */
import { KEY_PREFIX, type KeyValueStore, isObj, readJson, writeJson } from './storage.ts';

export const SETTINGS_KEY = `${KEY_PREFIX}settings.v1`;

export const THEMES = ['dark', 'light'] as const;
export type Theme = (typeof THEMES)[number];

/** Wallpaper choices: id -> CSS colour (dark-theme and light-theme variants look fine on both). */
export const WALLPAPERS = {
  ocean: '#1f4e79',
  forest: '#2e5e3e',
  dusk: '#5b3a70',
  ember: '#8a3b24',
  slate: '#3c4450',
  sand: '#b09a6e',
} as const;
export type WallpaperId = keyof typeof WALLPAPERS;

/** Text scale factors. */
export const FONT_SIZES = { small: 0.875, normal: 1, large: 1.2 } as const;
export type FontSizeId = keyof typeof FONT_SIZES;

export type Settings = { theme: Theme; wallpaper: WallpaperId; fontSize: FontSizeId };

export const DEFAULT_SETTINGS: Settings = { theme: 'dark', wallpaper: 'ocean', fontSize: 'normal' };

const isTheme = (v: unknown): v is Theme => (THEMES as readonly unknown[]).includes(v);
const isWallpaper = (v: unknown): v is WallpaperId => typeof v === 'string' && Object.hasOwn(WALLPAPERS, v);
const isFontSize = (v: unknown): v is FontSizeId => typeof v === 'string' && Object.hasOwn(FONT_SIZES, v);

/** Keeps each known field that holds a valid value; the rest come from the defaults. */
export function acceptSettings(v: unknown): Settings {
  const o = isObj(v) ? v : {};
  return {
    theme: isTheme(o.theme) ? o.theme : DEFAULT_SETTINGS.theme,
    wallpaper: isWallpaper(o.wallpaper) ? o.wallpaper : DEFAULT_SETTINGS.wallpaper,
    fontSize: isFontSize(o.fontSize) ? o.fontSize : DEFAULT_SETTINGS.fontSize,
  };
}

export class SettingsStore {
  private value: Settings;
  private readonly listeners = new Set<(s: Settings) => void>();

  constructor(private readonly storage: KeyValueStore) {
    this.value = readJson(storage, SETTINGS_KEY, acceptSettings) ?? { ...DEFAULT_SETTINGS };
  }

  get(): Settings {
    return { ...this.value };
  }

  /** Applies the valid parts of `patch` and saves. */
  set(patch: Partial<Settings>): Settings {
    this.value = acceptSettings({ ...this.value, ...patch });
    writeJson(this.storage, SETTINGS_KEY, this.value);
    for (const l of this.listeners) l(this.get());
    return this.get();
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

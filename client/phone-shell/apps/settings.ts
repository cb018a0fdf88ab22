/** Settings: theme, wallpaper, font size, and "About this phone". */
import { h } from '../dom.ts';
import type { ScreenEntry } from '../navigation.ts';
import { FONT_SIZES, type FontSizeId, type Settings, THEMES, WALLPAPERS, type WallpaperId } from '../settingsStore.ts';
import type { AppView, ShellContext } from './types.ts';

const FONT_LABELS: Record<FontSizeId, string> = { small: 'Small', normal: 'Normal', large: 'Large' };

export class SettingsApp implements AppView {
  readonly id = 'settings' as const;
  readonly title = 'Settings';
  readonly root: ScreenEntry = { screen: 'main' };
  readonly el: HTMLElement;
  private readonly mainScreen: HTMLElement;
  private readonly aboutScreen: HTMLElement;
  private readonly aboutList: HTMLElement;

  constructor(private readonly ctx: ShellContext) {
    this.mainScreen = h('div', { class: 'screen scroll-y settings' });
    this.aboutList = h('dl', { class: 'about-list', attrs: { 'data-testid': 'about' } });
    this.aboutScreen = h('div', { class: 'screen scroll-y settings' }, h('div', { class: 'app-bar' }, h('h1', { text: 'About this phone' })), this.aboutList);
    this.el = h('section', { class: 'app app-settings', attrs: { 'data-testid': 'app-settings-view' } }, this.mainScreen, this.aboutScreen);
    ctx.settings.onChange((s) => this.renderMain(s));
    window.addEventListener('resize', () => {
      if (!this.aboutScreen.hidden) this.renderAbout();
    });
  }

  show(entry: ScreenEntry): void {
    const about = entry.screen === 'about';
    this.mainScreen.hidden = about;
    this.aboutScreen.hidden = !about;
    if (about) this.renderAbout();
    else this.renderMain(this.ctx.settings.get());
  }

  describe(entry: ScreenEntry): string {
    return entry.screen === 'about' ? 'About this phone' : 'Settings';
  }

  private renderMain(s: Settings): void {
    const choice = <T extends string>(group: string, value: T, label: string, selected: boolean, patch: Partial<Settings>) => {
      const b = h('button', {
        class: `choice${selected ? ' selected' : ''}`,
        text: label,
        attrs: { type: 'button', 'aria-pressed': String(selected), 'data-testid': `${group}-${value}` },
      });
      b.addEventListener('click', () => this.ctx.settings.set(patch));
      return b;
    };
    const swatches = (Object.keys(WALLPAPERS) as WallpaperId[]).map((id) => {
      const b = h('button', {
        class: `swatch${s.wallpaper === id ? ' selected' : ''}`,
        attrs: { type: 'button', 'aria-label': id, 'aria-pressed': String(s.wallpaper === id), 'data-testid': `wallpaper-${id}` },
      });
      b.style.backgroundColor = WALLPAPERS[id];
      b.addEventListener('click', () => this.ctx.settings.set({ wallpaper: id }));
      return b;
    });
    const about = h('button', { class: 'settings-row', text: 'About this phone', attrs: { type: 'button', 'data-testid': 'settings-about' } });
    about.addEventListener('click', () => {
      this.ctx.nav.push({ screen: 'about' });
      this.ctx.render();
    });
    this.mainScreen.replaceChildren(
      h('div', { class: 'app-bar' }, h('h1', { text: 'Settings' })),
      h('h2', { class: 'settings-title', text: 'Theme' }),
      h('div', { class: 'choices' }, ...THEMES.map((t) => choice('theme', t, t === 'dark' ? 'Dark' : 'Light', s.theme === t, { theme: t }))),
      h('h2', { class: 'settings-title', text: 'Wallpaper' }),
      h('div', { class: 'swatches' }, ...swatches),
      h('h2', { class: 'settings-title', text: 'Font size' }),
      h(
        'div',
        { class: 'choices' },
        ...(Object.keys(FONT_SIZES) as FontSizeId[]).map((f) => choice('font', f, FONT_LABELS[f], s.fontSize === f, { fontSize: f })),
      ),
      about,
    );
  }

  private renderAbout(): void {
    const dpr = window.devicePixelRatio;
    const rows: [string, string][] = [
      ['Name', this.ctx.instanceName || '(not named)'],
      [
        'Screen',
        `${window.innerWidth} × ${window.innerHeight} CSS px at ${dpr}× (${Math.round(window.innerWidth * dpr)} × ${Math.round(window.innerHeight * dpr)} px)`,
      ],
      ['Touch points', String(navigator.maxTouchPoints)],
      ['User agent', navigator.userAgent],
      ['Storage', "This phone's browser profile (its own data directory on the edge)"],
      ['Calls', 'Not connected in this demo'],
    ];
    this.aboutList.replaceChildren(
      ...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v, attrs: { 'data-testid': `about-${k.toLowerCase().replace(/\s+/g, '-')}` } })]),
    );
  }
}

/** The home screen: a clock and the app icons on the wallpaper. */
import { formatClock, msToNextMinute } from '../clock.ts';
import { h } from '../dom.ts';
import { icon } from '../icons.ts';
import type { AppId } from '../navigation.ts';

export type AppIconInfo = { id: AppId; title: string };

export function homeScreen(apps: AppIconInfo[], onOpen: (app: AppId) => void): HTMLElement {
  const time = h('div', { class: 'home-time' });
  const date = h('div', { class: 'home-date' });
  const tick = () => {
    const now = new Date();
    time.textContent = formatClock(now);
    date.textContent = now.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
    setTimeout(tick, msToNextMinute(Date.now()) + 50);
  };
  tick();
  const grid = h(
    'div',
    { class: 'home-grid' },
    ...apps.map((a) =>
      h(
        'button',
        { class: 'app-icon', attrs: { type: 'button', 'data-app': a.id, 'data-testid': `app-${a.id}` }, on: { click: () => onOpen(a.id) } },
        h('span', { class: `app-glyph glyph-${a.id}` }, icon(a.id)),
        h('span', { class: 'app-label', text: a.title }),
      ),
    ),
  );
  return h('section', { class: 'home', attrs: { 'data-testid': 'home' } }, h('div', { class: 'home-clock' }, time, date), grid);
}

/** The bottom navigation bar: back, home, recents. */
import type { NavAction } from '../../../protocol/input.ts';
import { h } from '../dom.ts';
import { icon } from '../icons.ts';
import { bindPress } from './press.ts';

export function navBar(onNav: (action: NavAction) => void): HTMLElement {
  const button = (action: NavAction, label: string) => {
    const b = h('button', { class: `nav-button nav-${action}`, attrs: { type: 'button', 'aria-label': label, 'data-testid': `nav-${action}` } }, icon(action));
    bindPress(b, () => onNav(action));
    return b;
  };
  return h('nav', { class: 'nav-bar', attrs: { 'data-testid': 'nav-bar' } }, button('back', 'Back'), button('home', 'Home'), button('recents', 'Recent apps'));
}

/**
 * Recent apps as cards, most recent first: tap a card to switch to it,
 * swipe it sideways or tap its × to close the app.
 */
import { h } from '../dom.ts';
import { bindSwipeToDismiss } from '../gestures.ts';
import { icon } from '../icons.ts';
import type { AppId } from '../navigation.ts';

export type RecentCard = { id: AppId; title: string; detail: string };

export type RecentsHandlers = { open(app: AppId): void; close(app: AppId): void; closeAll(): void };

export class RecentsView {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;

  constructor(private readonly handlers: RecentsHandlers) {
    this.list = h('div', { class: 'recents-list scroll-y', attrs: { 'data-testid': 'recents-list' } });
    const clear = h('button', {
      class: 'text-button',
      text: 'Clear all',
      attrs: { type: 'button', 'data-testid': 'recents-clear' },
      on: { click: () => handlers.closeAll() },
    });
    this.el = h(
      'section',
      { class: 'recents', attrs: { 'data-testid': 'recents' } },
      h('div', { class: 'recents-head' }, h('h1', { text: 'Recent apps' }), clear),
      this.list,
    );
  }

  render(cards: RecentCard[]): void {
    if (cards.length === 0) {
      this.list.replaceChildren(h('p', { class: 'empty', text: 'No recent apps' }));
      return;
    }
    this.list.replaceChildren(...cards.map((c) => this.card(c)));
  }

  private card(c: RecentCard): HTMLElement {
    const close = h(
      'button',
      { class: 'card-close', attrs: { type: 'button', 'aria-label': `Close ${c.title}`, 'data-testid': `recent-close-${c.id}` } },
      icon('close'),
    );
    close.addEventListener('click', (e) => {
      e.stopPropagation();
      this.handlers.close(c.id);
    });
    const card = h(
      'div',
      { class: 'recent-card', attrs: { role: 'button', tabindex: '0', 'data-app': c.id, 'data-testid': `recent-${c.id}` } },
      h('span', { class: `app-glyph small glyph-${c.id}` }, icon(c.id)),
      h('span', { class: 'card-text' }, h('span', { class: 'card-title', text: c.title }), h('span', { class: 'card-detail', text: c.detail })),
      close,
    );
    card.addEventListener('click', () => this.handlers.open(c.id));
    bindSwipeToDismiss(card, () => this.handlers.close(c.id));
    return card;
  }
}

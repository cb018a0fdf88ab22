/**
 * Latency test: the whole area changes colour the moment a finger lands
 * (pointerdown, raised with touchstart for the same touch), so
 * tap-to-photon delay is visible on the subscriber's screen and in the
 * stream next to the stamp's row 1.
 */
import { h } from '../dom.ts';
import type { ScreenEntry } from '../navigation.ts';
import type { AppView } from './types.ts';

export const LATENCY_COLOURS = ['#d32f2f', '#1976d2', '#388e3c', '#f9a825', '#7b1fa2', '#00838f'] as const;

export class LatencyApp implements AppView {
  readonly id = 'latency' as const;
  readonly title = 'Latency';
  readonly root: ScreenEntry = { screen: 'main' };
  readonly el: HTMLElement;
  private readonly counter: HTMLElement;
  private taps = 0;

  constructor() {
    this.counter = h('div', { class: 'latency-count', text: '0', attrs: { 'data-testid': 'latency-count' } });
    const pad = h(
      'div',
      { class: 'latency-pad', attrs: { 'data-testid': 'latency-pad' } },
      this.counter,
      h('p', { class: 'latency-hint', text: 'Tap anywhere: the colour changes as your finger lands.' }),
    );
    pad.style.backgroundColor = LATENCY_COLOURS[0];
    pad.addEventListener('pointerdown', () => {
      this.taps++;
      pad.style.backgroundColor = LATENCY_COLOURS[this.taps % LATENCY_COLOURS.length] ?? LATENCY_COLOURS[0];
      this.counter.textContent = String(this.taps);
    });
    pad.addEventListener('contextmenu', (e) => e.preventDefault());
    this.el = h('section', { class: 'app app-latency', attrs: { 'data-testid': 'app-latency-view' } }, pad);
  }

  show(): void {}

  describe(): string {
    return `${this.taps} taps`;
  }
}

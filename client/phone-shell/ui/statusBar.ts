/**
 * The status bar under the latency stamp: clock (turned over on each
 * minute, not polled), the instance's name, and signal and battery icons.
 * The icons are decorative: the phone has neither a radio nor a battery.
 */
import { formatClock, msToNextMinute } from '../clock.ts';
import { h } from '../dom.ts';
import { batteryIcon, signalIcon } from '../icons.ts';

export class StatusBar {
  readonly el: HTMLElement;
  private readonly clock: HTMLElement;

  constructor(instanceName: string) {
    this.clock = h('span', { class: 'sb-clock', attrs: { 'data-testid': 'clock' } });
    const name = h('span', { class: 'sb-name', text: instanceName, attrs: { 'data-testid': 'instance-name' } });
    this.el = h(
      'header',
      { class: 'status-bar', attrs: { 'data-testid': 'status-bar' } },
      this.clock,
      name,
      h('span', { class: 'sb-icons' }, signalIcon(4), batteryIcon(0.8)),
    );
  }

  start(): void {
    const tick = () => {
      this.clock.textContent = formatClock(new Date());
      setTimeout(tick, msToNextMinute(Date.now()) + 50);
    };
    tick();
  }
}

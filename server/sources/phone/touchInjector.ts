/**
 * The fingers on the phone's screen, kept by id, turned into CDP
 * Input.dispatchTouchEvent parameters.
 *
 * What Chromium 156 does with the listed points (measured, see
 * phoneSource.int.test.ts; the protocol docs say less): touchStart presses
 * the listed points not yet down, touchMove moves the listed points,
 * touchEnd lifts the listed points, and touchEnd or touchCancel with no
 * points lifts or cancels all. Points not listed stay as they are. So start
 * and move list ALL active fingers (harmless for those that did not change,
 * and the page gets one touch with every finger), while lifting one of
 * several lists only that finger: a touchEnd listing the fingers that stay
 * down lifts those instead. Lifting the last finger is a touchEnd with no
 * points, as the protocol docs ask.
 */
import type { TouchEvent } from '../../../protocol/index.ts';
import type { CdpParams, TouchPoint } from './cdpClient.ts';

export const MAX_ACTIVE_TOUCHES = 10;

export type TouchParams = CdpParams<'Input.dispatchTouchEvent'>;

export class TouchTracker {
  private readonly active = new Map<number, TouchPoint>();

  constructor(private readonly size: { width: number; height: number }) {}

  get count(): number {
    return this.active.size;
  }

  /** CDP parameters for one player touch event, or undefined when it changes nothing (unknown id, too many fingers). */
  apply(ev: Pick<TouchEvent, 'phase' | 'id' | 'x' | 'y'>): TouchParams | undefined {
    const known = this.active.has(ev.id);
    const point = { x: toCssPx(ev.x, this.size.width), y: toCssPx(ev.y, this.size.height), id: ev.id };
    switch (ev.phase) {
      case 'start':
        // A second start for a finger already down (its end got lost) just moves it.
        if (!known && this.active.size >= MAX_ACTIVE_TOUCHES) return undefined;
        this.active.set(ev.id, point);
        return { type: known ? 'touchMove' : 'touchStart', touchPoints: this.points() };
      case 'move':
        if (!known) return undefined;
        this.active.set(ev.id, point);
        return { type: 'touchMove', touchPoints: this.points() };
      case 'end':
        if (!known) return undefined;
        this.active.delete(ev.id);
        return { type: 'touchEnd', touchPoints: this.active.size === 0 ? [] : [point] };
      case 'cancel':
        // A cancel is of the whole gesture (the browser cancels every finger, one event each): all go at once.
        if (!known) return undefined;
        return this.cancelAll();
    }
  }

  /** Cancels every finger still down (a new page, the player gone), or undefined if none is. */
  cancelAll(): TouchParams | undefined {
    if (this.active.size === 0) return undefined;
    this.active.clear();
    return { type: 'touchCancel', touchPoints: [] };
  }

  private points(): TouchPoint[] {
    return [...this.active.values()].map((p) => ({ ...p }));
  }
}

/** Normalised 0..1 → CSS px; the picture is the viewport at scale 1, so CSS px are picture pixels. Clamped inside the screen. */
export function toCssPx(norm: number, size: number): number {
  if (!Number.isFinite(norm)) return 0;
  return Math.min(size - 1, Math.max(0, norm * size));
}

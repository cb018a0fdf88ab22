/**
 * Turns touch points on the phone picture into protocol touch events
 * (`{t:'touch', ts, phase, id, x, y}`, protocol/input.ts). Pure: the DOM
 * binding (touchInput.ts) feeds it points and flushes it once per
 * animation frame; tests feed it plain data.
 *
 * - Every start, end and cancel is sent, at once and in order. Moves are
 *   coalesced per touch id to the newest position until the next flush
 *   (once per frame): the phone needs where the finger is, not every
 *   sample between two frames, and a busy link should not queue them.
 * - A pending move is flushed before any start/end/cancel, so the phone
 *   sees each finger's last position before it lifts.
 * - Touches that start off the picture (on the black bars) are ignored for
 *   their whole life; a touch that started on the picture and slides off
 *   keeps going, clamped to the picture's edge (layout.ts, mapPoint).
 */
import type { TouchEvent as WireTouch } from '../../protocol/input.ts';
import { touchId } from '../inputCapture.ts';
import type { PicturePoint } from './layout.ts';

export type TouchPoint = { id: number; clientX: number; clientY: number };
export type PointMapper = (clientX: number, clientY: number) => PicturePoint;

/** The mouse is finger 0, so the phone is usable from a PC. */
export const MOUSE_TOUCH_ID = 0;

/** A DOM Touch's identifier as a wire id (0..MAX_TOUCH_ID); shared with the game player's capture. */
export const wireTouchId = touchId;

export class TouchTracker {
  /** Last sent (or pending) position of each finger on the picture. */
  private readonly active = new Map<number, { x: number; y: number }>();
  private readonly pendingMoves = new Map<number, WireTouch>();

  constructor(
    private readonly map: PointMapper,
    private readonly emit: (ev: WireTouch) => void,
  ) {}

  /** Fingers currently down on the picture. */
  get activeCount(): number {
    return this.active.size;
  }

  get hasPendingMoves(): boolean {
    return this.pendingMoves.size > 0;
  }

  isActive(id: number): boolean {
    return this.active.has(id);
  }

  start(points: Iterable<TouchPoint>, ts: number): void {
    for (const p of points) {
      const m = this.map(p.clientX, p.clientY);
      if (!m.inside) continue;
      this.flushMoves();
      // A start for a finger we think is down means we missed its end: close it first.
      if (this.active.has(p.id)) this.finish(p.id, 'cancel', ts);
      this.active.set(p.id, { x: m.x, y: m.y });
      this.emit({ t: 'touch', ts, phase: 'start', id: p.id, x: m.x, y: m.y });
    }
  }

  /** Coalesced: sent on the next flushMoves(). Returns whether anything is now pending. */
  move(points: Iterable<TouchPoint>, ts: number): boolean {
    for (const p of points) {
      const last = this.active.get(p.id);
      if (!last) continue;
      const m = this.map(p.clientX, p.clientY);
      if (m.x === last.x && m.y === last.y && !this.pendingMoves.has(p.id)) continue;
      last.x = m.x;
      last.y = m.y;
      this.pendingMoves.set(p.id, { t: 'touch', ts, phase: 'move', id: p.id, x: m.x, y: m.y });
    }
    return this.pendingMoves.size > 0;
  }

  /** 'end' at the point where the finger lifted; 'cancel' when the browser took the touch away. */
  end(points: Iterable<TouchPoint>, phase: 'end' | 'cancel', ts: number): void {
    for (const p of points) {
      const last = this.active.get(p.id);
      if (!last) continue;
      const m = this.map(p.clientX, p.clientY);
      last.x = m.x;
      last.y = m.y;
      this.finish(p.id, phase, ts);
    }
  }

  /** Sends the newest move of each finger, in the order the fingers first moved. */
  flushMoves(): void {
    if (this.pendingMoves.size === 0) return;
    const moves = [...this.pendingMoves.values()];
    this.pendingMoves.clear();
    for (const ev of moves) this.emit(ev);
  }

  /** Lifts every finger with a cancel (focus lost, page hidden, session over): nothing stays pressed on the phone. */
  cancelAll(ts: number): void {
    for (const id of [...this.active.keys()]) this.finish(id, 'cancel', ts);
  }

  private finish(id: number, phase: 'end' | 'cancel', ts: number): void {
    const last = this.active.get(id);
    if (!last) return;
    this.flushMoves();
    this.active.delete(id);
    this.emit({ t: 'touch', ts, phase, id, x: last.x, y: last.y });
  }
}

/**
 * The DOM side of touch input on the phone picture: touch events (every
 * finger, by its identifier) and the mouse as finger 0, fed to a
 * TouchTracker that turns them into protocol events. The browser's own
 * reactions (scrolling, pinch zoom, pull-to-refresh, the long-press menu,
 * text selection, emulated mouse events) are prevented here and in
 * phone.css (`touch-action: none`), so taps, swipes and long presses reach
 * the phone as they were made.
 */
import type { InputEvent } from '../../protocol/input.ts';
import { MOUSE_TOUCH_ID, TouchTracker, wireTouchId } from './touchTracker.ts';
import type { PointMapper, TouchPoint } from './touchTracker.ts';

export type TouchInputOptions = {
  /** The picture box: touches and clicks are taken on it. */
  target: HTMLElement;
  /** Client coordinates → the phone's normalised coordinates (PhoneView.mapClient). */
  map: PointMapper;
  send: (ev: InputEvent) => void;
  /** Every start of a touch or click: e.g. to unmute the stream. */
  onGesture?: () => void;
};

function points(list: TouchList): TouchPoint[] {
  const out: TouchPoint[] = [];
  for (let i = 0; i < list.length; i++) {
    const t = list.item(i);
    if (t) out.push({ id: wireTouchId(t.identifier), clientX: t.clientX, clientY: t.clientY });
  }
  return out;
}

export class TouchInput {
  private readonly abort = new AbortController();
  private readonly tracker: TouchTracker;
  private frame: number | undefined;
  private mouseDown = false;
  private stopped = false;

  constructor(private readonly opts: TouchInputOptions) {
    this.tracker = new TouchTracker(opts.map, (ev) => !this.stopped && opts.send(ev));
    const { target } = opts;
    const signal = this.abort.signal;
    const active = { signal, passive: false } as const;
    target.addEventListener('touchstart', (e) => this.onTouch(e, 'start'), active);
    target.addEventListener('touchmove', (e) => this.onTouch(e, 'move'), active);
    target.addEventListener('touchend', (e) => this.onTouch(e, 'end'), active);
    target.addEventListener('touchcancel', (e) => this.onTouch(e, 'cancel'), active);
    target.addEventListener('mousedown', (e) => this.onMouseDown(e), active);
    window.addEventListener('mousemove', (e) => this.onMouseMove(e), { signal });
    window.addEventListener('mouseup', (e) => this.onMouseUp(e), { signal });
    // The long-press menu, drags of the video and selections would steal the gesture from the phone.
    for (const type of ['contextmenu', 'dragstart', 'selectstart'] as const) target.addEventListener(type, (e) => e.preventDefault(), active);
    window.addEventListener('blur', () => this.liftAll(), { signal });
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && this.liftAll(), { signal });
  }

  /** Lifts every finger (cancel) and removes the listeners. */
  stop(): void {
    if (this.stopped) return;
    this.liftAll();
    this.stopped = true;
    this.abort.abort();
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  /** Cancels every touch in progress, e.g. when the connection drops: nothing stays pressed on the phone. */
  liftAll(): void {
    this.mouseDown = false;
    this.tracker.cancelAll(Date.now());
  }

  private onTouch(e: TouchEvent, phase: 'start' | 'move' | 'end' | 'cancel'): void {
    // No scrolling, zooming or emulated mouse events: the phone gets the gesture.
    if (e.cancelable) e.preventDefault();
    const ts = Date.now();
    const changed = points(e.changedTouches);
    if (phase === 'start') {
      this.opts.onGesture?.();
      this.tracker.start(changed, ts);
    } else if (phase === 'move') {
      if (this.tracker.move(changed, ts)) this.scheduleFlush();
    } else {
      this.tracker.end(changed, phase, ts);
    }
  }

  private onMouseDown(e: MouseEvent): void {
    // The left button only, and not while fingers are down (both would be finger 0 on a touch laptop).
    if (e.button !== 0 || this.tracker.activeCount > 0) return;
    e.preventDefault();
    this.opts.onGesture?.();
    this.tracker.start([{ id: MOUSE_TOUCH_ID, clientX: e.clientX, clientY: e.clientY }], Date.now());
    this.mouseDown = this.tracker.isActive(MOUSE_TOUCH_ID);
  }

  private onMouseMove(e: MouseEvent): void {
    if (!this.mouseDown) return;
    if (this.tracker.move([{ id: MOUSE_TOUCH_ID, clientX: e.clientX, clientY: e.clientY }], Date.now())) this.scheduleFlush();
  }

  private onMouseUp(e: MouseEvent): void {
    if (e.button !== 0 || !this.mouseDown) return;
    this.mouseDown = false;
    this.tracker.end([{ id: MOUSE_TOUCH_ID, clientX: e.clientX, clientY: e.clientY }], 'end', Date.now());
  }

  /** Coalesced moves go out once per animation frame: at most one per finger per frame. */
  private scheduleFlush(): void {
    if (this.frame !== undefined || this.stopped) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.tracker.flushMoves();
    });
  }
}

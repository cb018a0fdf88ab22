/**
 * Captures keyboard, mouse, touch and gamepad input on the player page and
 * turns it into protocol input events (protocol/input.ts). Every event's
 * `ts` is Date.now() when the DOM event was handled. Where events go (and
 * whether they can be sent) is the caller's business: see `send`.
 */
import { MAX_TOUCH_ID } from '../protocol/input.ts';
import type { InputEvent, TouchPhase } from '../protocol/input.ts';
import { PadTracker } from './gamepad.ts';
import type { PadState } from './gamepad.ts';
import { clamp01, containRect, moveCursor, normalisePoint } from './letterbox.ts';
import type { Rect } from './letterbox.ts';

export type InputCaptureOptions = {
  /** The video element: mouse, wheel and touch input is taken on it, coordinates on its picture. */
  target: HTMLVideoElement;
  send: (ev: InputEvent) => void;
  /** KeyboardEvent.code values the page keeps for itself (never sent, never prevented here). */
  reservedCodes?: ReadonlySet<string>;
  /** Lock the pointer on a click on the video (default true). */
  pointerLock?: boolean;
  /** Poll gamepads once per animation frame (default true). */
  gamepads?: boolean;
  /** Called on every user gesture (pointer down, touch end, key down): e.g. to unmute audio. */
  onGesture?: () => void;
};

/** Pointer moves are coalesced to at most one per this many ms (250/s). */
export const MOVE_INTERVAL_MS = 4;
/** Keys left to the browser: reload, full screen, developer tools. */
const BROWSER_KEYS = new Set(['F5', 'F11', 'F12']);
/** KeyboardEvent.code values the protocol accepts. */
const KEY_CODE = /^[A-Za-z0-9]{1,32}$/;
const DELTA_LIMIT = 1e4;

const clampDelta = (v: number): number => (Number.isFinite(v) ? Math.max(-DELTA_LIMIT, Math.min(DELTA_LIMIT, v)) : 0);
/** Touch identifiers wrap into 0..MAX_TOUCH_ID. */
export const touchId = (identifier: number): number => {
  const m = MAX_TOUCH_ID + 1;
  return ((Math.trunc(identifier) % m) + m) % m;
};
/** Whether the page stops the browser's default action for this key (scrolling, find, focus moves, ...). */
export const preventsKey = (code: string, ctrlOrMeta: boolean): boolean => !BROWSER_KEYS.has(code) && !ctrlOrMeta;

type PendingMove = { ts: number; x: number; y: number; dx: number; dy: number };

export class InputCapture {
  private readonly abort = new AbortController();
  private readonly heldKeys = new Set<string>();
  private readonly heldButtons = new Set<number>();
  private readonly pads = new PadTracker();
  private cursor = { x: 0.5, y: 0.5 };
  private pendingMove: PendingMove | undefined;
  private moveTimer: number | undefined;
  private lastMoveAt = -Infinity;
  private rafId: number | undefined;
  private stopped = false;

  constructor(private readonly opts: InputCaptureOptions) {
    const { target } = opts;
    const signal = this.abort.signal;
    const active = { signal, passive: false } as const;
    window.addEventListener('keydown', (e) => this.onKey(e, true), active);
    window.addEventListener('keyup', (e) => this.onKey(e, false), active);
    window.addEventListener('blur', () => this.releaseAll(), { signal });
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && this.releaseAll(), { signal });
    target.addEventListener('mousemove', (e) => this.onMouseMove(e), { signal });
    target.addEventListener('mousedown', (e) => this.onMouseButton(e, true), active);
    window.addEventListener('mouseup', (e) => this.onMouseButton(e, false), active);
    target.addEventListener('contextmenu', (e) => e.preventDefault(), active);
    target.addEventListener('wheel', (e) => this.onWheel(e), active);
    for (const [type, phase] of [
      ['touchstart', 'start'],
      ['touchmove', 'move'],
      ['touchend', 'end'],
      ['touchcancel', 'cancel'],
    ] as const) {
      target.addEventListener(type, (e) => this.onTouch(e, phase), active);
    }
    if (opts.gamepads !== false && typeof navigator.getGamepads === 'function') this.rafId = requestAnimationFrame(this.pollPads);
  }

  /** Releases everything held, removes every listener and stops polling. */
  stop(): void {
    if (this.stopped) return;
    this.releaseAll();
    this.stopped = true;
    this.abort.abort();
    if (this.rafId !== undefined) cancelAnimationFrame(this.rafId);
    if (this.moveTimer !== undefined) window.clearTimeout(this.moveTimer);
    if (document.pointerLockElement === this.opts.target) document.exitPointerLock();
  }

  private emit(ev: InputEvent): void {
    if (!this.stopped) this.opts.send(ev);
  }

  private picture(): Rect {
    const t = this.opts.target;
    const r = t.getBoundingClientRect();
    return containRect({ left: r.left, top: r.top, width: r.width, height: r.height }, t.videoWidth, t.videoHeight);
  }

  private get locked(): boolean {
    return document.pointerLockElement === this.opts.target;
  }

  private onKey(e: KeyboardEvent, down: boolean): void {
    const code = e.code;
    if (this.opts.reservedCodes?.has(code) || !KEY_CODE.test(code)) return;
    if (preventsKey(code, e.ctrlKey || e.metaKey)) e.preventDefault();
    if (down) {
      this.opts.onGesture?.();
      if (e.repeat || this.heldKeys.has(code)) return;
      this.heldKeys.add(code);
    } else if (!this.heldKeys.delete(code)) {
      return;
    }
    this.emit({ t: 'key', ts: Date.now(), down, code });
  }

  private onMouseMove(e: MouseEvent): void {
    const ts = Date.now();
    const pic = this.picture();
    const dx = clampDelta(e.movementX);
    const dy = clampDelta(e.movementY);
    this.cursor = this.locked ? moveCursor(this.cursor, dx, dy, pic) : normalisePoint(e.clientX, e.clientY, pic);
    const p = this.pendingMove;
    if (p) {
      p.ts = ts;
      p.x = this.cursor.x;
      p.y = this.cursor.y;
      p.dx = clampDelta(p.dx + dx);
      p.dy = clampDelta(p.dy + dy);
    } else {
      this.pendingMove = { ts, x: this.cursor.x, y: this.cursor.y, dx, dy };
    }
    const since = performance.now() - this.lastMoveAt;
    if (since >= MOVE_INTERVAL_MS) this.flushMove();
    else if (this.moveTimer === undefined) this.moveTimer = window.setTimeout(() => this.flushMove(), MOVE_INTERVAL_MS - since);
  }

  private flushMove(): void {
    if (this.moveTimer !== undefined) window.clearTimeout(this.moveTimer);
    this.moveTimer = undefined;
    const p = this.pendingMove;
    if (!p) return;
    this.pendingMove = undefined;
    this.lastMoveAt = performance.now();
    this.emit({ t: 'move', ts: p.ts, x: clamp01(p.x), y: clamp01(p.y), dx: p.dx, dy: p.dy });
  }

  private onMouseButton(e: MouseEvent, down: boolean): void {
    const button = e.button;
    if (!Number.isInteger(button) || button < 0 || button > 4) return;
    if (down) {
      e.preventDefault();
      this.opts.onGesture?.();
      if (this.opts.pointerLock !== false && !this.locked) this.requestLock();
      if (!this.locked) this.cursor = normalisePoint(e.clientX, e.clientY, this.picture());
      this.heldButtons.add(button);
    } else if (!this.heldButtons.delete(button)) {
      return; // a release of a press that did not start on the video
    }
    this.flushMove();
    this.emit({ t: 'button', ts: Date.now(), down, button, x: this.cursor.x, y: this.cursor.y });
  }

  private requestLock(): void {
    try {
      const r: unknown = this.opts.target.requestPointerLock();
      if (r instanceof Promise) r.catch(() => undefined);
    } catch {
      /* pointer lock unavailable (e.g. headless, iframe without permission) */
    }
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? Math.max(1, this.picture().height) : 1;
    const dx = clampDelta(e.deltaX * scale);
    const dy = clampDelta(e.deltaY * scale);
    if (dx === 0 && dy === 0) return;
    this.emit({ t: 'wheel', ts: Date.now(), dx, dy });
  }

  private onTouch(e: TouchEvent, phase: TouchPhase): void {
    e.preventDefault(); // no emulated mouse events, no scrolling or zooming
    if (phase === 'end') this.opts.onGesture?.();
    const ts = Date.now();
    const pic = this.picture();
    for (let i = 0; i < e.changedTouches.length; i++) {
      const t = e.changedTouches.item(i);
      if (!t) continue;
      const { x, y } = normalisePoint(t.clientX, t.clientY, pic);
      this.emit({ t: 'touch', ts, phase, id: touchId(t.identifier), x, y });
    }
  }

  private readonly pollPads = (): void => {
    if (this.stopped) return;
    this.rafId = requestAnimationFrame(this.pollPads);
    let pads: ArrayLike<Gamepad | null>;
    try {
      pads = navigator.getGamepads();
    } catch {
      return; // e.g. blocked by a permissions policy
    }
    for (const s of this.pads.poll(pads, performance.now())) this.sendPad(s);
  };

  private sendPad(s: PadState): void {
    this.emit({ t: 'pad', ts: Date.now(), index: s.index, buttons: s.buttons, axes: s.axes });
  }

  /** Sends a release for every key, button and pad control held, e.g. when the page loses focus. */
  private releaseAll(): void {
    if (this.stopped) return;
    this.flushMove();
    for (const code of this.heldKeys) this.emit({ t: 'key', ts: Date.now(), down: false, code });
    this.heldKeys.clear();
    for (const button of this.heldButtons) this.emit({ t: 'button', ts: Date.now(), down: false, button, x: this.cursor.x, y: this.cursor.y });
    this.heldButtons.clear();
    for (const s of this.pads.releaseAll()) this.sendPad(s);
  }
}

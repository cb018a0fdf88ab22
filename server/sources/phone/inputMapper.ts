/**
 * The player's input events → the CDP commands that replay them in the
 * phone shell page, as one "job" per event: first
 * `phoneShell.setInputTs(ts)` (the shell echoes it in its latency stamp),
 * then the input itself. Pure: state (fingers down, modifiers and mouse
 * buttons held, click counting) lives here, sending is inputQueue's job.
 *
 * Coordinates are normalised over the whole picture, which is the page's
 * viewport at device scale factor 1, so x*width / y*height are CSS px.
 */
import type { InputEvent } from '../../../protocol/index.ts';
import type { CdpMethod, CdpParams, MouseButton } from './cdpClient.ts';
import { KeyboardState } from './cdpKeys.ts';
import { TouchTracker, toCssPx } from './touchInjector.ts';

export type CdpCall = { [M in CdpMethod]: { method: M; params: CdpParams<M> } }[CdpMethod];

/** Jobs with the same `coalesce` key may replace each other while waiting: only the newest position matters. */
export type InputJob = { ts: number; calls: CdpCall[]; coalesce?: 'touchMove' | 'mouseMove' };

const BUTTONS: readonly MouseButton[] = ['left', 'middle', 'right', 'back', 'forward'];
/** MouseEvent.buttons bit per MouseEvent.button (left 1, right 2, middle 4, back 8, forward 16). */
const BUTTON_BIT = [1, 4, 2, 8, 16] as const;
const DOUBLE_CLICK_MS = 500;
const DOUBLE_CLICK_PX = 5;

export const setInputTsCall = (ts: number): CdpCall => ({
  method: 'Runtime.evaluate',
  // ts is a validated finite number (protocol/input.ts); rounding keeps the expression a plain integer literal.
  params: { expression: `window.phoneShell?.setInputTs(${Math.round(ts)})` },
});

export const navCall = (action: 'back' | 'home' | 'recents'): CdpCall => ({
  method: 'Runtime.evaluate',
  params: { expression: `window.phoneShell?.nav(${JSON.stringify(action)})`, userGesture: true },
});

export class InputMapper {
  private readonly touches: TouchTracker;
  private readonly keys = new KeyboardState();
  private mouse = { x: 0, y: 0, buttons: 0 };
  private lastClick = { button: -1, atMs: 0, x: 0, y: 0, count: 0 };

  constructor(private readonly size: { width: number; height: number }) {
    this.touches = new TouchTracker(size);
  }

  /** The job for one event, or undefined if it changes nothing on the page (gamepads, unknown fingers or keys). */
  map(ev: InputEvent): InputJob | undefined {
    const calls = this.calls(ev);
    if (!calls) return undefined;
    const job: InputJob = { ts: ev.ts, calls: [setInputTsCall(ev.ts), ...calls] };
    const only = calls.length === 1 ? calls[0] : undefined;
    if (only?.method === 'Input.dispatchTouchEvent' && only.params.type === 'touchMove') job.coalesce = 'touchMove';
    if (only?.method === 'Input.dispatchMouseEvent' && only.params.type === 'mouseMoved') job.coalesce = 'mouseMove';
    return job;
  }

  /** Lifts every finger, key modifier and mouse button still down (the page changed; the player left). */
  releaseAll(): CdpCall[] {
    const calls: CdpCall[] = [];
    const cancel = this.touches.cancelAll();
    if (cancel) calls.push({ method: 'Input.dispatchTouchEvent', params: cancel });
    for (const p of this.keys.releaseAll()) calls.push({ method: 'Input.dispatchKeyEvent', params: p });
    BUTTONS.forEach((button, i) => {
      if (!(this.mouse.buttons & (BUTTON_BIT[i] ?? 0))) return;
      this.mouse.buttons &= ~(BUTTON_BIT[i] ?? 0);
      calls.push({
        method: 'Input.dispatchMouseEvent',
        params: { type: 'mouseReleased', x: this.mouse.x, y: this.mouse.y, button, buttons: this.mouse.buttons, clickCount: 1 },
      });
    });
    return calls;
  }

  private calls(ev: InputEvent): CdpCall[] | undefined {
    switch (ev.t) {
      case 'touch': {
        const params = this.touches.apply(ev);
        return params && [{ method: 'Input.dispatchTouchEvent', params }];
      }
      case 'key': {
        const params = this.keys.event(ev.code, ev.down);
        return params && [{ method: 'Input.dispatchKeyEvent', params }];
      }
      case 'text':
        return [{ method: 'Input.insertText', params: { text: ev.text } }];
      case 'nav':
        return [navCall(ev.action)];
      case 'move':
        this.mouse.x = toCssPx(ev.x, this.size.width);
        this.mouse.y = toCssPx(ev.y, this.size.height);
        return [{ method: 'Input.dispatchMouseEvent', params: { type: 'mouseMoved', x: this.mouse.x, y: this.mouse.y, buttons: this.mouse.buttons } }];
      case 'button':
        return this.button(ev.button, ev.down, ev.x, ev.y, ev.ts);
      case 'wheel':
        return [{ method: 'Input.dispatchMouseEvent', params: { type: 'mouseWheel', x: this.mouse.x, y: this.mouse.y, deltaX: ev.dx, deltaY: ev.dy } }];
      case 'pad':
        return undefined; // a phone has no gamepad port
    }
  }

  private button(index: number, down: boolean, nx: number, ny: number, ts: number): CdpCall[] | undefined {
    const button = BUTTONS[index];
    const bit: number | undefined = BUTTON_BIT[index];
    if (!button || bit === undefined) return undefined;
    const x = toCssPx(nx, this.size.width);
    const y = toCssPx(ny, this.size.height);
    this.mouse.x = x;
    this.mouse.y = y;
    if (down === ((this.mouse.buttons & bit) !== 0)) return undefined; // a repeated down or a stray up
    if (down) {
      // Chromium counts clicks from clickCount: a second press soon and close by is a double click.
      const c = this.lastClick;
      const again = c.button === index && ts - c.atMs <= DOUBLE_CLICK_MS && Math.hypot(x - c.x, y - c.y) <= DOUBLE_CLICK_PX;
      this.lastClick = { button: index, atMs: ts, x, y, count: again ? c.count + 1 : 1 };
      this.mouse.buttons |= bit;
    } else {
      this.mouse.buttons &= ~bit;
    }
    const clickCount = this.lastClick.button === index ? this.lastClick.count : 1;
    return [
      { method: 'Input.dispatchMouseEvent', params: { type: down ? 'mousePressed' : 'mouseReleased', x, y, button, buttons: this.mouse.buttons, clickCount } },
    ];
  }
}

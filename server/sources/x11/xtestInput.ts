/**
 * Injects the player's input into a virtual display through the XTEST
 * extension over ONE persistent X connection (the `x11` package, pure JS):
 * a process per event (xdotool) costs 120–180 ms each (field notes).
 *
 * Touch is single-touch: the first finger drives button 1 and the pointer;
 * further fingers are ignored (core X has no multi-touch without XInput2).
 * With no window manager, keyboard focus follows the pointer, so keys reach
 * the window under it.
 */
import x11 from 'x11';
import type { XClient, XTestExt } from 'x11';
import type { Logger } from 'pino';
import type { InputEvent } from '../../../protocol/index.ts';
import { buildKeysymTable, charToKeysym, codeToKeysym, padKeys, toPixel, wheelClicks, xButton, type KeyStroke } from './keymap.ts';

const SHIFT_L = 0xffe1;

export class XTestInput {
  private readonly heldKeys = new Set<number>();
  private padHeld = new Set<string>();
  private touchId: number | undefined;
  private closed = false;

  private constructor(
    private readonly client: XClient,
    private readonly xtest: XTestExt,
    private readonly root: number,
    private readonly keys: Map<number, KeyStroke>,
    private readonly size: { width: number; height: number },
    private readonly log: Logger,
  ) {
    // After connect, errors (the display going away at stop) must never crash the edge.
    client.on('error', (err: Error) => log.debug({ err: err.message }, 'x11 connection error'));
  }

  /** Connects to `:N`, loads XTEST and the server's keyboard mapping. */
  static connect(display: string, size: { width: number; height: number }, logger: Logger): Promise<XTestInput> {
    return new Promise((resolve, reject) => {
      const client = x11.createClient({ display }, (err, dpy) => {
        if (err) return reject(err);
        const root = dpy.screen[0]?.root;
        if (root === undefined) return reject(new Error(`display ${display} has no screen`));
        client.require('xtest', (xerr, xtest) => {
          if (xerr) return reject(xerr);
          const first = dpy.min_keycode;
          client.GetKeyboardMapping(first, dpy.max_keycode - first + 1, (kerr, rows) => {
            if (kerr) return reject(kerr);
            resolve(new XTestInput(client, xtest, root, buildKeysymTable(first, rows), size, logger));
          });
        });
      });
      client.on('error', (err: Error) => reject(err));
    });
  }

  apply(ev: InputEvent): void {
    if (this.closed) return;
    const t = this.xtest;
    switch (ev.t) {
      case 'key':
        return this.key(codeToKeysym(ev.code), ev.down);
      case 'move':
        return this.moveTo(ev.x, ev.y);
      case 'button': {
        const b = xButton(ev.button);
        if (b === undefined) return;
        this.moveTo(ev.x, ev.y);
        t.FakeInput(ev.down ? t.ButtonPress : t.ButtonRelease, b, 0, 0, 0, 0);
        return;
      }
      case 'wheel':
        for (const { button, count } of wheelClicks(ev.dx, ev.dy)) {
          for (let i = 0; i < count; i++) {
            t.FakeInput(t.ButtonPress, button, 0, 0, 0, 0);
            t.FakeInput(t.ButtonRelease, button, 0, 0, 0, 0);
          }
        }
        return;
      case 'touch':
        return this.touch(ev.phase, ev.id, ev.x, ev.y);
      case 'pad': {
        const now = padKeys(ev);
        for (const code of this.padHeld) if (!now.has(code)) this.key(codeToKeysym(code), false);
        for (const code of now) if (!this.padHeld.has(code)) this.key(codeToKeysym(code), true);
        this.padHeld = now;
        return;
      }
      case 'text':
        for (const ch of ev.text) this.type(charToKeysym(ch));
        return;
    }
  }

  /** Releases whatever is still held, then closes the connection. */
  close(): void {
    if (this.closed) return;
    for (const keycode of this.heldKeys) this.xtest.FakeInput(this.xtest.KeyRelease, keycode, 0, 0, 0, 0);
    this.closed = true;
    try {
      this.client.terminate();
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'x11 close failed');
    }
  }

  private moveTo(nx: number, ny: number): void {
    const x = toPixel(nx, this.size.width);
    const y = toPixel(ny, this.size.height);
    // detail 0 = absolute, relative to the root window.
    this.xtest.FakeInput(this.xtest.MotionNotify, 0, 0, this.root, x, y);
  }

  private key(keysym: number | undefined, down: boolean): void {
    const stroke = keysym === undefined ? undefined : this.keys.get(keysym);
    if (!stroke) return;
    // A key is a physical key here: its keycode, never with an implied Shift.
    if (down === this.heldKeys.has(stroke.keycode)) return; // browser auto-repeat: X repeats on its own
    if (down) this.heldKeys.add(stroke.keycode);
    else this.heldKeys.delete(stroke.keycode);
    this.xtest.FakeInput(down ? this.xtest.KeyPress : this.xtest.KeyRelease, stroke.keycode, 0, 0, 0, 0);
  }

  private type(keysym: number | undefined): void {
    const stroke = keysym === undefined ? undefined : this.keys.get(keysym);
    if (!stroke) return; // not on this keyboard map: dropped rather than guessed
    const t = this.xtest;
    const shift = stroke.shift ? this.keys.get(SHIFT_L) : undefined;
    if (shift) t.FakeInput(t.KeyPress, shift.keycode, 0, 0, 0, 0);
    t.FakeInput(t.KeyPress, stroke.keycode, 0, 0, 0, 0);
    t.FakeInput(t.KeyRelease, stroke.keycode, 0, 0, 0, 0);
    if (shift) t.FakeInput(t.KeyRelease, shift.keycode, 0, 0, 0, 0);
  }

  private touch(phase: 'start' | 'move' | 'end' | 'cancel', id: number, x: number, y: number): void {
    const t = this.xtest;
    if (phase === 'start') {
      if (this.touchId !== undefined) return;
      this.touchId = id;
      this.moveTo(x, y);
      t.FakeInput(t.ButtonPress, 1, 0, 0, 0, 0);
      return;
    }
    if (id !== this.touchId) return;
    this.moveTo(x, y);
    if (phase === 'end' || phase === 'cancel') {
      t.FakeInput(t.ButtonRelease, 1, 0, 0, 0, 0);
      this.touchId = undefined;
    }
  }
}

/**
 * Turns input events into the demo game's few commands. Kept apart from
 * the physics so each device's quirks (key auto-repeat, taps, gamepad
 * snapshots) live in one place.
 *
 * Discrete actions (a press, a nudge, a launch) fire at once when the
 * event arrives; held state (keys, d-pad, stick) is read by the game on
 * every step through `direction()`.
 */
import { MAX_HELD_INPUTS, type InputEvent, type TouchPhase } from '../../protocol/index.ts';

/** What the controls can ask of the game. */
export interface DemoCommands {
  /** Any press: counted and flashed on screen; `keyLabel` set for keyboard presses. */
  press(keyLabel?: string): void;
  /** One step of paddle movement right away, so a single short key press visibly moves it. */
  nudge(dx: number, dy: number): void;
  /** Centre the paddle under a normalised x (0..1). */
  setPaddleX(nx: number): void;
  launch(): void;
}

const TAP_MAX_MS = 300;
/** In normalised picture units. */
const TAP_MAX_MOVE = 0.03;
const STICK_DEADZONE = 0.2;
/** Gamepad API "standard" mapping: A/cross and the d-pad. */
const PAD = { launch: 0, up: 12, down: 13, left: 14, right: 15 } as const;

const KEY_DIRS: Record<string, readonly [number, number]> = {
  ArrowLeft: [-1, 0],
  KeyA: [-1, 0],
  ArrowRight: [1, 0],
  KeyD: [1, 0],
  ArrowUp: [0, -1],
  KeyW: [0, -1],
  ArrowDown: [0, 1],
  KeyS: [0, 1],
};
const LAUNCH_KEYS = new Set(['Space', 'Enter']);

/** "ArrowLeft" → "LEFT", "KeyA" → "A": short enough for the HUD. */
export function keyLabel(code: string): string {
  const m = /^(?:Arrow|Key|Digit|Numpad)(.+)$/.exec(code);
  return (m?.[1] ?? code).toUpperCase().slice(0, 10);
}

const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));
const deadzone = (a: number): number => (Math.abs(a) < STICK_DEADZONE ? 0 : clamp(a, -1, 1));
const isDown = (buttons: readonly number[], i: number): boolean => (buttons[i] ?? 0) >= 0.5;

export class DemoControls {
  private readonly held = new Set<string>();
  private padButtons: readonly number[] = [];
  private stick = { x: 0, y: 0 };
  private readonly touches = new Map<number, { ts: number; x: number; y: number }>();

  constructor(private readonly game: DemoCommands) {}

  apply(ev: InputEvent): void {
    switch (ev.t) {
      case 'key':
        return this.key(ev.code, ev.down);
      case 'move':
        return this.game.setPaddleX(ev.x);
      case 'button':
        if (!ev.down) return;
        this.game.press();
        this.game.setPaddleX(ev.x);
        return this.game.launch();
      case 'touch':
        return this.touch(ev.phase, ev.id, ev.ts, ev.x, ev.y);
      case 'pad':
        return this.pad(ev.buttons, ev.axes);
      case 'wheel':
      case 'text':
        return; // not used by this game
    }
  }

  /** Held direction from keys, d-pad and left stick; each axis -1..1. */
  direction(): { x: number; y: number } {
    let x = this.stick.x;
    let y = this.stick.y;
    for (const code of this.held) {
      const d = KEY_DIRS[code];
      if (!d) continue;
      x += d[0];
      y += d[1];
    }
    const b = this.padButtons;
    if (isDown(b, PAD.left)) x -= 1;
    if (isDown(b, PAD.right)) x += 1;
    if (isDown(b, PAD.up)) y -= 1;
    if (isDown(b, PAD.down)) y += 1;
    return { x: clamp(x, -1, 1), y: clamp(y, -1, 1) };
  }

  private key(code: string, down: boolean): void {
    if (!down) {
      this.held.delete(code);
      return;
    }
    // Auto-repeat sends more "down"s: holding already moves the paddle in step().
    if (this.held.has(code)) return;
    // direction() walks the held set on every step: it stays small whatever a client sends
    // (the edge's InputGate enforces the same cap; this keeps the game safe on its own).
    if (this.held.size >= MAX_HELD_INPUTS) return;
    this.held.add(code);
    this.game.press(keyLabel(code));
    const dir = KEY_DIRS[code];
    if (dir) this.game.nudge(dir[0], dir[1]);
    if (LAUNCH_KEYS.has(code)) this.game.launch();
  }

  /** Start and move place the paddle; a short, still touch (a tap) launches. Times are the client's `ts`. */
  private touch(phase: TouchPhase, id: number, ts: number, x: number, y: number): void {
    if (phase === 'start') {
      if (this.touches.size >= MAX_HELD_INPUTS && !this.touches.has(id)) return;
      this.touches.set(id, { ts, x, y });
      this.game.press();
      this.game.setPaddleX(x);
      return;
    }
    if (phase === 'move') {
      this.game.setPaddleX(x);
      return;
    }
    const start = this.touches.get(id);
    this.touches.delete(id);
    if (phase === 'end' && start && ts - start.ts <= TAP_MAX_MS && Math.hypot(x - start.x, y - start.y) <= TAP_MAX_MOVE) {
      this.game.launch();
    }
  }

  /** Pad events are full snapshots; only rising edges of buttons count as presses. */
  private pad(buttons: readonly number[], axes: readonly number[]): void {
    for (let i = 0; i < buttons.length; i++) {
      if (!isDown(buttons, i) || isDown(this.padButtons, i)) continue;
      this.game.press();
      if (i === PAD.launch) this.game.launch();
      else if (i === PAD.left) this.game.nudge(-1, 0);
      else if (i === PAD.right) this.game.nudge(1, 0);
      else if (i === PAD.up) this.game.nudge(0, -1);
      else if (i === PAD.down) this.game.nudge(0, 1);
    }
    this.padButtons = [...buttons];
    this.stick = { x: deadzone(axes[0] ?? 0), y: deadzone(axes[1] ?? 0) };
  }
}

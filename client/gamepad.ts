/**
 * Gamepad state snapshots and change detection. Pure: the page feeds it
 * navigator.getGamepads() once per animation frame and sends what it returns.
 */
import { MAX_GAMEPAD_AXES, MAX_GAMEPAD_BUTTONS } from '../protocol/input.ts';

/** The parts of the Gamepad API's Gamepad that matter here (real Gamepads fit). */
export type PadLike = {
  index: number;
  connected?: boolean;
  buttons: ArrayLike<{ value: number; pressed: boolean }>;
  axes: ArrayLike<number>;
};

export type PadState = { index: number; buttons: number[]; axes: number[] };

/** Highest pad index the protocol accepts. */
export const MAX_PAD_INDEX = 15;

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const clamp = (v: number, lo: number, hi: number): number => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : 0);

/** Buttons 0..1 (a pressed digital button counts as 1), axes -1..1, 3 decimals, within protocol limits. */
export function snapshotPad(pad: PadLike): PadState {
  const buttons: number[] = [];
  for (let i = 0; i < Math.min(pad.buttons.length, MAX_GAMEPAD_BUTTONS); i++) {
    const b = pad.buttons[i];
    const v = b ? Math.max(clamp(b.value, 0, 1), b.pressed ? 1 : 0) : 0;
    buttons.push(round3(v));
  }
  const axes: number[] = [];
  for (let i = 0; i < Math.min(pad.axes.length, MAX_GAMEPAD_AXES); i++) axes.push(round3(clamp(pad.axes[i] ?? 0, -1, 1)));
  return { index: pad.index, buttons, axes };
}

/**
 * True when `next` differs from `prev` enough to send: any button crossing
 * 0 or 1 or moving by more than `epsilon`, any axis moving by more than
 * `epsilon` or reaching rest/extremes, or a different layout.
 */
export function padChanged(prev: PadState | undefined, next: PadState, epsilon = 0.01): boolean {
  if (!prev) return true;
  if (prev.buttons.length !== next.buttons.length || prev.axes.length !== next.axes.length) return true;
  const differs = (a: number, b: number, edges: readonly number[]): boolean =>
    Math.abs(a - b) > epsilon || (a !== b && (edges.includes(a) || edges.includes(b)));
  for (let i = 0; i < next.buttons.length; i++) if (differs(prev.buttons[i] ?? 0, next.buttons[i] ?? 0, [0, 1])) return true;
  for (let i = 0; i < next.axes.length; i++) if (differs(prev.axes[i] ?? 0, next.axes[i] ?? 0, [-1, 0, 1])) return true;
  return false;
}

export const neutralPad = (like: PadState): PadState => ({
  index: like.index,
  buttons: like.buttons.map(() => 0),
  axes: like.axes.map(() => 0),
});

type Tracked = { sent: PadState; sentAtMs: number; repeated: boolean };

/**
 * Decides which pad states to send on each poll: changed states at most
 * once per `minIntervalMs` per pad; a neutral state when a pad disappears
 * (so nothing stays held); and one repeat of the last state after
 * `repeatAfterMs` of quiet, because pad states travel on the lossy channel
 * and a lost final state would otherwise leave a button held.
 */
export class PadTracker {
  private readonly pads = new Map<number, Tracked>();

  constructor(
    readonly minIntervalMs = 15,
    readonly repeatAfterMs = 100,
    readonly epsilon = 0.01,
  ) {}

  poll(gamepads: ArrayLike<PadLike | null>, nowMs: number): PadState[] {
    const out: PadState[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < gamepads.length; i++) {
      const pad = gamepads[i];
      if (!pad || pad.connected === false || !Number.isInteger(pad.index) || pad.index < 0 || pad.index > MAX_PAD_INDEX) continue;
      seen.add(pad.index);
      const next = snapshotPad(pad);
      const t = this.pads.get(pad.index);
      if (!t || padChanged(t.sent, next, this.epsilon)) {
        if (t && nowMs - t.sentAtMs < this.minIntervalMs) continue; // next poll picks it up
        this.pads.set(pad.index, { sent: next, sentAtMs: nowMs, repeated: false });
        out.push(next);
      } else if (!t.repeated && nowMs - t.sentAtMs >= this.repeatAfterMs) {
        t.repeated = true;
        t.sentAtMs = nowMs;
        out.push(t.sent);
      }
    }
    for (const [index, t] of this.pads) {
      if (seen.has(index)) continue;
      this.pads.delete(index);
      out.push(neutralPad(t.sent));
    }
    return out;
  }

  /** Neutral states for every pad sent so far (e.g. when the page loses focus), and forgets them. */
  releaseAll(): PadState[] {
    const out = [...this.pads.values()].map((t) => neutralPad(t.sent));
    this.pads.clear();
    return out;
  }
}

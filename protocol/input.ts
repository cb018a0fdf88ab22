/**
 * Input events sent by the browser to the edge over data channels.
 *
 * One JSON object per data-channel message. Every event carries `ts`, the
 * client's Date.now() when the event happened: the source echoes the latest
 * applied `ts` in row 1 of the latency stamp (docs/latency-stamp.md), which
 * is how input-to-photon latency is measured.
 *
 * Coordinates are normalised to the video picture: 0..1 from left/top.
 */
import { isObj } from './guards.ts';
import type { ParseResult } from './wire.ts';

/** Largest data-channel message the edge accepts, in bytes. */
export const MAX_INPUT_MESSAGE_BYTES = 1024;
/** Gamepad API "standard" mapping has 17 buttons and 4 axes; allow a little more. */
export const MAX_GAMEPAD_BUTTONS = 32;
export const MAX_GAMEPAD_AXES = 16;
export const MAX_TOUCH_ID = 1023;
/** Keys, mouse buttons and touches one session may hold down at once (more than any real keyboard rolls over). */
export const MAX_HELD_INPUTS = 20;

/** The two data channels the edge opens, by label. */
export const INPUT_CHANNELS = {
  /** ordered + reliable: keys, buttons, wheel, touches, text, navigation. */
  reliable: 'input-reliable',
  /** unordered + no retransmits: pointer motion, gamepad state (newest wins). */
  fast: 'input-fast',
} as const;

export type KeyEvent = { t: 'key'; ts: number; down: boolean; code: string };
export type PointerMoveEvent = { t: 'move'; ts: number; x: number; y: number; dx: number; dy: number };
export type PointerButtonEvent = { t: 'button'; ts: number; down: boolean; button: number; x: number; y: number };
export type WheelEvent = { t: 'wheel'; ts: number; dx: number; dy: number };
export type TouchPhase = 'start' | 'move' | 'end' | 'cancel';
export type TouchEvent = { t: 'touch'; ts: number; phase: TouchPhase; id: number; x: number; y: number };
export type GamepadEvent = { t: 'pad'; ts: number; index: number; buttons: number[]; axes: number[] };
export type TextEvent = { t: 'text'; ts: number; text: string };
/** The cloud phone's system navigation (the shell's back / home / recents buttons). */
export type NavAction = 'back' | 'home' | 'recents';
export const NAV_ACTIONS: readonly NavAction[] = ['back', 'home', 'recents'];
export type NavEvent = { t: 'nav'; ts: number; action: NavAction };

export type InputEvent = KeyEvent | PointerMoveEvent | PointerButtonEvent | WheelEvent | TouchEvent | GamepadEvent | TextEvent | NavEvent;

export type InputType = InputEvent['t'];

const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isUnit = (v: unknown): v is number => isFiniteNum(v) && v >= 0 && v <= 1;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
/** A plausible epoch-milliseconds timestamp (2001..2100). */
const isTs = (v: unknown): v is number => isFiniteNum(v) && v > 1e12 && v < 4.2e12;
/** KeyboardEvent.code values: letters and digits only, e.g. "KeyA", "ArrowLeft", "F12". */
const KEY_CODE = /^[A-Za-z0-9]{1,32}$/;

function fail(error: string): ParseResult<never> {
  return { ok: false, error };
}

/**
 * Validates one raw data-channel message. Never throws: anything that is not
 * exactly one well-formed event of a known type comes back as an error.
 */
export function parseInputMessage(raw: string | Uint8Array): ParseResult<InputEvent> {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
  if (size > MAX_INPUT_MESSAGE_BYTES) return fail(`message too large (${size} bytes)`);
  let v: unknown;
  try {
    v = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
  } catch {
    return fail('not JSON');
  }
  if (!isObj(v)) return fail('not an object');
  if (!isTs(v.ts)) return fail('missing or invalid ts');
  const ts = v.ts;
  switch (v.t) {
    case 'key':
      if (!isBool(v.down) || typeof v.code !== 'string' || !KEY_CODE.test(v.code)) return fail('invalid key event');
      return { ok: true, value: { t: 'key', ts, down: v.down, code: v.code } };
    case 'move':
      if (!isUnit(v.x) || !isUnit(v.y) || !isFiniteNum(v.dx) || !isFiniteNum(v.dy) || Math.abs(v.dx) > 1e4 || Math.abs(v.dy) > 1e4)
        return fail('invalid move event');
      return { ok: true, value: { t: 'move', ts, x: v.x, y: v.y, dx: v.dx, dy: v.dy } };
    case 'button':
      if (!isBool(v.down) || !isInt(v.button, 0, 4) || !isUnit(v.x) || !isUnit(v.y)) return fail('invalid button event');
      return { ok: true, value: { t: 'button', ts, down: v.down, button: v.button, x: v.x, y: v.y } };
    case 'wheel':
      if (!isFiniteNum(v.dx) || !isFiniteNum(v.dy) || Math.abs(v.dx) > 1e4 || Math.abs(v.dy) > 1e4) return fail('invalid wheel event');
      return { ok: true, value: { t: 'wheel', ts, dx: v.dx, dy: v.dy } };
    case 'touch':
      if (
        (v.phase !== 'start' && v.phase !== 'move' && v.phase !== 'end' && v.phase !== 'cancel') ||
        !isInt(v.id, 0, MAX_TOUCH_ID) ||
        !isUnit(v.x) ||
        !isUnit(v.y)
      )
        return fail('invalid touch event');
      return { ok: true, value: { t: 'touch', ts, phase: v.phase, id: v.id, x: v.x, y: v.y } };
    case 'pad': {
      const { buttons, axes } = v;
      if (!isInt(v.index, 0, 15) || !Array.isArray(buttons) || !Array.isArray(axes)) return fail('invalid pad event');
      if (buttons.length > MAX_GAMEPAD_BUTTONS || axes.length > MAX_GAMEPAD_AXES) return fail('too many pad buttons or axes');
      if (!buttons.every(isUnit)) return fail('pad button values must be 0..1');
      if (!axes.every((a) => isFiniteNum(a) && a >= -1 && a <= 1)) return fail('pad axis values must be -1..1');
      return { ok: true, value: { t: 'pad', ts, index: v.index, buttons: buttons as number[], axes: axes as number[] } };
    }
    case 'text':
      if (typeof v.text !== 'string' || v.text.length === 0 || v.text.length > 256) return fail('invalid text event');
      return { ok: true, value: { t: 'text', ts, text: v.text } };
    case 'nav':
      if (!(NAV_ACTIONS as readonly unknown[]).includes(v.action)) return fail('invalid nav event');
      return { ok: true, value: { t: 'nav', ts, action: v.action as NavAction } };
    default:
      return fail('unknown event type');
  }
}

export function encodeInputEvent(ev: InputEvent): string {
  return JSON.stringify(ev);
}

/** Which channel an event travels on: state that the next message supersedes goes on the lossy one. */
export function channelFor(ev: InputEvent): (typeof INPUT_CHANNELS)[keyof typeof INPUT_CHANNELS] {
  return ev.t === 'move' || ev.t === 'pad' ? INPUT_CHANNELS.fast : INPUT_CHANNELS.reliable;
}

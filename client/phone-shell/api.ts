/**
 * window.phoneShell: what the launcher (over CDP Runtime.evaluate) and the
 * tests may call. Everything here is JSON-able in and out.
 */
import type { NavAction } from '../../protocol/input.ts';
import type { Theme } from './settingsStore.ts';

export type PhoneShellState = {
  /** 'home', 'recents', or the app in front: 'browser' | 'notes' | 'phone' | 'settings' | 'latency'. */
  app: string;
  /** The app's screen ('list', 'edit', 'page', 'keypad', 'calling', 'main', 'about'), or 'home' / 'recents'. */
  screen: string;
  /** How many notes are stored. */
  notes: number;
  theme: Theme;
  keyboardOpen: boolean;
  /** What row 1 of the latency stamp shows now (0 until an input was applied). */
  appliedInputTs: number;
};

export type PhoneShellApi = {
  /**
   * The client timestamp of the input event about to be injected. Kept
   * pending; it becomes the applied ts (row 1) when the page receives an
   * input event. False if `ts` is not an integer in 0..2^48-1.
   */
  setInputTs(ts: number): boolean;
  /** System navigation, as the nav bar's buttons (also applies a pending ts: it is the input). */
  nav(action: NavAction): void;
  state(): PhoneShellState;
};

export function installApi(api: PhoneShellApi): void {
  Object.defineProperty(window, 'phoneShell', { value: Object.freeze(api), configurable: false, writable: false, enumerable: true });
}

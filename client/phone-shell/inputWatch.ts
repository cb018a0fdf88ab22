/**
 * Listens for every input event a window receives, in the capture phase so
 * no handler can stop it first, and passively so scrolling is never held
 * up. These are the events an injected touch, key or text produces: the
 * first of them applies the pending input ts (inputTs.ts). Key releases,
 * pointer releases and wheels count too: the launcher announces a ts before
 * each event it injects, and one left pending would otherwise be applied
 * by some later, unrelated event.
 */
export const INPUT_EVENT_TYPES = [
  'touchstart',
  'touchmove',
  'touchend',
  'touchcancel',
  // Not pointermove: Chromium raises synthetic moves on its own (hover updates after scrolling or
  // layout), which would apply a pending ts without any input having arrived.
  'pointerdown',
  'pointerup',
  'keydown',
  'keyup',
  'beforeinput',
  'input',
  'wheel',
] as const;

const watched = new WeakSet<Window>();

export function watchInput(win: Window, onInput: () => void): void {
  if (watched.has(win)) return; // a frame's window is reused across same-document loads
  watched.add(win);
  for (const type of INPUT_EVENT_TYPES) win.addEventListener(type, onInput, { capture: true, passive: true });
}

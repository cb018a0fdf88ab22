/**
 * Buttons of the system UI (on-screen keyboard, nav bar, dialer keypad)
 * must not take the focus from the text field being typed into, or the
 * keyboard would close under the finger. Cancelling touchstart stops the
 * tap gesture (no focus change, no compatibility mouse events, no click),
 * cancelling mousedown does the same for a mouse; the action then runs
 * from pointer events, which Chromium sends for injected touches too.
 */
export type PressOptions = {
  /** 'down' acts as the finger lands (keyboard keys: lowest latency); 'up' on release over the element (nav buttons). */
  on: 'down' | 'up';
};

export function keepFocus(el: HTMLElement): void {
  el.addEventListener('touchstart', (e) => e.preventDefault(), { passive: false });
  el.addEventListener('mousedown', (e) => e.preventDefault());
}

export function bindPress(el: HTMLElement, action: (e: PointerEvent) => void, opts: PressOptions = { on: 'up' }): void {
  keepFocus(el);
  let downId: number | undefined;
  el.addEventListener('pointerdown', (e) => {
    if (e.button > 0) return;
    downId = e.pointerId;
    el.classList.add('pressed');
    if (opts.on === 'down') action(e);
  });
  el.addEventListener('pointerup', (e) => {
    el.classList.remove('pressed');
    if (e.pointerId !== downId) return;
    downId = undefined;
    // Touch pointers stay captured by the element they landed on: check the finger lifted over it.
    const r = el.getBoundingClientRect();
    const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
    if (opts.on === 'up' && inside) action(e);
  });
  const cancel = () => {
    downId = undefined;
    el.classList.remove('pressed');
  };
  el.addEventListener('pointercancel', cancel);
  el.addEventListener('pointerleave', cancel);
  // Keyboard users (Tab + Enter/Space) still get the action through click.
  el.addEventListener('click', (e) => {
    if (e.detail === 0) action(new PointerEvent('pointerup'));
  });
}

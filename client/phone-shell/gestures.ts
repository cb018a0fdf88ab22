/**
 * Touch gestures the shell recognises on top of the browser's own (taps,
 * vertical scrolling): long press (delete a note) and horizontal swipe
 * (close a recents card). The decisions are pure functions of positions
 * and times; bind*() attach them to elements with pointer events, which
 * Chromium raises for CDP-injected touches as for real ones.
 */
/** Movement (CSS px) under which a press still counts as holding still. */
export const TOUCH_SLOP_PX = 10;
export const LONG_PRESS_MS = 550;
/** A swipe closes when dragged this fraction of the element's width... */
export const SWIPE_DISMISS_FRACTION = 0.35;
/** ...or flung faster than this (px/ms) over at least SWIPE_MIN_FLING_PX. */
export const SWIPE_FLING_PX_PER_MS = 0.6;
export const SWIPE_MIN_FLING_PX = 40;

export const movedBeyondSlop = (dx: number, dy: number, slopPx = TOUCH_SLOP_PX): boolean => Math.hypot(dx, dy) > slopPx;

/** Which way a drag goes once it leaves the slop: the axis with the larger movement. */
export function dragAxis(dx: number, dy: number): 'x' | 'y' | undefined {
  if (!movedBeyondSlop(dx, dy)) return undefined;
  return Math.abs(dx) > Math.abs(dy) ? 'x' : 'y';
}

/** At the end of a horizontal drag: close the element, or let it spring back. */
export function swipeOutcome(dx: number, durationMs: number, widthPx: number): 'dismiss' | 'restore' {
  if (widthPx > 0 && Math.abs(dx) >= widthPx * SWIPE_DISMISS_FRACTION) return 'dismiss';
  const speed = Math.abs(dx) / Math.max(durationMs, 1);
  return Math.abs(dx) >= SWIPE_MIN_FLING_PX && speed >= SWIPE_FLING_PX_PER_MS ? 'dismiss' : 'restore';
}

/**
 * Calls `onLongPress` when a pointer is held still on `el` for LONG_PRESS_MS,
 * and swallows the click that follows the release so the item does not
 * also open. Moving (a scroll starts) or lifting early cancels.
 */
export function bindLongPress(el: HTMLElement, onLongPress: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let startX = 0;
  let startY = 0;
  let fired = false;
  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  el.addEventListener('pointerdown', (e) => {
    if (!e.isPrimary) return;
    cancel();
    fired = false;
    startX = e.clientX;
    startY = e.clientY;
    timer = setTimeout(() => {
      timer = undefined;
      fired = true;
      onLongPress();
    }, LONG_PRESS_MS);
  });
  el.addEventListener('pointermove', (e) => {
    if (timer !== undefined && movedBeyondSlop(e.clientX - startX, e.clientY - startY)) cancel();
  });
  el.addEventListener('pointerup', cancel);
  el.addEventListener('pointercancel', cancel);
  el.addEventListener(
    'click',
    (e) => {
      if (!fired) return;
      fired = false;
      e.preventDefault();
      e.stopPropagation();
    },
    { capture: true },
  );
}

/**
 * Lets `el` be dragged sideways (it follows the finger) and calls
 * `onDismiss` when a drag ends past the threshold; vertical drags are left
 * to the scrolling list (the element needs `touch-action: pan-y`).
 */
export function bindSwipeToDismiss(el: HTMLElement, onDismiss: (direction: 1 | -1) => void): void {
  let start: { x: number; y: number; t: number; id: number } | undefined;
  let axis: 'x' | 'y' | undefined;
  let dx = 0;
  let swiped = false;
  const reset = () => {
    start = undefined;
    axis = undefined;
    el.style.transform = '';
    el.style.opacity = '';
    el.classList.remove('dragging');
  };
  el.addEventListener('pointerdown', (e) => {
    if (!e.isPrimary) return;
    start = { x: e.clientX, y: e.clientY, t: e.timeStamp, id: e.pointerId };
    axis = undefined;
    dx = 0;
    swiped = false;
  });
  el.addEventListener('pointermove', (e) => {
    if (!start || e.pointerId !== start.id) return;
    dx = e.clientX - start.x;
    axis ??= dragAxis(dx, e.clientY - start.y);
    if (axis !== 'x') return;
    swiped = true;
    el.classList.add('dragging');
    el.style.transform = `translateX(${dx}px)`;
    el.style.opacity = String(Math.max(0.2, 1 - Math.abs(dx) / Math.max(el.offsetWidth, 1)));
  });
  el.addEventListener('pointerup', (e) => {
    if (!start || e.pointerId !== start.id) return;
    const outcome = axis === 'x' ? swipeOutcome(dx, e.timeStamp - start.t, el.offsetWidth) : 'restore';
    reset();
    if (outcome === 'dismiss') onDismiss(dx < 0 ? -1 : 1);
  });
  el.addEventListener('pointercancel', reset);
  el.addEventListener(
    'click',
    (e) => {
      if (!swiped) return;
      swiped = false;
      e.preventDefault();
      e.stopPropagation();
    },
    { capture: true },
  );
}

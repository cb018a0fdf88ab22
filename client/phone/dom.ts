/**
 * Finding the elements of phone.html. The page and its script ship
 * together, so a missing element is a bug: fail loudly at start-up rather
 * than with an undefined deep in a handler.
 */
export function byId<T extends HTMLElement>(doc: Document, id: string, type: { new (): T; prototype: T }): T {
  const el = doc.getElementById(id);
  if (!(el instanceof type)) throw new Error(`phone.html has no <${type.name}> #${id}`);
  return el;
}

/** Sets an element's box in CSS px (the layout's numbers, unrounded: the touch mapping uses the same ones). */
export function place(el: HTMLElement, r: { left: number; top: number; width: number; height: number }): void {
  const s = el.style;
  s.left = `${r.left}px`;
  s.top = `${r.top}px`;
  s.width = `${r.width}px`;
  s.height = `${r.height}px`;
}

/** A tiny element builder, so views read as the markup they make. */
type Child = Node | string | null | undefined | false;

export type Props = {
  class?: string;
  text?: string;
  attrs?: Record<string, string>;
  on?: { [K in keyof HTMLElementEventMap]?: (e: HTMLElementEventMap[K]) => void };
};

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  for (const [type, fn] of Object.entries(props.on ?? {})) el.addEventListener(type, fn as EventListener);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Replaces all children of `el`. */
export function setChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** The focused element if it is a text field the on-screen keyboard should type into. */
export function focusedTextField(): HTMLInputElement | HTMLTextAreaElement | undefined {
  const el = document.activeElement;
  if (el instanceof HTMLTextAreaElement) return el.readOnly || el.disabled ? undefined : el;
  if (el instanceof HTMLInputElement && isTextInputType(el.type)) return el.readOnly || el.disabled ? undefined : el;
  return undefined;
}

export const isTextInputType = (type: string): boolean => ['text', 'search', 'url', 'email', 'tel', 'password', 'number'].includes(type);

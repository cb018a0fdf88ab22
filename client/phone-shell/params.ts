/** What the shell reads from its address. Pure. */
export const MAX_NAME_CHARS = 40;

/** The instance's display name from `?name=`: control characters removed, trimmed, at most 40 characters. */
export function instanceNameFrom(search: string): string {
  const raw = new URLSearchParams(search).get('name') ?? '';
  return raw
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, MAX_NAME_CHARS);
}

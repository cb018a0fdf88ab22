// A value the caller knows is there (an element it just pushed, a lookup it
// just made): `must` returns it, narrowed, or throws naming what was missing,
// so a broken assumption fails at its cause instead of as a later TypeError.
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}

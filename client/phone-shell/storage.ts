/**
 * The shell keeps its data in the browser profile (IndexedDB and
 * localStorage, see profileStorage.ts): each cloud-phone instance runs its
 * own Chromium profile directory, so that is what makes a persona's data
 * survive a stop/start and stay apart from other instances. Stores take
 * this small synchronous interface so tests inject a map.
 */
import { isObj } from '../../protocol/guards.ts';
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Every key the shell writes starts with this, so its data is easy to find in a profile. */
export const KEY_PREFIX = 'phone-shell.';

/** The parsed value, or undefined when absent, not JSON, or rejected by `accept`. */
export function readJson<T>(store: KeyValueStore, key: string, accept: (v: unknown) => T | undefined): T | undefined {
  let raw: string | null;
  try {
    raw = store.getItem(key);
  } catch {
    return undefined; // storage disabled: behave as empty
  }
  if (raw === null) return undefined;
  try {
    return accept(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/** False when the write failed (quota, storage disabled): the caller keeps its data in memory. */
export function writeJson(store: KeyValueStore, key: string, value: unknown): boolean {
  try {
    store.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  writes = 0;
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.writes++;
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

export { isObj } from '../../protocol/guards.ts';

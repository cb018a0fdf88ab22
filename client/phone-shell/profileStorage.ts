/**
 * The shell's storage in the browser profile, made to survive a killed
 * browser. Chromium writes localStorage to disk only about 5 s after a
 * change (measured here: a note typed 2 s before SIGKILL or SIGTERM was
 * gone after restart; after 6 s it survived), while a committed IndexedDB
 * transaction is on disk at once. So every write goes to both: IndexedDB
 * is what is read back at start, localStorage the fallback when IndexedDB
 * is missing (or for data written before it was used). Reads are served
 * from memory, so the stores above stay synchronous.
 */
import { KEY_PREFIX, type KeyValueStore } from './storage.ts';

/** The durable side: all entries at start, then writes in order (fire and forget). */
export interface DurableBackend {
  loadAll(): Promise<Map<string, string>>;
  put(key: string, value: string): void;
  delete(key: string): void;
}

export class ProfileStorage implements KeyValueStore {
  private constructor(
    private readonly cache: Map<string, string>,
    private readonly durable: DurableBackend | undefined,
    private readonly fallback: KeyValueStore | undefined,
  ) {}

  /**
   * Loads the shell's entries: the durable copy wins, and keys only the
   * fallback has are taken from it (and copied to the durable side).
   */
  static async open(durable: DurableBackend | undefined, fallback: KeyValueStore | undefined, keys: readonly string[]): Promise<ProfileStorage> {
    let cache = new Map<string, string>();
    if (durable) {
      try {
        cache = await durable.loadAll();
      } catch {
        durable = undefined; // e.g. IndexedDB refused: live on the fallback alone
      }
    }
    for (const key of keys) {
      if (cache.has(key)) continue;
      const v = safeGet(fallback, key);
      if (v === null) continue;
      cache.set(key, v);
      durable?.put(key, v);
    }
    return new ProfileStorage(cache, durable, fallback);
  }

  getItem(key: string): string | null {
    return this.cache.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.cache.set(key, value);
    this.durable?.put(key, value);
    try {
      this.fallback?.setItem(key, value);
    } catch (err) {
      if (!this.durable) throw err; // quota or storage disabled, and no other copy: the caller reports it
    }
  }

  removeItem(key: string): void {
    this.cache.delete(key);
    this.durable?.delete(key);
    try {
      this.fallback?.removeItem(key);
    } catch {
      // storage disabled: nothing to remove
    }
  }
}

function safeGet(store: KeyValueStore | undefined, key: string): string | null {
  try {
    return store?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

const DB_NAME = 'phone-shell';
const STORE = 'kv';
/** IndexedDB can stall (another tab holding an upgrade): give up and use localStorage alone. */
const OPEN_TIMEOUT_MS = 2000;

/** IndexedDB as the durable backend; undefined where it cannot be opened. */
export async function openIndexedDbBackend(idb: IDBFactory | undefined = globalThis.indexedDB as IDBFactory | undefined): Promise<DurableBackend | undefined> {
  if (!idb) return undefined;
  const db = await new Promise<IDBDatabase | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), OPEN_TIMEOUT_MS);
    let req: IDBOpenDBRequest;
    try {
      req = idb.open(DB_NAME, 1);
    } catch {
      clearTimeout(timer);
      return resolve(undefined);
    }
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => {
      clearTimeout(timer);
      resolve(req.result);
    };
    req.onerror = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
  });
  if (!db) return undefined;
  // Transactions on one connection whose scopes overlap run in the order they were created: last write wins.
  const write = (fn: (s: IDBObjectStore) => void) => {
    try {
      fn(db.transaction(STORE, 'readwrite').objectStore(STORE));
    } catch {
      // connection closing (page unloading): localStorage still has the value
    }
  };
  return {
    loadAll: () =>
      new Promise((resolve, reject) => {
        const out = new Map<string, string>();
        const req = db.transaction(STORE, 'readonly').objectStore(STORE).openCursor();
        req.onsuccess = () => {
          const cur = req.result;
          if (!cur) return resolve(out);
          if (typeof cur.key === 'string' && cur.key.startsWith(KEY_PREFIX) && typeof cur.value === 'string') out.set(cur.key, cur.value);
          cur.continue();
        };
        req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed'));
      }),
    put: (key, value) => write((s) => s.put(value, key)),
    delete: (key) => write((s) => s.delete(key)),
  };
}

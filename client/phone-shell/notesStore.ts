/**
 * Notes: a list of {title, body} kept in the browser profile. Every
 * change is saved after a short quiet time (SAVE_DELAY_MS) so typing does
 * not rewrite the whole list on each key, and flush() saves at once when the
 * page is hidden or unloaded. Pure apart from the injected storage.
 */
import { Debouncer, type Timers, browserTimers } from './debouncer.ts';
import { KEY_PREFIX, type KeyValueStore, isObj, readJson, writeJson } from './storage.ts';

export const NOTES_KEY = `${KEY_PREFIX}notes.v1`;
/** The brief allows at most 300 ms between a change and its save. */
export const SAVE_DELAY_MS = 250;
const MAX_TITLE_CHARS = 200;
const MAX_BODY_CHARS = 100_000;

export type Note = { id: string; title: string; body: string; createdAt: number; updatedAt: number };

export type NotesStoreOptions = {
  storage: KeyValueStore;
  now?: () => number;
  newId?: () => string;
  timers?: Timers;
};

function randomId(): string {
  return `${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

function acceptNotes(v: unknown): Note[] | undefined {
  if (!isObj(v) || !Array.isArray(v.notes)) return undefined;
  const out: Note[] = [];
  for (const n of v.notes) {
    // Skip damaged entries rather than losing the whole list.
    if (!isObj(n) || typeof n.id !== 'string' || typeof n.title !== 'string' || typeof n.body !== 'string') continue;
    const createdAt = typeof n.createdAt === 'number' ? n.createdAt : 0;
    const updatedAt = typeof n.updatedAt === 'number' ? n.updatedAt : createdAt;
    out.push({ id: n.id, title: n.title, body: n.body, createdAt, updatedAt });
  }
  return out;
}

export class NotesStore {
  private notes: Note[];
  private readonly saver: Debouncer;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly newId: () => string;
  /** False after a failed write (quota): the UI can say so. */
  lastSaveOk = true;

  constructor(private readonly opts: NotesStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.newId = opts.newId ?? randomId;
    this.notes = readJson(opts.storage, NOTES_KEY, acceptNotes) ?? [];
    this.saver = new Debouncer(() => this.save(), SAVE_DELAY_MS, opts.timers ?? browserTimers);
  }

  /** Most recently edited first. */
  list(): Note[] {
    return [...this.notes].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get count(): number {
    return this.notes.length;
  }

  get(id: string): Note | undefined {
    return this.notes.find((n) => n.id === id);
  }

  create(): Note {
    const at = this.now();
    const note: Note = { id: this.newId(), title: '', body: '', createdAt: at, updatedAt: at };
    this.notes.push(note);
    this.changed();
    return note;
  }

  update(id: string, patch: { title?: string; body?: string }): boolean {
    const note = this.get(id);
    if (!note) return false;
    const title = patch.title === undefined ? note.title : patch.title.slice(0, MAX_TITLE_CHARS);
    const body = patch.body === undefined ? note.body : patch.body.slice(0, MAX_BODY_CHARS);
    if (title === note.title && body === note.body) return true;
    note.title = title;
    note.body = body;
    note.updatedAt = this.now();
    this.changed();
    return true;
  }

  remove(id: string): boolean {
    const before = this.notes.length;
    this.notes = this.notes.filter((n) => n.id !== id);
    if (this.notes.length === before) return false;
    this.changed();
    return true;
  }

  /** A note left with neither title nor body is dropped (as phone note apps do on back). */
  removeIfEmpty(id: string): boolean {
    const note = this.get(id);
    return note !== undefined && note.title.trim() === '' && note.body.trim() === '' && this.remove(id);
  }

  /** Saves now if a change is waiting (page hidden or unloading). */
  flush(): void {
    this.saver.flush();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.saver.schedule();
    for (const l of this.listeners) l();
  }

  private save(): void {
    this.lastSaveOk = writeJson(this.opts.storage, NOTES_KEY, { version: 1, notes: this.notes });
  }
}

/** What a note is called in lists: its title, else its first line, else "Untitled". */
export function noteLabel(note: Pick<Note, 'title' | 'body'>): string {
  const title = note.title.trim();
  if (title) return title;
  const first = note.body.trim().split('\n', 1)[0] ?? '';
  return first ? first.slice(0, 60) : 'Untitled';
}

/**
 * The Phone app's logic: the number being dialled and the list of recently
 * dialled numbers (saved in the profile). There is no telephony behind it.
 * Pure apart from the injected storage.
 */
import { KEY_PREFIX, type KeyValueStore, isObj, readJson, writeJson } from './storage.ts';

export const DIAL_RECENTS_KEY = `${KEY_PREFIX}dialer-recents.v1`;
export const MAX_DIAL_DIGITS = 24;
export const MAX_DIAL_RECENTS = 20;
export const DIAL_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
/** Letters printed under the digits, as on a phone keypad. */
export const DIAL_LETTERS: Record<string, string> = {
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
  '0': '+',
};

export type DialedCall = { number: string; at: number };

export const isDialKey = (k: string): boolean => (DIAL_KEYS as readonly string[]).includes(k);

/** The number after pressing `key`; ignores anything but 0-9 * # and stops at MAX_DIAL_DIGITS. */
export function pressDialKey(number: string, key: string): string {
  if (!isDialKey(key) || number.length >= MAX_DIAL_DIGITS) return number;
  return number + key;
}

export function backspaceNumber(number: string): string {
  return number.slice(0, -1);
}

/** Keeps the characters a keypad can dial (for numbers pasted or typed on a hardware keyboard). */
export function sanitizeNumber(text: string): string {
  return [...text].filter(isDialKey).join('').slice(0, MAX_DIAL_DIGITS);
}

function acceptRecents(v: unknown): DialedCall[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v
    .filter((c): c is DialedCall => isObj(c) && typeof c.number === 'string' && typeof c.at === 'number')
    .map((c) => ({ number: sanitizeNumber(c.number), at: c.at }))
    .filter((c) => c.number !== '')
    .slice(0, MAX_DIAL_RECENTS);
}

export class DialRecents {
  private calls: DialedCall[];

  constructor(
    private readonly storage: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {
    this.calls = readJson(storage, DIAL_RECENTS_KEY, acceptRecents) ?? [];
  }

  /** Newest first. */
  list(): DialedCall[] {
    return [...this.calls];
  }

  /** Records a call; calling the same number again moves it to the top instead of repeating it. */
  add(number: string): void {
    const n = sanitizeNumber(number);
    if (!n) return;
    this.calls = [{ number: n, at: this.now() }, ...this.calls.filter((c) => c.number !== n)].slice(0, MAX_DIAL_RECENTS);
    writeJson(this.storage, DIAL_RECENTS_KEY, this.calls);
  }

  clear(): void {
    this.calls = [];
    writeJson(this.storage, DIAL_RECENTS_KEY, this.calls);
  }
}

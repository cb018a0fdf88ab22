/**
 * Profile preferences the phone needs that no command-line flag gives:
 * Chromium shows its "Save password?" bubble over the page even in kiosk
 * mode (measured on Chromium 156), and the same goes for saving addresses
 * and cards and for offering translation. These are user preferences in
 * `<user-data-dir>/Default/Preferences`, merged in before every start (so an
 * existing profile gets them too); Chromium keeps them when it rewrites the
 * file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObj } from '../../../protocol/guards.ts';

type Json = { [k: string]: unknown };

export const PHONE_PREFS: Json = {
  credentials_enable_service: false,
  profile: { password_manager_enabled: false },
  autofill: { profile_enabled: false, credit_card_enabled: false },
  translate: { enabled: false },
};

/** `prefs` with `over` merged in, objects deeply, everything else replaced. Pure. */
export function mergePrefs(prefs: unknown, over: Json = PHONE_PREFS): Json {
  const out: Json = isObj(prefs) ? { ...prefs } : {};
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) ? mergePrefs(out[k], v) : v;
  return out;
}

/** Merges PHONE_PREFS into the profile's Default/Preferences (creating it); a corrupt file is replaced. */
export function applyPhonePrefs(userDataDir: string): void {
  const dir = join(userDataDir, 'Default');
  const file = join(dir, 'Preferences');
  let current: unknown;
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    current = undefined; // none yet, or unreadable: Chromium would reset it anyway
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(mergePrefs(current)), { mode: 0o600 });
}

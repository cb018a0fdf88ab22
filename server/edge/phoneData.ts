/**
 * Phone instance data on an edge: one directory per instance below the edge's
 * data root (`<root>/phones/<subscriberId>/<instanceId>`), holding the
 * instance's browser profile. Paths are built from the two ids only, which are
 * slugs (checked again here), so nothing a user sends can point outside it.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { PhonePrepare } from '../../protocol/index.ts';
import { instanceDataDir } from '../../sessions/index.ts';

/** The absolute directory of an instance's data. Throws on ids that are not slugs (a caller bug: the link parser checks them). */
export function phoneDataPath(root: string, phone: Pick<PhonePrepare, 'subscriberId' | 'instanceId'>): string {
  const base = path.resolve(root);
  const dir = path.resolve(base, instanceDataDir(phone.subscriberId, phone.instanceId));
  if (!dir.startsWith(base + path.sep)) throw new Error(`instance data path escapes the data root: ${dir}`);
  return dir;
}

/** Creates the directory (owner-only) if needed and returns it. */
export function ensurePhoneData(root: string, phone: PhonePrepare): string {
  const dir = phoneDataPath(root, phone);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Deletes an instance's data; nothing there is fine. */
export function deletePhoneData(root: string, phone: PhonePrepare): void {
  rmSync(phoneDataPath(root, phone), { recursive: true, force: true });
}

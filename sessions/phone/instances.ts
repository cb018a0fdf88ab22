/**
 * A subscriber's named phone instances (personas): name rules, the data
 * directory (derived from ids only), a store interface with an in-memory
 * default, and create / rename / remove with the subscriber's limit. Another
 * subscriber's instance always answers exactly like an unknown one.
 */
import { randomBytes } from 'node:crypto';
import { isSlug } from '../../protocol/index.ts';
import { refuse, show, type Refusal } from '../fleet/errors.ts';
import { PhoneCode } from './errors.ts';
import type { SubscriberRecord } from './subscribers.ts';

export const MAX_INSTANCE_NAME_CHARS = 40;
/** Root of all instance data on an edge, relative to the edge's data directory. */
export const PHONE_DATA_ROOT = 'phones';

export type PhoneInstance = Readonly<{
  /** Unguessable: 128 random bits as 22 base64url characters. */
  instanceId: string;
  subscriberId: string;
  /** What the subscriber called it; display only, never part of a path. */
  name: string;
  createdAtMs: number;
  /** The edge that holds its data, once it has run somewhere. */
  edgeId?: string;
  /** `phones/<subscriberId>/<instanceId>`, relative to the edge's data directory. */
  dataDir: string;
  lastUsedAtMs: number;
}>;

/** A fresh unguessable instance id. */
export const newInstanceId = (): string => randomBytes(16).toString('base64url');

/**
 * The instance's data directory, relative to the edge's data root. Built from
 * the two ids only; both must be slugs ([A-Za-z0-9_-], so no '/', '.' or '..'),
 * else it throws: a bad id here is a caller bug, never a user's input.
 */
export function instanceDataDir(subscriberId: string, instanceId: string): string {
  if (!isSlug(subscriberId) || !isSlug(instanceId)) throw new Error(`unsafe id in data path: ${show(subscriberId)}/${show(instanceId)}`);
  return `${PHONE_DATA_ROOT}/${subscriberId}/${instanceId}`;
}

// Control, format (bidi overrides, zero-width), surrogate, private-use and unassigned characters, and line separators.
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;

/** The name as stored (NFC, trimmed), or a refusal saying what is wrong with it. */
export function validateInstanceName(v: unknown): { ok: true; name: string } | Refusal<'bad-request'> {
  if (typeof v !== 'string' || v.length > MAX_INSTANCE_NAME_CHARS * 4) {
    return refuse(PhoneCode.badRequest, `name must be a string of 1..${MAX_INSTANCE_NAME_CHARS} printable characters (got ${show(v)})`);
  }
  const name = v.normalize('NFC').trim();
  const chars = [...name].length;
  if (chars === 0 || chars > MAX_INSTANCE_NAME_CHARS) {
    return refuse(PhoneCode.badRequest, `name must have 1..${MAX_INSTANCE_NAME_CHARS} characters (got ${chars})`);
  }
  if (UNPRINTABLE.test(name)) return refuse(PhoneCode.badRequest, `name must contain only printable characters (got ${show(v)})`);
  return { ok: true, name };
}

/** Names compare case- and compatibility-insensitively: "Work" and "ｗｏｒｋ" are the same persona. */
const nameKey = (name: string): string => name.normalize('NFKC').toLowerCase();

/**
 * Where instances live. Synchronous on purpose: the count-check-then-put of
 * createInstance must not interleave with another create.
 */
export interface InstanceStore {
  get(instanceId: string): PhoneInstance | undefined;
  put(instance: PhoneInstance): void;
  remove(instanceId: string): boolean;
  listBySubscriber(subscriberId: string): PhoneInstance[];
}

/** The default store: a Map, lost on restart. */
export class InMemoryInstanceStore implements InstanceStore {
  private readonly instances = new Map<string, PhoneInstance>();
  private readonly bySubscriber = new Map<string, Set<string>>();

  get(instanceId: string): PhoneInstance | undefined {
    return this.instances.get(instanceId);
  }

  put(instance: PhoneInstance): void {
    const old = this.instances.get(instance.instanceId);
    if (old && old.subscriberId !== instance.subscriberId) this.bySubscriber.get(old.subscriberId)?.delete(instance.instanceId);
    this.instances.set(instance.instanceId, instance);
    let ids = this.bySubscriber.get(instance.subscriberId);
    if (!ids) this.bySubscriber.set(instance.subscriberId, (ids = new Set()));
    ids.add(instance.instanceId);
  }

  remove(instanceId: string): boolean {
    const old = this.instances.get(instanceId);
    if (!old) return false;
    this.instances.delete(instanceId);
    const ids = this.bySubscriber.get(old.subscriberId);
    ids?.delete(instanceId);
    if (ids?.size === 0) this.bySubscriber.delete(old.subscriberId);
    return true;
  }

  /** The subscriber's instances, oldest first. */
  listBySubscriber(subscriberId: string): PhoneInstance[] {
    const ids = [...(this.bySubscriber.get(subscriberId) ?? [])];
    return ids.flatMap((id) => this.instances.get(id) ?? []).sort((a, b) => a.createdAtMs - b.createdAtMs);
  }
}

const UNKNOWN = 'There is no such phone instance.';

/**
 * The instance if `subscriberId` owns it. A missing instance and another
 * subscriber's instance get the same code and the same words.
 */
export function ownedBy(instance: PhoneInstance | undefined, subscriberId: string): { ok: true; instance: PhoneInstance } | Refusal<'unknown-instance'> {
  if (!instance || instance.subscriberId !== subscriberId) return refuse(PhoneCode.unknownInstance, UNKNOWN);
  return { ok: true, instance };
}

/** Looks up an instance id from a request (anything) for `subscriberId`. */
export function getOwnedInstance(
  store: InstanceStore,
  subscriberId: string,
  instanceId: unknown,
): { ok: true; instance: PhoneInstance } | Refusal<'unknown-instance'> {
  return ownedBy(isSlug(instanceId) ? store.get(instanceId) : undefined, subscriberId);
}

function nameTaken(store: InstanceStore, subscriberId: string, name: string, except?: string): boolean {
  const key = nameKey(name);
  return store.listBySubscriber(subscriberId).some((i) => i.instanceId !== except && nameKey(i.name) === key);
}

/** Creates and stores a new instance, within the subscriber's limit and with a name it does not use yet. */
export function createInstance(
  store: InstanceStore,
  subscriber: SubscriberRecord,
  name: unknown,
  now: number,
): { ok: true; instance: PhoneInstance } | Refusal<'bad-request' | 'instance-limit' | 'name-taken'> {
  const n = validateInstanceName(name);
  if (!n.ok) return n;
  const count = store.listBySubscriber(subscriber.subscriberId).length;
  if (count >= subscriber.maxInstances) {
    return refuse(PhoneCode.instanceLimit, `This subscriber may have ${subscriber.maxInstances} instance(s) and has ${count}; remove one first.`);
  }
  if (nameTaken(store, subscriber.subscriberId, n.name)) return refuse(PhoneCode.nameTaken, `An instance named ${show(n.name)} already exists.`);
  const instanceId = newInstanceId();
  const instance: PhoneInstance = Object.freeze({
    instanceId,
    subscriberId: subscriber.subscriberId,
    name: n.name,
    createdAtMs: now,
    dataDir: instanceDataDir(subscriber.subscriberId, instanceId),
    lastUsedAtMs: now,
  });
  store.put(instance);
  return { ok: true, instance };
}

/** Renames an instance the subscriber owns; its data directory does not change. */
export function renameInstance(
  store: InstanceStore,
  subscriberId: string,
  instanceId: unknown,
  name: unknown,
): { ok: true; instance: PhoneInstance } | Refusal<'unknown-instance' | 'bad-request' | 'name-taken'> {
  const r = getOwnedInstance(store, subscriberId, instanceId);
  if (!r.ok) return r;
  const n = validateInstanceName(name);
  if (!n.ok) return n;
  if (nameTaken(store, subscriberId, n.name, r.instance.instanceId)) return refuse(PhoneCode.nameTaken, `An instance named ${show(n.name)} already exists.`);
  const instance = Object.freeze({ ...r.instance, name: n.name });
  store.put(instance);
  return { ok: true, instance };
}

/** Removes an instance the subscriber owns; the caller stops it if running and deletes `dataDir` on `edgeId`. */
export function removeInstance(
  store: InstanceStore,
  subscriberId: string,
  instanceId: unknown,
): { ok: true; instance: PhoneInstance } | Refusal<'unknown-instance'> {
  const r = getOwnedInstance(store, subscriberId, instanceId);
  if (r.ok) store.remove(r.instance.instanceId);
  return r;
}

/** The instance after it was opened on `edgeId` at `now` (its data now lives there), for the caller to store. */
export function instanceUsed(instance: PhoneInstance, edgeId: string, now: number): PhoneInstance {
  return Object.freeze({ ...instance, edgeId, lastUsedAtMs: Math.max(instance.lastUsedAtMs, now) });
}

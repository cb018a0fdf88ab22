/**
 * Telco-provisioned cloud-phone subscribers: defaults of a provision
 * request, a store interface with an in-memory default, and removal (which
 * hands back the instances to stop and whose data to delete).
 */
import { isSlug, type ProvisionSubscriberRequest } from '../../protocol/index.ts';
import { refuse, show, type Refusal } from '../fleet/errors.ts';
import { PhoneCode } from './errors.ts';
import type { InstanceStore, PhoneInstance } from './instances.ts';

export const DEFAULT_INSTANCES_PER_SUBSCRIBER = 1;

/** A subscriber as the broker stores it. `subscriberId` is a slug: it appears in data paths. */
export type SubscriberRecord = Readonly<{
  subscriberId: string;
  telcoId: string;
  maxInstances: number;
  createdAtMs: number;
}>;

/** A provision request that passed validation, with defaults applied. */
export type SubscriberSpec = { subscriberId: string; maxInstances: number };

/**
 * A provision request (its shape checked on the wire: protocol/phone.ts)
 * with the default limit applied. The telco id comes from the authenticated
 * API key, never from the body.
 */
export const subscriberSpec = (req: ProvisionSubscriberRequest): SubscriberSpec => ({
  subscriberId: req.subscriberId,
  maxInstances: req.maxInstances ?? DEFAULT_INSTANCES_PER_SUBSCRIBER,
});

/**
 * Where subscribers live. Synchronous on purpose, like DemoLinkStore: a
 * check-then-put (provision, instance limit) must not interleave.
 */
export interface SubscriberStore {
  get(subscriberId: string): SubscriberRecord | undefined;
  put(subscriber: SubscriberRecord): void;
  remove(subscriberId: string): boolean;
  listByTelco(telcoId: string): SubscriberRecord[];
}

/** The default store: a Map, lost on restart. */
export class InMemorySubscriberStore implements SubscriberStore {
  private readonly subscribers = new Map<string, SubscriberRecord>();

  get(subscriberId: string): SubscriberRecord | undefined {
    return this.subscribers.get(subscriberId);
  }

  put(subscriber: SubscriberRecord): void {
    this.subscribers.set(subscriber.subscriberId, subscriber);
  }

  remove(subscriberId: string): boolean {
    return this.subscribers.delete(subscriberId);
  }

  /** The telco's subscribers, oldest first (then by id, so the order is stable). */
  listByTelco(telcoId: string): SubscriberRecord[] {
    return [...this.subscribers.values()]
      .filter((s) => s.telcoId === telcoId)
      .sort((a, b) => a.createdAtMs - b.createdAtMs || (a.subscriberId < b.subscriberId ? -1 : a.subscriberId > b.subscriberId ? 1 : 0));
  }
}

/**
 * Provisions a validated subscriber for `telcoId`. Subscriber ids are global
 * (they name data directories), so an id another telco holds is refused as
 * taken too; changing a limit goes through updateSubscriber, not here.
 */
export function provisionSubscriber(
  store: SubscriberStore,
  telcoId: string,
  spec: SubscriberSpec,
  now: number,
): { ok: true; subscriber: SubscriberRecord } | Refusal<'subscriber-exists'> {
  if (store.get(spec.subscriberId)) return refuse(PhoneCode.subscriberExists, `subscriber ${show(spec.subscriberId)} already exists`);
  const subscriber: SubscriberRecord = Object.freeze({ subscriberId: spec.subscriberId, telcoId, maxInstances: spec.maxInstances, createdAtMs: now });
  store.put(subscriber);
  return { ok: true, subscriber };
}

/** The telco's own subscriber; another telco's answers exactly like an unknown one. */
export function subscriberOfTelco(
  store: SubscriberStore,
  telcoId: string,
  subscriberId: unknown,
): { ok: true; subscriber: SubscriberRecord } | Refusal<'unknown-subscriber'> {
  const s = isSlug(subscriberId) ? store.get(subscriberId) : undefined;
  if (!s || s.telcoId !== telcoId) return refuse(PhoneCode.unknownSubscriber, 'There is no such subscriber.');
  return { ok: true, subscriber: s };
}

/**
 * Sets how many instances the subscriber may have. Lowering the limit below
 * the instances already there keeps them all; only creating more is refused.
 */
export function updateSubscriber(
  store: SubscriberStore,
  telcoId: string,
  subscriberId: unknown,
  update: { maxInstances: number },
): { ok: true; subscriber: SubscriberRecord } | Refusal<'unknown-subscriber'> {
  const r = subscriberOfTelco(store, telcoId, subscriberId);
  if (!r.ok) return r;
  const subscriber = Object.freeze({ ...r.subscriber, maxInstances: update.maxInstances });
  store.put(subscriber);
  return { ok: true, subscriber };
}

/**
 * Removes the subscriber and all its instances from the stores. The caller
 * must stop each returned instance that is running and delete its
 * `dataDir` on its `edgeId`; tokens already issued stop working once the
 * verifier looks the subscriber up (see verifySubscriberToken).
 */
export function removeSubscriber(
  subscribers: SubscriberStore,
  instances: InstanceStore,
  telcoId: string,
  subscriberId: unknown,
): { ok: true; subscriber: SubscriberRecord; instances: PhoneInstance[] } | Refusal<'unknown-subscriber'> {
  const r = subscriberOfTelco(subscribers, telcoId, subscriberId);
  if (!r.ok) return r;
  const owned = instances.listBySubscriber(r.subscriber.subscriberId);
  for (const i of owned) instances.remove(i.instanceId);
  subscribers.remove(r.subscriber.subscriberId);
  return { ok: true, subscriber: r.subscriber, instances: owned };
}

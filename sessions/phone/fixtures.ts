/** Test helpers shared by the phone unit tests: plain records at a fixed time. */
import type { SubscriberRecord } from './subscribers.ts';

export const T0 = 1_700_000_000_000;

export const subscriber = (subscriberId: string, over: Partial<SubscriberRecord> = {}): SubscriberRecord =>
  Object.freeze({ subscriberId, telcoId: 'telco-a', maxInstances: 2, createdAtMs: T0, ...over });

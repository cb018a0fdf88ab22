/**
 * Network profiles a latency run can put between the browser and the local
 * demo. Each figure applies to each direction of the link, so the round trip
 * carries twice the delay. Pure data: e2e/support/netns.ts applies them
 * (kernel netem, or the userspace wire where the kernel has none).
 */

/** Each figure applies to each direction of the link; see e2e/support/netns.ts. */
export type { Impairment } from '../support/netns.ts';
import type { Impairment } from '../support/netns.ts';

export type ProfileName = 'lan' | 'wifi' | '4g' | 'bad' | 'cap4m';

export type NetworkProfile = {
  name: ProfileName;
  description: string;
  /** undefined for `lan`: the stack runs on loopback with no namespace at all. */
  impairment?: Impairment;
};

const NETEM_DEFAULT_LIMIT = 1000;

export const PROFILES: Readonly<Record<ProfileName, NetworkProfile>> = {
  lan: { name: 'lan', description: 'no impairment (loopback)' },
  wifi: {
    name: 'wifi',
    description: '20 ms ± 5 ms, 0.5 % loss',
    impairment: { delayMs: 20, jitterMs: 5, lossPercent: 0.5, limitPackets: NETEM_DEFAULT_LIMIT },
  },
  '4g': {
    name: '4g',
    description: '60 ms ± 20 ms, 1 % loss, 8 Mbit/s',
    impairment: { delayMs: 60, jitterMs: 20, lossPercent: 1, rateKbit: 8000, limitPackets: NETEM_DEFAULT_LIMIT },
  },
  bad: {
    name: 'bad',
    description: '120 ms ± 30 ms, 3 % loss, 3 Mbit/s',
    impairment: { delayMs: 120, jitterMs: 30, lossPercent: 3, rateKbit: 3000, limitPackets: NETEM_DEFAULT_LIMIT },
  },
  // Capacity alone: a clean, near link narrower than the stream. It binds on motion-bench-heavy
  // (and on motion-bench at 6 Mbit/s), never on the near-static demo game: what congestion control is judged on.
  cap4m: {
    name: 'cap4m',
    description: '5 ms, no loss, 4 Mbit/s',
    impairment: { delayMs: 5, jitterMs: 0, lossPercent: 0, rateKbit: 4000, limitPackets: NETEM_DEFAULT_LIMIT },
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function isProfileName(v: string): v is ProfileName {
  return Object.hasOwn(PROFILES, v);
}

export function getProfile(name: string): NetworkProfile {
  if (!isProfileName(name)) throw new Error(`unknown network profile '${name}' (known: ${PROFILE_NAMES.join(', ')})`);
  return PROFILES[name];
}

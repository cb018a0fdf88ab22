/**
 * Network profiles a latency run can put between the browser and the local
 * demo, and the `tc netem` arguments that apply them. Each figure applies to
 * each direction of the link (netem sits on the egress of both veth ends), so
 * the round trip carries twice the delay. Pure data and argument building:
 * e2e/qa/netns.ts runs the commands.
 */

export type Impairment = {
  /** One-way added delay and its jitter (uniform within ± jitter, netem's default without a distribution table). */
  delayMs: number;
  jitterMs: number;
  /** Independent random loss of each packet. */
  lossPercent: number;
  /** Bottleneck rate; undefined = unlimited. */
  rateKbit?: number;
  /** Packets queued before tail drop (netem's default limit). */
  limitPackets: number;
};

export type ProfileName = 'lan' | 'wifi' | '4g' | 'bad';

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
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function isProfileName(v: string): v is ProfileName {
  return Object.hasOwn(PROFILES, v);
}

export function getProfile(name: string): NetworkProfile {
  if (!isProfileName(name)) throw new Error(`unknown network profile '${name}' (known: ${PROFILE_NAMES.join(', ')})`);
  return PROFILES[name];
}

/** tc prints and parses plain decimals; avoid "1e-7" style output for small losses. */
const decimal = (v: number): string => String(Number(v.toFixed(4)));

/**
 * The netem part of a qdisc: `netem limit N delay Xms Yms loss P% rate Rkbit`.
 * No distribution is named, so the kernel draws jitter uniformly; with a rate
 * netem also keeps packets in order, without one jitter may reorder them.
 */
export function netemOptions(imp: Impairment): string[] {
  const args = ['netem', 'limit', String(imp.limitPackets)];
  if (imp.delayMs > 0 || imp.jitterMs > 0) {
    args.push('delay', `${decimal(imp.delayMs)}ms`);
    if (imp.jitterMs > 0) args.push(`${decimal(imp.jitterMs)}ms`);
  }
  if (imp.lossPercent > 0) args.push('loss', `${decimal(imp.lossPercent)}%`);
  if (imp.rateKbit !== undefined) args.push('rate', `${decimal(imp.rateKbit)}kbit`);
  return args;
}

/** `tc` arguments that put the impairment on the egress of `dev`. */
export function tcAddArgs(dev: string, imp: Impairment): string[] {
  return ['qdisc', 'add', 'dev', dev, 'root', ...netemOptions(imp)];
}

/** `tc` arguments that remove it again (deleting the veth does this too). */
export function tcDelArgs(dev: string): string[] {
  return ['qdisc', 'del', 'dev', dev, 'root'];
}

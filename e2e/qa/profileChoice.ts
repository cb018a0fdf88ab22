/**
 * Which network profile a run can really apply: shaping needs the local
 * demo (the tool runs it behind the emulated network) and permission to
 * create network namespaces. Otherwise the run says why and measures lan.
 */
import { canCreateNamespaces } from '../support/netns.ts';
import { getProfile, PROFILES, type NetworkProfile, type ProfileName } from './profiles.ts';

/** Why `profile` cannot be applied on this machine, or undefined when it can (lan always can). */
export function shapingBlocker(profile: NetworkProfile): string | undefined {
  if (!profile.impairment) return undefined;
  const support = canCreateNamespaces();
  return support.ok ? undefined : support.why;
}

/** The profile that will really apply, and a note when it differs from the one asked for. */
export function effectiveProfile(
  opts: { target: string; profile: ProfileName },
  blocker: (p: NetworkProfile) => string | undefined = shapingBlocker,
): { profile: NetworkProfile; note?: string } {
  const asked = getProfile(opts.profile);
  if (!asked.impairment) return { profile: asked };
  if (opts.target !== 'local') {
    return {
      profile: PROFILES.lan,
      note: `network profile '${asked.name}' applies only to the local demo (--local), which the tool runs behind an emulated network; measuring ${opts.target} as it is (lan)`,
    };
  }
  const why = blocker(asked);
  if (why) return { profile: PROFILES.lan, note: `cannot apply network profile '${asked.name}': ${why}; measured on lan instead` };
  return { profile: asked };
}

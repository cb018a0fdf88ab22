/**
 * Command line of `npm run latency` (cli.ts), parsed into plain options.
 * Pure: errors are thrown as UsageError with a message for the user.
 */
import { parseArgs } from 'node:util';
import { PROFILE_NAMES, isProfileName, type ProfileName } from './profiles.ts';
import { must } from '../../protocol/must.ts';

export const USAGE = `Usage:
  npm run latency -- <demo link | phone URL | local> [options]
  npm run latency -- --local [options]
  npm run latency -- --compare A.json B.json

Measures what a player feels on a stream in headless Chromium and writes a
JSON and an HTML report.

Options:
  --seconds N        how long to measure (default 30)
  --profile NAME     network profile: ${PROFILE_NAMES.join(', ')} (default lan); applies to the local demo only
  --out DIR          where the reports go (default bench-results/latency, which git ignores)
  --local            boot the local demo (same as the URL "local")
  --size WxH         local demo picture size (default 1280x720)
  --fps N            local demo frame rate (default 30)
  --bitrate KBPS     local demo bitrate (default: the server's, 6000)
  --title ID         local demo title: paddle-demo (default), motion-bench (the peer's class of picture), motion-bench-heavy
  --shaper KIND      auto (default), netem or wire: how a profile is applied
  --budget NAME      check the result against a budget in e2e/qa/budgets.ts; exit 1 when over
  --no-inputs        press no keys (no input-to-photon figures)
  --compare A B      print the change of every figure from report A to report B
  -h, --help         this text`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export type RunOptions = {
  mode: 'run';
  /** 'local' or an http(s) URL. */
  target: string;
  seconds: number;
  profile: ProfileName;
  outDir: string;
  video: { width: number; height: number; fps: number; bitrateKbps?: number; titleId?: string };
  shaper: 'auto' | 'netem' | 'wire';
  budget?: string;
  inputs: boolean;
};
export type CompareOptions = { mode: 'compare'; a: string; b: string };
export type CliOptions = RunOptions | CompareOptions | { mode: 'help' };

function positiveInt(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got '${raw}'`);
  return n;
}

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        seconds: { type: 'string' },
        profile: { type: 'string' },
        out: { type: 'string' },
        local: { type: 'boolean' },
        size: { type: 'string' },
        fps: { type: 'string' },
        bitrate: { type: 'string' },
        title: { type: 'string' },
        shaper: { type: 'string' },
        budget: { type: 'string' },
        'no-inputs': { type: 'boolean' },
        compare: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { mode: 'help' };
  if (v.compare) {
    if (positionals.length !== 2) throw new UsageError('--compare needs two report files: --compare A.json B.json');
    return { mode: 'compare', a: must(positionals[0], 'positionals[0]'), b: must(positionals[1], 'positionals[1]') };
  }
  if (positionals.length > 1) throw new UsageError(`one URL at a time, got: ${positionals.join(' ')}`);
  const target = v.local ? 'local' : positionals[0];
  if (!target) throw new UsageError('which stream? give a demo link, a phone URL, or --local');
  if (target !== 'local' && !/^https?:\/\//.test(target)) throw new UsageError(`not an http(s) URL: ${target}`);
  const profile = v.profile ?? 'lan';
  if (!isProfileName(profile)) throw new UsageError(`unknown profile '${profile}' (known: ${PROFILE_NAMES.join(', ')})`);
  const size = /^(\d+)x(\d+)$/.exec(v.size ?? '1280x720');
  if (!size) throw new UsageError(`--size must look like 1280x720, got '${v.size}'`);
  const shaper = v.shaper ?? 'auto';
  if (shaper !== 'auto' && shaper !== 'netem' && shaper !== 'wire') throw new UsageError(`--shaper must be auto, netem or wire, got '${shaper}'`);
  const video: RunOptions['video'] = { width: Number(size[1]), height: Number(size[2]), fps: positiveInt('fps', v.fps, 30, 120) };
  if (v.bitrate !== undefined) video.bitrateKbps = positiveInt('bitrate', v.bitrate, 6000, 100_000);
  if (v.title !== undefined) {
    if (!/^[a-z0-9-]{1,64}$/.test(v.title)) throw new UsageError(`--title must be a catalog id such as motion-bench, got '${v.title}'`);
    video.titleId = v.title;
  }
  const out: RunOptions = {
    mode: 'run',
    target,
    seconds: positiveInt('seconds', v.seconds, 30, 3600),
    profile,
    outDir: v.out ?? 'bench-results/latency',
    video,
    shaper,
    inputs: !v['no-inputs'],
  };
  if (v.budget !== undefined) out.budget = v.budget;
  return out;
}

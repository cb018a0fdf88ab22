import ffmpeg from 'fluent-ffmpeg';
import type { Logger } from 'pino';
import { codecArgs, codecOf, ENCODER_NAMES, type EncoderName, type VideoCodec } from './args.ts';
import { EncoderError } from './errors.ts';

export type ProbeEntry = { encoder: EncoderName; ok: boolean; reason?: string; elapsedMs: number };
export type ProbeResult = {
  chosen: EncoderName;
  codec: VideoCodec;
  results: ProbeEntry[];
  /** Time fluent-ffmpeg spent on `-formats` and `-encoders` (its one-off warm-up). */
  warmMs: number;
};

export type ProbeOptions = {
  ffmpegPath: string;
  logger: Logger;
  /** Per encoder; CUDA initialisation alone can take a second or two. */
  timeoutMs?: number;
  /** In order of preference; defaults to ENCODER_NAMES. */
  candidates?: readonly EncoderName[];
  vaapiDevice?: string;
};

export const NOT_PROBED = 'not probed (a preferred encoder works)';

// Lines ffmpeg prints after the real cause; they never explain anything.
const GENERIC = [/^Conversion failed/, /^Error initializing output stream/, /^Error while opening encoder/, /^Error parsing global options/, /^Press \[q\]/];
// Lines that name the cause outright: driver, device, session errors.
const TELLING = /NV_ENC_ERR|OpenEncodeSession|Cannot load|No VA display|MFX session|Unknown encoder|No such file|not available|unsupported/i;

/** The most useful line of a failed probe's stderr, with ffmpeg's object addresses removed. */
export function meaningfulStderrLine(stderr: string): string | undefined {
  const lines = stderr
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim().replace(/ @ 0x[0-9a-f]+\]/, ']'))
    .filter((l) => l !== '' && !GENERIC.some((g) => g.test(l)));
  const pick = (pred: (l: string) => boolean): string | undefined => lines.filter(pred).at(-1);
  return pick((l) => TELLING.test(l)) ?? pick((l) => l.startsWith('[')) ?? lines.at(-1);
}

/**
 * fluent-ffmpeg runs `ffmpeg -formats` and `-encoders` before its first
 * command in a process (0.5–1 s) and caches them process-wide; paying it here
 * keeps it off a player's first click and out of each probe's timing.
 * Note the cache (and setFfmpegPath) is global to the process, not per path.
 */
function warmFluentFfmpeg(ffmpegPath: string): Promise<void> {
  ffmpeg.setFfmpegPath(ffmpegPath);
  return new Promise((resolve, reject) => {
    ffmpeg.getAvailableFormats((err: Error | null) => {
      if (err) {
        reject(err);
        return;
      }
      ffmpeg.getAvailableEncoders((err2: Error | null) => {
        if (err2) reject(err2);
        else resolve();
      });
    });
  });
}

/** Encodes three test frames with the encoder's real options; resolves with why it failed, if it did. */
function probeOne(encoder: EncoderName, o: ProbeOptions, timeoutMs: number): Promise<{ ok: boolean; reason?: string }> {
  const { globalArgs, outputArgs } = codecArgs({ encoder, fps: 10, bitrateKbps: 500, gopFrames: 10, vaapiDevice: o.vaapiDevice });
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const settle = (r: { ok: boolean; reason?: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const cmd = ffmpeg()
      .input('testsrc2=size=256x144:rate=10')
      .inputFormat('lavfi')
      .inputOptions(['-hide_banner', '-nostats', '-loglevel', 'warning', ...globalArgs])
      .outputOptions([...outputArgs, '-frames:v', '3'])
      .format('null')
      .output('-')
      .on('start', () => {
        // The timer may fire during fluent-ffmpeg's checks, before a process exists.
        if (timedOut) cmd.kill('SIGKILL');
      })
      .on('end', () => settle({ ok: true }))
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
        settle({ ok: false, reason: meaningfulStderrLine(stderr ?? '') ?? err.message });
      });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        cmd.kill('SIGKILL');
      } catch {
        // not spawned yet: the 'start' handler kills it
      }
      settle({ ok: false, reason: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    cmd.run();
  });
}

/**
 * Finds the best encoder that really works here by encoding a few frames with
 * each candidate in order (NVENC must be probed, never assumed: machines with
 * the driver's library but no encode engine fail only when a session opens).
 * Stops at the first success; the rest are reported as not probed.
 */
export async function probeEncoders(o: ProbeOptions): Promise<ProbeResult> {
  const candidates = o.candidates ?? ENCODER_NAMES;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const log = o.logger;
  const warmStart = performance.now();
  await warmFluentFfmpeg(o.ffmpegPath);
  const warmMs = Math.round(performance.now() - warmStart);
  const results: ProbeEntry[] = [];
  let chosen: EncoderName | undefined;
  for (const encoder of candidates) {
    if (chosen) {
      results.push({ encoder, ok: false, reason: NOT_PROBED, elapsedMs: 0 });
      continue;
    }
    const start = performance.now();
    const r = await probeOne(encoder, o, timeoutMs);
    const entry: ProbeEntry = { encoder, ok: r.ok, elapsedMs: Math.round(performance.now() - start) };
    if (!r.ok) entry.reason = r.reason ?? 'unknown failure';
    results.push(entry);
    if (r.ok) chosen = encoder;
  }
  const failures = Object.fromEntries(results.filter((r) => r.reason && r.reason !== NOT_PROBED).map((r) => [r.encoder, r.reason]));
  if (!chosen) {
    const list = results.map((r) => `${r.encoder}: ${r.reason}`).join('; ');
    log.error({ failures, warmMs }, 'no video encoder works');
    throw new EncoderError(`no working video encoder (${list})`, { phase: 'start' });
  }
  log.info({ chosen, codec: codecOf(chosen), failures, warmMs }, 'video encoder chosen');
  return { chosen, codec: codecOf(chosen), results, warmMs };
}

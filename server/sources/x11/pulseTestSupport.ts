/** Test support for the sound tests: a generated tone as a WAV file, the loudness of a PCM chunk, leftover processes. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PCM_CHANNELS, PCM_RATE_HZ } from './pulseArgs.ts';

/** Writes a 16-bit stereo 48 kHz sine tone as a WAV file (what `paplay` reads). */
export function writeToneWav(path: string, o: { hz: number; ms: number; amplitude: number }): void {
  const frames = Math.round((PCM_RATE_HZ * o.ms) / 1000);
  const data = Buffer.alloc(frames * PCM_CHANNELS * 2);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(o.amplitude * Math.sin((2 * Math.PI * o.hz * i) / PCM_RATE_HZ));
    for (let c = 0; c < PCM_CHANNELS; c++) data.writeInt16LE(v, (i * PCM_CHANNELS + c) * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(PCM_CHANNELS, 22);
  header.writeUInt32LE(PCM_RATE_HZ, 24);
  header.writeUInt32LE(PCM_RATE_HZ * PCM_CHANNELS * 2, 28); // byte rate
  header.writeUInt16LE(PCM_CHANNELS * 2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}

/** Root mean square of s16le samples (0 for digital silence; a full-scale sine is about 23170). */
export function pcmRms(pcm: Buffer): number {
  let sum = 0;
  const n = Math.floor(pcm.length / 2);
  for (let i = 0; i < n; i++) sum += pcm.readInt16LE(i * 2) ** 2;
  return n ? Math.sqrt(sum / n) : 0;
}

/** Pids of live processes whose command line mentions `text` (e.g. a session's directory). */
export function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

/** Polls `check` every 10 ms until it returns a value; rejects after `timeoutMs`. */
export function until<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      const v = check();
      if (v !== undefined) return resolve(v);
      if (Date.now() > deadline) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

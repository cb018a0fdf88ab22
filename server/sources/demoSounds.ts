/**
 * Sound effects of the demo game, synthesized in Node: short sine/square
 * blips with an attack/decay envelope, mixed into 48 kHz s16le stereo PCM.
 * Pure: no timers; the audio source asks for the next n samples.
 */

export type DemoSound = 'press' | 'launch' | 'paddle' | 'wall' | 'score' | 'over';

export const AUDIO_SAMPLE_RATE = 48_000;
export const AUDIO_CHANNELS = 2;
/** Bytes per stereo s16le sample frame. */
export const AUDIO_FRAME_BYTES = 2 * AUDIO_CHANNELS;

type Note = { freqHz: number; durMs: number; wave: 'sine' | 'square'; gain: number; /** Frequency at the end (a sweep); defaults to freqHz. */ toHz?: number };

/** Each effect is a short sequence of notes, played back to back. */
const EFFECTS: Record<DemoSound, Note[]> = {
  press: [{ freqHz: 1200, durMs: 30, wave: 'square', gain: 0.12 }],
  launch: [{ freqHz: 400, toHz: 900, durMs: 90, wave: 'square', gain: 0.18 }],
  paddle: [{ freqHz: 660, durMs: 60, wave: 'square', gain: 0.22 }],
  wall: [{ freqHz: 330, durMs: 45, wave: 'sine', gain: 0.3 }],
  score: [
    { freqHz: 523, durMs: 90, wave: 'sine', gain: 0.3 },
    { freqHz: 784, durMs: 140, wave: 'sine', gain: 0.3 },
  ],
  over: [
    { freqHz: 392, durMs: 150, wave: 'square', gain: 0.18 },
    { freqHz: 262, durMs: 300, wave: 'square', gain: 0.18 },
  ],
};

type Voice = { notes: Note[]; noteIndex: number; pos: number; phase: number };

/** At most this many effects sound at once; the oldest is dropped (a burst of key presses stays bounded). */
const MAX_VOICES = 8;
const ATTACK_SAMPLES = Math.round(AUDIO_SAMPLE_RATE * 0.003);

export class DemoSynth {
  private readonly voices: Voice[] = [];
  /** Effects triggered so far, by name (for tests and logs). */
  readonly triggered = new Map<DemoSound, number>();

  trigger(sound: DemoSound): void {
    this.triggered.set(sound, (this.triggered.get(sound) ?? 0) + 1);
    if (this.voices.length >= MAX_VOICES) this.voices.shift();
    this.voices.push({ notes: EFFECTS[sound], noteIndex: 0, pos: 0, phase: 0 });
  }

  get active(): boolean {
    return this.voices.length > 0;
  }

  /** The next `frames` stereo sample frames as s16le PCM; silence (zeros) when nothing sounds. */
  render(frames: number): Buffer {
    const out = Buffer.alloc(frames * AUDIO_FRAME_BYTES);
    if (this.voices.length === 0) return out;
    const mix = new Float32Array(frames);
    for (const v of this.voices) renderVoice(v, mix);
    for (let i = this.voices.length - 1; i >= 0; i--) {
      const v = this.voices[i];
      if (v && v.noteIndex >= v.notes.length) this.voices.splice(i, 1);
    }
    for (let i = 0; i < frames; i++) {
      const s = Math.round(Math.max(-1, Math.min(1, mix[i] ?? 0)) * 32767);
      out.writeInt16LE(s, i * 4);
      out.writeInt16LE(s, i * 4 + 2);
    }
    return out;
  }
}

function renderVoice(v: Voice, mix: Float32Array): void {
  let i = 0;
  while (i < mix.length && v.noteIndex < v.notes.length) {
    const n = v.notes[v.noteIndex];
    if (!n) break; // the loop condition keeps noteIndex in range
    const len = Math.round((n.durMs / 1000) * AUDIO_SAMPLE_RATE);
    for (; i < mix.length && v.pos < len; i++, v.pos++) {
      const t = v.pos / len;
      const freq = n.freqHz + ((n.toHz ?? n.freqHz) - n.freqHz) * t;
      v.phase = (v.phase + freq / AUDIO_SAMPLE_RATE) % 1;
      const raw = n.wave === 'sine' ? Math.sin(2 * Math.PI * v.phase) : v.phase < 0.5 ? 1 : -1;
      // A short linear attack and an exponential-ish decay: no clicks at either end.
      const env = Math.min(1, v.pos / ATTACK_SAMPLES) * (1 - t) * (1 - t);
      mix[i] = (mix[i] ?? 0) + raw * env * n.gain;
    }
    if (v.pos >= len) {
      v.noteIndex++;
      v.pos = 0;
    }
  }
}

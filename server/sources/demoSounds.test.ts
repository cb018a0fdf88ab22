import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIO_FRAME_BYTES, DemoSynth, type DemoSound } from './demoSounds.ts';
import { DemoAudioSource } from './audioSource.ts';
import { DemoGameSource } from './frameSource.ts';
import type { FrameTimers } from './frameSource.ts';
import { must } from '../../protocol/must.ts';

/** Peak absolute sample of an s16le stereo buffer. */
function peak(pcm: Buffer): number {
  let max = 0;
  for (let i = 0; i < pcm.length; i += 2) max = Math.max(max, Math.abs(pcm.readInt16LE(i)));
  return max;
}

test('silence until an effect, each effect is audible, then silence again', () => {
  const synth = new DemoSynth();
  const silent = synth.render(960);
  assert.equal(silent.length, 960 * AUDIO_FRAME_BYTES);
  assert.equal(peak(silent), 0);
  for (const sound of ['press', 'launch', 'paddle', 'wall', 'score', 'over'] satisfies DemoSound[]) {
    synth.trigger(sound);
    assert.ok(peak(synth.render(960)) > 1000, `${sound} is audible in its first 20 ms`);
    synth.render(48_000); // every effect is over within a second
    assert.equal(synth.active, false, `${sound} has ended`);
    assert.equal(peak(synth.render(960)), 0, `silence after ${sound}`);
  }
});

test('left and right carry the same signal, and overlapping effects do not clip past full scale', () => {
  const synth = new DemoSynth();
  for (let i = 0; i < 20; i++) synth.trigger('over');
  const pcm = synth.render(4800);
  for (let i = 0; i < pcm.length; i += 4) assert.equal(pcm.readInt16LE(i), pcm.readInt16LE(i + 2));
  assert.ok(peak(pcm) <= 32767);
});

function fakeTimers() {
  let now = 1_000_000;
  const pending = new Map<number, { fn: () => void; at: number }>();
  let id = 0;
  const timers: FrameTimers = {
    set: (fn, delayMs) => (pending.set(++id, { fn, at: now + delayMs }), id),
    clear: (h) => void pending.delete(h as number),
  };
  const fire = (at?: number): void => {
    const [key, t] = must([...pending][0], '[...pending][0]');
    pending.delete(key);
    now = at ?? t.at;
    t.fn();
  };
  return { timers, now: () => now, fire, pending };
}

test('the audio source sends 20 ms chunks in real time and makes up late ones in one chunk', () => {
  const f = fakeTimers();
  const synth = new DemoSynth();
  const src = new DemoAudioSource({ synth, now: f.now, timers: f.timers });
  const chunks: Buffer[] = [];
  src.start((pcm) => chunks.push(pcm));
  for (let i = 0; i < 50; i++) f.fire();
  assert.equal(chunks.length, 50);
  assert.ok(chunks.every((c) => c.length === 960 * AUDIO_FRAME_BYTES));
  // One timer 50 ms late: the missing samples come in the next chunk, so 1 s of audio is 1 s of samples.
  const due = must([...f.pending.values()][0], '[...f.pending.values()][0]').at;
  f.fire(due + 50);
  assert.equal(must(chunks.at(-1), 'chunks.at(-1)').length, 3 * 960 * AUDIO_FRAME_BYTES);
  assert.equal(src.samplesProduced, 53 * 960);
  src.stop();
  assert.equal(f.pending.size, 0);
});

test('the demo game makes sounds: a key press, a launch, and bounces while it plays', () => {
  const f = fakeTimers();
  const source = new DemoGameSource({ width: 320, height: 180, fps: 30, now: f.now, timers: f.timers, game: { autoServeMs: 0, seed: 3 } });
  source.applyInput({ t: 'key', code: 'Space', down: true, ts: 1 });
  assert.ok((source.synth.triggered.get('press') ?? 0) >= 1);
  assert.equal(source.synth.triggered.get('launch'), 1);
  assert.ok(peak(source.synth.render(960)) > 1000);
  for (let i = 0; i < 600; i++) source.game.step(16);
  const t = source.synth.triggered;
  assert.ok((t.get('wall') ?? 0) + (t.get('paddle') ?? 0) + (t.get('score') ?? 0) > 0, JSON.stringify([...t]));
});

// Real ffmpeg, small frames: 320x240 @ 30 fps pushed by a bounded timer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { VideoEncoderPipeline } from './videoPipeline.ts';
import type { KeyframeSwitch } from './pipelineTypes.ts';
import { isKeyframePacket } from './rtpPacket.ts';
import { EncoderError } from './errors.ts';
import type { EncoderName } from './args.ts';
import { isAlive, startFeeder, waitFor } from './testSupport.ts';
import { must } from '../protocol/must.ts';

const W = 320;
const H = 240;
const FPS = 30;
const logger = pino({ level: 'silent' });

type Got = { packet: Buffer; generation: number; at: number };

function setup(encoder: EncoderName): { p: VideoEncoderPipeline; got: Got[]; feeder: ReturnType<typeof startFeeder> } {
  const p = new VideoEncoderPipeline({ ffmpegPath: 'ffmpeg', encoder, width: W, height: H, fps: FPS, bitrateKbps: 500, payloadType: 96, logger });
  const got: Got[] = [];
  p.onRtp((packet, generation) => got.push({ packet, generation, at: performance.now() }));
  const feeder = startFeeder((f) => p.pushFrame(f), { width: W, height: H, fps: FPS, maxFrames: 15 * FPS });
  return { p, got, feeder };
}

const markers = (got: Got[]): number => got.filter((g) => (must(g.packet[1], 'g.packet[1]') & 0x80) !== 0).length;

async function keyframeOnDemand(encoder: EncoderName): Promise<void> {
  const { p, got, feeder } = setup(encoder);
  const codec = p.codec;
  const pids: number[] = [];
  try {
    await p.start();
    pids.push(...p.pids);
    assert.equal(pids.length, 2, 'active and standby spawned');
    // Ten frames, and past the debounce that follows a generation's first packet.
    await waitFor(() => markers(got) >= 10 && performance.now() - must(got[0], 'got[0]').at > 350, 5000, 'ten frames');
    const firstMs = must(got[0], 'got[0]').at - must(feeder.firstPushAt(), 'feeder.firstPushAt()');
    assert.ok(isKeyframePacket(must(got[0], 'got[0]').packet, codec), 'the stream starts with a keyframe');
    assert.ok(got.every((g) => g.generation === 0));

    const switches: KeyframeSwitch[] = [];
    p.on('keyframeSwitch', (s) => switches.push(s));
    const askedAt = performance.now();
    p.requestKeyframe('pli');
    p.requestKeyframe('pli again'); // coalesced: the new IDR is already coming
    await waitFor(() => got.some((g) => g.generation === 1), 1000, 'generation 1 within 1 s');
    const firstNew = got.findIndex((g) => g.generation === 1);
    const g1 = must(got[firstNew], 'got[firstNew]');
    assert.ok(isKeyframePacket(g1.packet, codec), 'a new generation starts with a keyframe');
    const keyframeMs = g1.at - askedAt;
    assert.ok(keyframeMs < 1000, `keyframe after ${keyframeMs} ms`);
    assert.ok(
      got.slice(firstNew).every((g) => g.generation === 1),
      'no old-generation packet after the switch',
    );
    assert.equal(
      must(must(got[firstNew - 1], 'got[firstNew - 1]').packet[1], 'got[firstNew - 1].packet[1]') & 0x80,
      0x80,
      'the old generation ended on a whole frame',
    );
    await waitFor(() => switches.length === 1, 500, 'keyframeSwitch event');
    assert.equal(must(switches[0], 'switches[0]').generation, 1);
    assert.equal(must(switches[0], 'switches[0]').reason, 'pli');
    assert.equal(p.stats().keyframeRequestsCoalesced, 1);

    // A viewer joining right after that IDR: deferred to the end of the
    // debounce, then served by the new standby.
    p.requestKeyframe('late joiner');
    await waitFor(() => p.standbyPid !== undefined, 3000, 'new standby');
    pids.push(must(p.standbyPid, 'p.standbyPid'));
    await waitFor(() => got.some((g) => g.generation === 2), 1000, 'generation 2');
    const g2 = must(
      got.find((g) => g.generation === 2),
      'got.find((g) => g.generation === 2)',
    );
    assert.ok(isKeyframePacket(g2.packet, codec));
    assert.ok(g2.at - g1.at >= 300, `debounced: ${g2.at - g1.at} ms after the previous IDR`);
    await waitFor(() => p.standbyPid !== undefined, 3000, 'third standby');
    pids.push(must(p.standbyPid, 'p.standbyPid'));
    const stats = p.stats();
    assert.equal(stats.switches, 2);
    assert.equal(stats.generation, 2);
    assert.ok(stats.packets > 0 && stats.bytes > 0);
    const gens = got.map((g) => g.generation);
    assert.deepEqual(
      gens,
      [...gens].sort((a, b) => a - b),
      'generations never interleave',
    );
    console.log(
      `# ${encoder}: first frame -> first RTP ${firstMs.toFixed(0)} ms; request -> new keyframe ${keyframeMs.toFixed(0)} ms; switches ${JSON.stringify(switches)}; stats ${JSON.stringify(stats)}`,
    );
  } finally {
    feeder.stop();
    await Promise.all([p.close(), p.close()]);
  }
  assert.equal(p.state, 'closed');
  assert.deepEqual(p.pids, []);
  for (const pid of pids) assert.equal(isAlive(pid), false, `ffmpeg ${pid} is gone`);
}

test('libx264: keyframe first, a new generation with a keyframe on request, no strays after close', () => keyframeOnDemand('libx264'));

test('libvpx (VP8): the same', () => keyframeOnDemand('libvpx'));

test('killing the active ffmpeg emits failed with a reason, and nothing is left running', async () => {
  const { p, got, feeder } = setup('libx264');
  try {
    await p.start();
    const pids = p.pids;
    await waitFor(() => markers(got) >= 3, 5000, 'frames');
    const failed = new Promise<EncoderError>((resolve) => p.once('failed', resolve));
    process.kill(must(p.activePid, 'p.activePid'), 'SIGKILL');
    const err = await failed;
    assert.equal(err.reason, 'encoder-failed');
    assert.equal(err.phase, 'running');
    assert.match(err.message, /died: killed by SIGKILL/);
    await waitFor(() => p.state === 'closed', 3000, 'self-close');
    for (const pid of pids) assert.equal(isAlive(pid), false);
  } finally {
    feeder.stop();
    await p.close();
  }
});

test('a dead standby is respawned (a pending request is served by it); one that keeps dying fails the pipeline', async () => {
  const { p, got, feeder } = setup('libx264');
  try {
    await p.start();
    await waitFor(() => markers(got) >= 3 && performance.now() - must(got[0], 'got[0]').at > 350, 5000, 'frames');
    process.kill(must(p.standbyPid, 'p.standbyPid'), 'SIGKILL');
    await waitFor(() => p.standbyPid === undefined, 1000, 'standby noticed dead');
    p.requestKeyframe('while respawning');
    await waitFor(() => got.some((g) => g.generation === 1), 2000, 'switch onto the respawned standby');
    assert.ok(
      isKeyframePacket(
        must(
          got.find((g) => g.generation === 1),
          'got.find((g) => g.generation === 1)',
        ).packet,
        'H264',
      ),
    );
    assert.equal(p.stats().standbyRespawns, 1);

    const failed = new Promise<EncoderError>((resolve) => p.once('failed', resolve));
    for (let i = 0; i < 4; i++) {
      await waitFor(() => p.standbyPid !== undefined || p.state !== 'running', 3000, `standby ${i}`);
      if (p.state !== 'running') break;
      process.kill(must(p.standbyPid, 'p.standbyPid'), 'SIGKILL');
      await waitFor(() => p.standbyPid === undefined, 1000, 'standby gone');
    }
    const err = await failed;
    assert.match(err.message, /standby encoder failed 4 times/);
    assert.equal(err.reason, 'encoder-failed');
  } finally {
    feeder.stop();
    await p.close();
  }
  assert.deepEqual(p.pids, []);
});

test('an encoder that cannot start (NVENC without a GPU) fails with its stderr', async () => {
  const { p, feeder } = setup('h264_nvenc');
  try {
    const failed = new Promise<EncoderError>((resolve) => p.once('failed', resolve));
    await p.start();
    const err = await failed;
    assert.equal(err.reason, 'encoder-failed');
    assert.equal(err.phase, 'start');
    assert.ok(
      err.stderrTail.some((l) => /nvenc|cuda/i.test(l)),
      err.stderrTail.join('\n'),
    );
  } finally {
    feeder.stop();
    await p.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAudioArgs } from './audioArgs.ts';

test('Opus: 48 kHz s16le stereo on stdin, lowdelay libopus at 64k, RTP without RTCP', () => {
  assert.deepEqual(buildAudioArgs({ rtpPort: 40002, payloadType: 111, ssrc: 0xffff_fffe }), [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'info',
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-f',
    's16le',
    '-ar',
    '48000',
    '-ac',
    '2',
    '-i',
    'pipe:0',
    '-vn',
    '-c:a',
    'libopus',
    '-application',
    'lowdelay',
    '-frame_duration',
    '20',
    '-b:a',
    '64k',
    // A uint32 SSRC goes to ffmpeg as the signed int its option expects.
    '-f',
    'rtp',
    '-payload_type',
    '111',
    '-ssrc',
    '-2',
    '-rtpflags',
    'skip_rtcp',
    'rtp://127.0.0.1:40002?pkt_size=1200',
  ]);
});

test('frame duration and bitrate are configurable', () => {
  const args = buildAudioArgs({ rtpPort: 1, payloadType: 111, ssrc: 5, frameMs: 10, bitrateKbps: 32 });
  assert.deepEqual(args.slice(args.indexOf('-frame_duration'), args.indexOf('-b:a') + 2), ['-frame_duration', '10', '-b:a', '32k']);
});

test('out-of-range options are refused', () => {
  assert.throws(() => buildAudioArgs({ rtpPort: 0, payloadType: 111, ssrc: 1 }), RangeError);
  assert.throws(() => buildAudioArgs({ rtpPort: 1, payloadType: 128, ssrc: 1 }), RangeError);
  assert.throws(() => buildAudioArgs({ rtpPort: 1, payloadType: 111, ssrc: 1, bitrateKbps: 1 }), RangeError);
  assert.throws(() => buildAudioArgs({ rtpPort: 1, payloadType: 111, ssrc: 1, frameMs: 15 as 10 }), RangeError);
});

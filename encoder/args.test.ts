import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEncoderArgs, codecArgs, codecOf, ENCODER_NAMES, type EncoderName } from './args.ts';

const base = { width: 1280, height: 720, fps: 30, bitrateKbps: 3000, gopFrames: 60, rtpPort: 40000, payloadType: 96, ssrc: 1234 };

const HEAD = ['-hide_banner', '-nostats', '-loglevel', 'info'];
const INPUT = [
  '-probesize',
  '32',
  '-analyzeduration',
  '0',
  '-f',
  'rawvideo',
  '-pix_fmt',
  'yuv420p',
  '-s',
  '1280x720',
  '-framerate',
  '30',
  '-use_wallclock_as_timestamps',
  '1',
  '-i',
  'pipe:0',
  '-an',
  '-fps_mode',
  'passthrough',
];
const OUTPUT = ['-f', 'rtp', '-payload_type', '96', '-ssrc', '1234', '-rtpflags', 'skip_rtcp', 'rtp://127.0.0.1:40000?pkt_size=1200'];
// 3000 kbps * 2 frames / 30 fps
const RATE = ['-b:v', '3000k', '-maxrate', '3000k', '-bufsize', '200k'];

test('libx264: constrained baseline, zerolatency, headers on every IDR', () => {
  assert.deepEqual(buildEncoderArgs({ ...base, encoder: 'libx264' }), [
    ...HEAD,
    ...INPUT,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-profile:v',
    'baseline',
    '-pix_fmt',
    'yuv420p',
    '-bf',
    '0',
    '-g',
    '60',
    ...RATE,
    '-x264-params',
    'repeat-headers=1',
    ...OUTPUT,
  ]);
});

test('h264_nvenc: p1 ull zerolatency CBR', () => {
  assert.deepEqual(buildEncoderArgs({ ...base, encoder: 'h264_nvenc' }), [
    ...HEAD,
    ...INPUT,
    '-c:v',
    'h264_nvenc',
    '-preset',
    'p1',
    '-tune',
    'ull',
    '-zerolatency',
    '1',
    '-rc',
    'cbr',
    '-delay',
    '0',
    '-profile:v',
    'baseline',
    '-forced-idr',
    '1',
    '-pix_fmt',
    'yuv420p',
    '-bf',
    '0',
    '-g',
    '60',
    ...RATE,
    ...OUTPUT,
  ]);
});

test('h264_vaapi: device before the input, upload filter, CBR', () => {
  assert.deepEqual(buildEncoderArgs({ ...base, encoder: 'h264_vaapi', vaapiDevice: '/dev/dri/renderD129' }), [
    ...HEAD,
    '-vaapi_device',
    '/dev/dri/renderD129',
    ...INPUT,
    '-vf',
    'format=nv12,hwupload',
    '-c:v',
    'h264_vaapi',
    '-profile:v',
    'constrained_baseline',
    '-rc_mode',
    'CBR',
    '-bf',
    '0',
    '-g',
    '60',
    ...RATE,
    ...OUTPUT,
  ]);
  assert.deepEqual(codecArgs({ ...base, encoder: 'h264_vaapi' }).globalArgs, ['-vaapi_device', '/dev/dri/renderD128']);
});

test('h264_qsv: no look-ahead, async depth 1', () => {
  assert.deepEqual(buildEncoderArgs({ ...base, encoder: 'h264_qsv' }), [
    ...HEAD,
    ...INPUT,
    '-c:v',
    'h264_qsv',
    '-preset',
    'veryfast',
    '-look_ahead',
    '0',
    '-async_depth',
    '1',
    '-profile:v',
    'baseline',
    '-pix_fmt',
    'nv12',
    '-bf',
    '0',
    '-g',
    '60',
    ...RATE,
    ...OUTPUT,
  ]);
});

test('libvpx: realtime VP8 in CBR (minrate = maxrate = b:v)', () => {
  assert.deepEqual(buildEncoderArgs({ ...base, encoder: 'libvpx' }), [
    ...HEAD,
    ...INPUT,
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '16',
    '-lag-in-frames',
    '0',
    '-error-resilient',
    '1',
    '-auto-alt-ref',
    '0',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '60',
    '-b:v',
    '3000k',
    '-minrate',
    '3000k',
    '-maxrate',
    '3000k',
    '-bufsize',
    '200k',
    ...OUTPUT,
  ]);
});

test('every encoder: one -c:v, stdin kept, rtp output last', () => {
  for (const encoder of ENCODER_NAMES) {
    const args = buildEncoderArgs({ ...base, encoder });
    assert.equal(args.filter((a) => a === '-c:v').length, 1, encoder);
    assert.equal(args.at(-1), 'rtp://127.0.0.1:40000?pkt_size=1200');
    assert.ok(!args.includes('-nostdin'), 'stdin carries the frames');
    assert.ok(!args.includes('nobuffer'), 'nobuffer discards the first frame');
  }
});

test('ssrc above 2^31 is passed as the signed int ffmpeg parses', () => {
  const args = buildEncoderArgs({ ...base, encoder: 'libx264', ssrc: 3_000_000_000 });
  assert.equal(args[args.indexOf('-ssrc') + 1], '-1294967296');
});

test('bufferFrames scales the VBV buffer', () => {
  const { outputArgs } = codecArgs({ encoder: 'libx264', fps: 60, bitrateKbps: 6000, gopFrames: 120, bufferFrames: 1 });
  assert.equal(outputArgs[outputArgs.indexOf('-bufsize') + 1], '100k');
});

test('invalid geometry and ranges throw', () => {
  assert.throws(() => buildEncoderArgs({ ...base, encoder: 'libx264', width: 641 }), RangeError);
  assert.throws(() => buildEncoderArgs({ ...base, encoder: 'libx264', payloadType: 128 }), RangeError);
  assert.throws(() => buildEncoderArgs({ ...base, encoder: 'libx264', fps: 0 }), RangeError);
});

test('codecOf', () => {
  const table: Array<[EncoderName, string]> = [
    ['h264_nvenc', 'H264'],
    ['h264_vaapi', 'H264'],
    ['h264_qsv', 'H264'],
    ['libx264', 'H264'],
    ['libvpx', 'VP8'],
  ];
  for (const [e, c] of table) assert.equal(codecOf(e), c);
});

/**
 * Pure ffmpeg argument builders: raw yuv420p frames on stdin in, RTP on
 * loopback out. Every option here was checked against Debian's ffmpeg 5.1
 * (`ffmpeg -h encoder=NAME`, `ffmpeg -h muxer=rtp`).
 */

/** Probe order: hardware first, then software H.264, then VP8 as the last resort. */
export const ENCODER_NAMES = ['h264_nvenc', 'h264_vaapi', 'h264_qsv', 'libx264', 'libvpx'] as const;
export type EncoderName = (typeof ENCODER_NAMES)[number];
export type VideoCodec = 'H264' | 'VP8';

export const codecOf = (encoder: EncoderName): VideoCodec => (encoder === 'libvpx' ? 'VP8' : 'H264');

export const DEFAULT_VAAPI_DEVICE = '/dev/dri/renderD128';
/** RTP payload size that leaves room for SRTP and header extensions under a 1280-byte path MTU. */
export const RTP_PACKET_SIZE = 1200;

export type CodecArgsOptions = {
  encoder: EncoderName;
  fps: number;
  bitrateKbps: number;
  gopFrames: number;
  vaapiDevice?: string;
  /**
   * VBV buffer in frames' worth of bits (default 2). One frame is the
   * classic ultra-low-latency setting but starves the IDR that every
   * keyframe switch starts with; two keeps bursts short and the IDR legible.
   */
  bufferFrames?: number;
};

export type EncoderArgsOptions = CodecArgsOptions & {
  width: number;
  height: number;
  rtpPort: number;
  payloadType: number;
  /** Any uint32; passed to ffmpeg as the signed int its option expects. */
  ssrc: number;
};

/** Options that belong before the inputs (device setup) and after them (encoder). */
export type CodecArgs = { globalArgs: string[]; outputArgs: string[] };

function assertInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
}

/** Encoder-specific, low-latency options: no B-frames, CBR, fixed GOP, SPS/PPS with every IDR. */
export function codecArgs(o: CodecArgsOptions): CodecArgs {
  assertInt('fps', o.fps, 1, 240);
  assertInt('bitrateKbps', o.bitrateKbps, 16, 200_000);
  assertInt('gopFrames', o.gopFrames, 1, 100_000);
  const bufferFrames = o.bufferFrames ?? 2;
  const bufsizeKbits = Math.max(1, Math.round((o.bitrateKbps * bufferFrames) / o.fps));
  const rate = ['-b:v', `${o.bitrateKbps}k`, '-maxrate', `${o.bitrateKbps}k`, '-bufsize', `${bufsizeKbits}k`];
  const gop = ['-g', String(o.gopFrames)];
  switch (o.encoder) {
    case 'libx264':
      return {
        globalArgs: [],
        outputArgs: [
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          '-tune',
          'zerolatency',
          // Constrained Baseline: what Chromium answers (42e01f) and decodes everywhere.
          '-profile:v',
          'baseline',
          '-pix_fmt',
          'yuv420p',
          '-bf',
          '0',
          ...gop,
          ...rate,
          // SPS/PPS before every IDR so a switched-in encoder is decodable on
          // its own. No nal-hrd=cbr: its filler NALs padded a static screen
          // from 54 to 1001 kbps on loopback, and WebRTC needs no HRD conformance.
          '-x264-params',
          'repeat-headers=1',
        ],
      };
    case 'h264_nvenc':
      return {
        globalArgs: [],
        outputArgs: [
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
          ...gop,
          ...rate,
        ],
      };
    case 'h264_vaapi':
      return {
        globalArgs: ['-vaapi_device', o.vaapiDevice ?? DEFAULT_VAAPI_DEVICE],
        outputArgs: [
          // Frames arrive in system memory: convert and upload to the GPU.
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
          ...gop,
          ...rate,
        ],
      };
    case 'h264_qsv':
      return {
        globalArgs: [],
        outputArgs: [
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
          ...gop,
          ...rate,
        ],
      };
    case 'libvpx':
      return {
        globalArgs: [],
        outputArgs: [
          // -cpu-used 16: at 8 VP8 could not keep up with 720p30 on 2 cores.
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
          ...gop,
          // libvpxenc selects VPX_CBR when minrate == maxrate == b:v.
          '-b:v',
          `${o.bitrateKbps}k`,
          '-minrate',
          `${o.bitrateKbps}k`,
          ...rate.slice(2),
        ],
      };
  }
}

/** The full command line of a long-lived encoder fed raw frames on stdin. */
export function buildEncoderArgs(o: EncoderArgsOptions): string[] {
  assertInt('width', o.width, 2, 8192);
  assertInt('height', o.height, 2, 8192);
  if (o.width % 2 !== 0 || o.height % 2 !== 0) throw new RangeError('yuv420p needs even width and height');
  assertInt('rtpPort', o.rtpPort, 1, 65535);
  assertInt('payloadType', o.payloadType, 0, 127);
  assertInt('ssrc', o.ssrc, 0, 0xffff_ffff);
  const { globalArgs, outputArgs } = codecArgs(o);
  return [
    // -nostats: no progress line every 0.5 s in the stderr we keep. No
    // -nostdin: stdin carries the frames.
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'info',
    ...globalArgs,
    // The input is fully described: probe as little as possible. Not
    // -fflags nobuffer: with it the packet read while probing is discarded,
    // so the first frame (the IDR a switched-in encoder exists for) was lost
    // and output began a frame interval later.
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    '-s',
    `${o.width}x${o.height}`,
    '-framerate',
    String(o.fps),
    // Frames may be dropped before ffmpeg: stamp them with arrival time and
    // pass them through, or RTP timestamps fall behind real time and the
    // browser's jitter buffer grows.
    '-use_wallclock_as_timestamps',
    '1',
    '-i',
    'pipe:0',
    '-an',
    '-fps_mode',
    'passthrough',
    ...outputArgs,
    '-f',
    'rtp',
    '-payload_type',
    String(o.payloadType),
    '-ssrc',
    String(o.ssrc | 0),
    // skip_rtcp: otherwise ffmpeg sends sender reports to PORT+1, which may be
    // another encoder's socket; werift sends its own reports to the browser.
    '-rtpflags',
    'skip_rtcp',
    `rtp://127.0.0.1:${o.rtpPort}?pkt_size=${RTP_PACKET_SIZE}`,
  ];
}

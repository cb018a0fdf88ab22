/**
 * ffmpeg argument builder for the audio encoder: raw PCM (48 kHz s16le
 * stereo) on stdin in, Opus RTP on loopback out. Options checked against
 * Debian's ffmpeg 5.1 (`ffmpeg -h encoder=libopus`).
 */
import { RTP_PACKET_SIZE } from './args.ts';

export type AudioArgsOptions = {
  rtpPort: number;
  payloadType: number;
  ssrc: number;
  /** Opus bitrate (default 64). */
  bitrateKbps?: number;
  /** Opus frame (default 20 ms): 10 halves the packetization delay at twice the packets. */
  frameMs?: 10 | 20;
};

function assertInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
}

export function buildAudioArgs(o: AudioArgsOptions): string[] {
  assertInt('rtpPort', o.rtpPort, 1, 65535);
  assertInt('payloadType', o.payloadType, 0, 127);
  assertInt('ssrc', o.ssrc, 0, 0xffff_ffff);
  const bitrateKbps = o.bitrateKbps ?? 64;
  assertInt('bitrateKbps', bitrateKbps, 6, 510);
  const frameMs: number = o.frameMs ?? 20; // checked again: callers may pass an unchecked number
  if (frameMs !== 10 && frameMs !== 20) throw new RangeError(`frameMs must be 10 or 20, got ${String(frameMs)}`);
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'info',
    // Raw PCM is fully described: no probing, so the first chunk is encoded at once.
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    // No wall-clock stamps (unlike video): the source sends every sample in
    // real time, so timestamps by sample count are exact and jitter-free.
    '-f',
    's16le',
    '-ar',
    '48000',
    '-ac',
    '2',
    '-i',
    'pipe:0',
    '-vn',
    // lowdelay: CELT only, the smallest algorithmic delay (the effects are not speech).
    '-c:a',
    'libopus',
    '-application',
    'lowdelay',
    '-frame_duration',
    String(frameMs),
    '-b:a',
    `${bitrateKbps}k`,
    '-f',
    'rtp',
    '-payload_type',
    String(o.payloadType),
    '-ssrc',
    String(o.ssrc | 0),
    // As for video: no RTCP to PORT+1 (another encoder's socket); werift reports to the browser.
    '-rtpflags',
    'skip_rtcp',
    `rtp://127.0.0.1:${o.rtpPort}?pkt_size=${RTP_PACKET_SIZE}`,
  ];
}

/** Fits the encoder module's pipeline to the edge session's VideoEncoder port. */
import type { AudioEncoderPipeline, VideoEncoderPipeline } from '../../encoder/index.ts';
import type { AudioEncoder, VideoEncoder } from './ports.ts';

export function pipelineAsVideoEncoder(p: VideoEncoderPipeline): VideoEncoder {
  return {
    start: () => p.start(),
    pushFrame: (frame) => void p.pushFrame(frame),
    requestKeyframe: (reason) => p.requestKeyframe(reason),
    bitrateKbps: () => p.stats().bitrateKbps,
    setBitrate: (kbps, reason) => p.setBitrate(kbps, reason),
    onRtp: (cb) => void p.onRtp(cb),
    onFailed: (cb) => void p.on('failed', cb),
    pids: () => p.pids,
    close: () => p.close(),
  };
}

export function pipelineAsAudioEncoder(p: AudioEncoderPipeline): AudioEncoder {
  return {
    start: () => p.start(),
    pushPcm: (pcm) => void p.pushPcm(pcm),
    onRtp: (cb) => void p.onRtp(cb),
    onFailed: (cb) => void p.on('failed', cb),
    pids: () => p.pids,
    close: () => p.close(),
  };
}

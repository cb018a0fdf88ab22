// Public API of encoder/: locating ffmpeg, probing encoders, argument
// builders, the supervised ffmpeg process and the keyframe-on-demand pipeline.
// Knows nothing of WebRTC: it hands out RTP packets tagged with a generation.
export { resolveFfmpegPath, type ResolvedFfmpegPath, type FfmpegPathSource } from './ffmpegPath.ts';
export {
  ENCODER_NAMES,
  RTP_PACKET_SIZE,
  DEFAULT_VAAPI_DEVICE,
  codecOf,
  codecArgs,
  buildEncoderArgs,
  type EncoderName,
  type VideoCodec,
  type CodecArgs,
  type CodecArgsOptions,
  type EncoderArgsOptions,
} from './args.ts';
export { probeEncoders, NOT_PROBED, type ProbeResult, type ProbeEntry, type ProbeOptions } from './probe.ts';
export {
  SupervisedChild,
  ChildStartError,
  describeExit,
  signalGroup,
  type SupervisedChildOptions,
  type ChildExit,
  type ChildGroupRegistry,
} from './supervisedChild.ts';
export { FfmpegProcess, type FfmpegProcessOptions, type FfmpegProcessState, type FfmpegExit } from './ffmpegProcess.ts';
export { RtpReceiver, type RtpReceiverOptions } from './rtpReceiver.ts';
export { isKeyframePacket, parseRtpHeader, type RtpHeader } from './rtpPacket.ts';
export { VideoEncoderPipeline, encoderSlotOptions } from './videoPipeline.ts';
export { buildAudioArgs, type AudioArgsOptions } from './audioArgs.ts';
export { AudioEncoderPipeline, type AudioPipelineOptions, type AudioPipelineStats, type AudioPipelineState } from './audioPipeline.ts';
export { EncoderPool, type EncoderPoolOptions } from './encoderPool.ts';
export type { VideoPipelineOptions, VideoPipelineStats, VideoPipelineState, VideoPipelineEvents, KeyframeSwitch, RtpListener } from './pipelineTypes.ts';
export { EncoderError, type EncoderFailurePhase } from './errors.ts';

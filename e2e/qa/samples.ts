/**
 * What the in-page sampler (page/sampler.ts) hands to Node on each drain:
 * plain JSON, times are the page's Date.now() (the same clock as the stamp
 * and as Node on this machine).
 */

/** One requestVideoFrameCallback invocation. */
export type SampledFrame = {
  /** Date.now() in the callback: when the frame was presented. */
  t: number;
  /** VideoFrameCallbackMetadata.presentedFrames (counts frames the callback missed too). */
  pf?: number;
  w: number;
  h: number;
  /** Whether the frame was wide enough to carry a stamp and its pixels could be read. */
  read: boolean;
  /** Row 0 (produced at) and row 1 (latest applied input's client time), when valid. */
  row0?: number;
  row1?: number;
};

/** A keyboard event the page received, seen by a capture-phase listener before the page's own. */
export type SampledInput = { t: number; code: string; down: boolean };

/** Cumulative getStats() figures of the receiving video stream at one instant (RTCInboundRtpStreamStats). */
export type RtcSnapshot = {
  t: number;
  /** Which captured RTCPeerConnection (counters restart with a new one). */
  pc: number;
  bytesReceived?: number;
  packetsReceived?: number;
  packetsLost?: number;
  nackCount?: number;
  pliCount?: number;
  firCount?: number;
  framesReceived?: number;
  framesDecoded?: number;
  framesDropped?: number;
  keyFramesDecoded?: number;
  /** Seconds, summed over emitted frames. */
  jitterBufferDelay?: number;
  jitterBufferEmittedCount?: number;
  /** Seconds, summed over decoded frames. */
  totalDecodeTime?: number;
  freezeCount?: number;
  /** Seconds. */
  totalFreezesDuration?: number;
  frameWidth?: number;
  frameHeight?: number;
  codec?: string;
  decoderImplementation?: string;
  /** Selected candidate pair's currentRoundTripTime, in ms. */
  rttMs?: number;
};

/** What the page's own hook says about the session, when it has one (window.edgeplay). */
export type PageSession = { encoder?: string; edgeId?: string; sessionId?: string; codec?: string; width?: number; height?: number; fps?: number };

export type SamplerDrain = {
  /** performance.timeOrigin of the document: when its navigation started. */
  timeOrigin: number;
  firstFrameAt?: number;
  frames: SampledFrame[];
  inputs: SampledInput[];
  rtc: RtcSnapshot[];
  /** Samples dropped because Node did not drain in time (bounded buffers). */
  overflowed: number;
  peerConnections: number;
  session?: PageSession;
};

/** Name of the sampler's global; deliberately not the page's own `edgeplay`. */
export const SAMPLER_GLOBAL = '__edgeplayQaSampler';

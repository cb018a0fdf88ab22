import type { Logger } from 'pino';
import type { EncoderName } from './args.ts';
import type { EncoderError } from './errors.ts';
import type { EncoderSlot } from './encoderSlot.ts';
import type { ChildGroupRegistry } from './supervisedChild.ts';

// The public shapes of VideoEncoderPipeline, kept apart from its behaviour.

export type VideoPipelineOptions = {
  ffmpegPath: string;
  encoder: EncoderName;
  width: number;
  height: number;
  fps: number;
  bitrateKbps: number;
  /** GOP length (default 2): the safety net when a keyframe request goes missing. */
  gopSeconds?: number;
  payloadType: number;
  logger: Logger;
  /** From a frame given to an encoder to its first RTP packet (default 3000). */
  readyTimeoutMs?: number;
  /** Minimum time from a generation's first packet to the next switch (default 300); requests in between are deferred. */
  keyframeDebounceMs?: number;
  /** Consecutive standby failures, each followed by a respawn, before 'failed' (default 3). */
  maxStandbyRespawns?: number;
  vaapiDevice?: string;
  /** Warm encoders to take instead of spawning (same size, rate and codec); see EncoderPool. */
  pool?: { take(): EncoderSlot | undefined };
  /** Where each encoder's process group is recorded while it lives (the edge's leftovers). */
  children?: ChildGroupRegistry;
};

export type KeyframeSwitch = { generation: number; reason: string; switchMs: number };
export type VideoPipelineEvents = { keyframeSwitch: [KeyframeSwitch]; failed: [error: EncoderError] };
export type VideoPipelineState = 'idle' | 'starting' | 'running' | 'failed' | 'closed';
export type RtpListener = (packet: Buffer, generation: number) => void;

export type VideoPipelineStats = {
  framesIn: number;
  framesDropped: number;
  packets: number;
  bytes: number;
  /** Packets of a replaced encoder that arrived after its generation ended. */
  packetsDropped: number;
  switches: number;
  generation: number;
  keyframeRequests: number;
  /** Requests served by a keyframe already coming (a switch in flight or deferred). */
  keyframeRequestsCoalesced: number;
  standbyRespawns: number;
  /** From a switch to the new generation's first packet. */
  lastSwitchMs: number | undefined;
  /** The rate new encoders start at now, and how often congestion control moved it. */
  bitrateKbps: number;
  bitrateChanges: number;
};

/**
 * What an edge session needs from its collaborators, as interfaces: the real
 * ones are the demo game / X11 sources, the ffmpeg pipeline and werift peers;
 * unit tests pass fakes.
 */
import type { BitrateInfo, InputEvent, NoticeCode } from '../../protocol/index.ts';

/** Produces raw yuv420p frames at the session's size and rate. */
export interface FrameSource {
  start(onFrame: (frame: Buffer, producedAtMs: number) => void): void;
  applyInput(ev: InputEvent): void;
  /** Idempotent; resolves when everything the source started is gone. */
  stop(): Promise<void>;
  /** Optional: lift every finger, key and button still held (the player left mid-gesture and cannot send the release). */
  releaseInput?(): void;
  /** Optional: sources that run a program report its crash or hang here, so the session ends with a reason. */
  onFailed?(cb: (reason: string) => void): void;
  /** The program's sound, if it has any (the demo game's effects; an X11 program's PulseAudio sink). */
  readonly audio?: AudioSource;
}

/** Produces raw PCM, 48 kHz s16le stereo, in real time (silence included): the encoder stamps it by sample count. */
export interface AudioSource {
  start(onChunk: (pcm: Buffer) => void): void;
  stop(): void;
}

/** Encodes PCM to Opus RTP. No generations: audio needs no keyframes. */
export interface AudioEncoder {
  start(): Promise<void>;
  pushPcm(pcm: Buffer): void;
  onRtp(cb: (packet: Buffer) => void): void;
  onFailed(cb: (err: Error) => void): void;
  pids(): number[];
  close(): Promise<void>;
}

/** Encodes raw frames to RTP; can restart on a keyframe (a new "generation"). */
export interface VideoEncoder {
  start(): Promise<void>;
  pushFrame(frame: Buffer): void;
  requestKeyframe(reason: string): void;
  /** The rate it encodes at now. */
  bitrateKbps(): number;
  /** Moves to another rate (a switch to a fresh encoder, like a keyframe). */
  setBitrate(kbps: number, reason: string): void;
  onRtp(cb: (packet: Buffer, generation: number) => void): void;
  onFailed(cb: (err: Error) => void): void;
  /** OS processes doing the work (for operators and tests). */
  pids(): number[];
  close(): Promise<void>;
}

/** One viewer's connection, as the session sees it. */
export interface Viewer {
  readonly id: string;
  readonly role: 'player' | 'viewer';
  readonly isConnected: boolean;
  followedGeneration(): number | undefined;
  followGeneration(generation: number, header: { sequenceNumber: number; timestamp: number }): void;
  writeRtp(packet: Buffer, generation: number): void;
  /** Every audio packet from the moment the viewer is connected. */
  writeAudioRtp(packet: Buffer): void;
  /** Tell the viewer something that does not end the session. */
  notice(code: NoticeCode, message: string): void;
  /** Congestion control's state, for the player's stats overlay. */
  bitrate?(info: BitrateInfo): void;
  /** Tell the viewer the session ended, then close it. */
  end(reason: string, message: string): void;
}

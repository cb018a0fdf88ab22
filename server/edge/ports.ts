/**
 * What an edge session needs from its collaborators, as interfaces: the real
 * ones are the demo game / X11 sources, the ffmpeg pipeline and werift peers;
 * unit tests pass fakes.
 */
import type { InputEvent } from '../../protocol/index.ts';

/** Produces raw yuv420p frames at the session's size and rate. */
export interface FrameSource {
  start(onFrame: (frame: Buffer, producedAtMs: number) => void): void;
  applyInput(ev: InputEvent): void;
  stop(): void;
}

/** Encodes raw frames to RTP; can restart on a keyframe (a new "generation"). */
export interface VideoEncoder {
  start(): Promise<void>;
  pushFrame(frame: Buffer): void;
  requestKeyframe(reason: string): void;
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
  /** Tell the viewer the session ended, then close it. */
  end(reason: string, message: string): void;
}

import type { Logger } from 'pino';
import { EncoderError } from './errors.ts';
import type { ChildGroupRegistry } from './supervisedChild.ts';
import { FfmpegProcess } from './ffmpegProcess.ts';
import { RtpReceiver } from './rtpReceiver.ts';

export type EncoderSlotOptions = {
  ffmpegPath: string;
  /** The command line, once the receiver's port is known. */
  argsFor: (rtpPort: number) => string[];
  logger: Logger;
  readyTimeoutMs: number;
  onPacket?: (slot: EncoderSlot, packet: Buffer) => void;
  /** Where ffmpeg's process group is recorded while it lives. */
  children?: ChildGroupRegistry;
};

/**
 * One ffmpeg encoder and the loopback socket it sends RTP to, plus the
 * pipeline's bookkeeping about it. Closing it stops both.
 */
export class EncoderSlot {
  /** The stream generation this encoder feeds; set when it becomes active. */
  generation = -1;
  firstPacketAt: number | undefined;
  /** True between a frame's first packet and its marker packet. */
  frameOpen = false;
  /** Where packets go; a pooled slot is handed to its pipeline after it was spawned. */
  onPacket: (slot: EncoderSlot, packet: Buffer) => void = () => {};
  private closed: Promise<void> | undefined;

  private constructor(
    readonly proc: FfmpegProcess,
    readonly rx: RtpReceiver,
  ) {}

  static async spawn(o: EncoderSlotOptions): Promise<EncoderSlot> {
    let slot: EncoderSlot | undefined;
    const rx = await RtpReceiver.open({ logger: o.logger, onPacket: (p) => slot?.onPacket(slot, p) });
    let proc: FfmpegProcess;
    try {
      proc = new FfmpegProcess({
        ffmpegPath: o.ffmpegPath,
        args: o.argsFor(rx.port),
        logger: o.logger,
        readyTimeoutMs: o.readyTimeoutMs,
        children: o.children,
      });
    } catch (err) {
      await rx.close();
      throw err;
    }
    const s = new EncoderSlot(proc, rx);
    if (o.onPacket) s.onPacket = o.onPacket;
    slot = s;
    // The socket goes with the process, whoever ends it.
    proc.on('exit', () => void s.close());
    try {
      await proc.spawned;
    } catch (err) {
      await s.close();
      throw new EncoderError(`cannot spawn ${o.ffmpegPath}: ${(err as Error).message}`, { phase: 'start', cause: err });
    }
    return s;
  }

  /** Alive and not yet fed: a pooled slot that can still be handed out. */
  get idle(): boolean {
    return this.closed === undefined && this.proc.state === 'starting' && this.firstPacketAt === undefined;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  close(): Promise<void> {
    this.closed ??= this.proc.close().then(() => this.rx.close());
    return this.closed;
  }
}

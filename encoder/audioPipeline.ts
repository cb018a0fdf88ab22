/**
 * Raw PCM in, one Opus RTP stream out: a single supervised ffmpeg (one per
 * session; audio needs no keyframe switching, so no standby) and the
 * loopback socket it sends to. 'failed' fires once if ffmpeg does not start
 * or dies later; the owner decides what that means for the session.
 */
import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { buildAudioArgs } from './audioArgs.ts';
import { EncoderSlot } from './encoderSlot.ts';
import type { EncoderError } from './errors.ts';
import type { ChildGroupRegistry } from './supervisedChild.ts';

export type AudioPipelineOptions = {
  ffmpegPath: string;
  payloadType: number;
  bitrateKbps?: number;
  frameMs?: 10 | 20;
  logger: Logger;
  /** From the first PCM chunk to the first RTP packet (default 3000). */
  readyTimeoutMs?: number;
  /** Where ffmpeg's process group is recorded while it lives. */
  children?: ChildGroupRegistry;
};

export type AudioPipelineStats = { chunksIn: number; chunksDropped: number; packets: number; bytes: number };
export type AudioPipelineState = 'idle' | 'starting' | 'running' | 'failed' | 'closed';

export class AudioEncoderPipeline extends EventEmitter<{ failed: [error: EncoderError] }> {
  private readonly log: Logger;
  private readonly rtpListeners = new Set<(packet: Buffer) => void>();
  private slot: EncoderSlot | undefined;
  private stateValue: AudioPipelineState = 'idle';
  private closePromise: Promise<void> | undefined;
  private readonly s: AudioPipelineStats = { chunksIn: 0, chunksDropped: 0, packets: 0, bytes: 0 };

  constructor(private readonly o: AudioPipelineOptions) {
    super();
    this.log = o.logger.child({ module: 'audioPipeline' });
  }

  get state(): AudioPipelineState {
    return this.stateValue;
  }
  get pids(): number[] {
    return this.slot?.pid !== undefined && this.slot.proc.state !== 'closed' ? [this.slot.pid] : [];
  }
  stats(): AudioPipelineStats {
    return { ...this.s };
  }

  onRtp(cb: (packet: Buffer) => void): () => void {
    this.rtpListeners.add(cb);
    return () => this.rtpListeners.delete(cb);
  }

  /** Spawns ffmpeg; resolves once the process exists (it idles on stdin until the first chunk). */
  async start(): Promise<void> {
    if (this.stateValue !== 'idle') throw new Error(`start() in state ${this.stateValue}`);
    this.stateValue = 'starting';
    const { o } = this;
    const slot = await EncoderSlot.spawn({
      ffmpegPath: o.ffmpegPath,
      argsFor: (rtpPort) =>
        buildAudioArgs({ rtpPort, payloadType: o.payloadType, ssrc: randomInt(1, 2 ** 32), bitrateKbps: o.bitrateKbps, frameMs: o.frameMs }),
      logger: this.log,
      readyTimeoutMs: o.readyTimeoutMs ?? 3000,
      onPacket: (_s, packet) => this.onPacket(packet),
      children: o.children,
    });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may run during the await
    if (this.stateValue !== 'starting') {
      await slot.close();
      throw new Error('audio pipeline closed while starting');
    }
    this.slot = slot;
    this.stateValue = 'running';
    slot.proc.ready.catch((err: EncoderError) => this.fail(err));
    slot.proc.on('died', ({ error }) => this.fail(error));
    this.log.info({ pid: slot.pid }, 'audio pipeline started');
  }

  /** Hands PCM to ffmpeg; false if dropped (the previous chunk is still being written). */
  pushPcm(pcm: Buffer): boolean {
    if (this.stateValue !== 'running' || !this.slot) return false;
    this.s.chunksIn++;
    const ok = this.slot.proc.writeFrame(pcm);
    if (!ok) this.s.chunksDropped++;
    return ok;
  }

  close(): Promise<void> {
    this.closePromise ??= (async () => {
      if (this.stateValue !== 'failed') this.stateValue = 'closed';
      await this.slot?.close();
      this.stateValue = 'closed';
      this.log.info(this.stats(), 'audio pipeline closed');
    })();
    return this.closePromise;
  }

  private onPacket(packet: Buffer): void {
    if (this.stateValue !== 'running' || !this.slot) return;
    if (this.s.packets === 0) this.slot.proc.markReady();
    this.s.packets++;
    this.s.bytes += packet.length;
    for (const cb of this.rtpListeners) {
      try {
        cb(packet);
      } catch (err) {
        this.log.warn({ err }, 'rtp listener threw');
      }
    }
  }

  private fail(err: EncoderError): void {
    if (this.stateValue !== 'running') return;
    this.stateValue = 'failed';
    this.log.error({ err: err.message, stderrTail: err.stderrTail }, 'audio encoder failed');
    this.emit('failed', err);
    void this.close();
  }
}

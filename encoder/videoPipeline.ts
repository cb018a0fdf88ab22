import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { buildEncoderArgs, codecOf, type VideoCodec } from './args.ts';
import { EncoderError } from './errors.ts';
import { EncoderSlot, type EncoderSlotOptions } from './encoderSlot.ts';
import type { KeyframeSwitch, RtpListener, VideoPipelineEvents, VideoPipelineOptions, VideoPipelineState, VideoPipelineStats } from './pipelineTypes.ts';

/**
 * Raw frames in, one continuous RTP stream out, with keyframes on demand.
 *
 * ffmpeg cannot act on a keyframe request, yet Chromium sends PLIs until it
 * gets an IDR and a late joiner must see a picture within a second. So an
 * ACTIVE encoder streams while a STANDBY one idles on stdin; a keyframe
 * request makes the standby active (its first frame is an IDR with SPS/PPS),
 * retires the old one and starts a new standby. Each switch starts a new
 * generation: packets carry it so the consumer can tell werift the source
 * changed. A replaced encoder's packets are dropped, except the rest of a
 * frame it was in the middle of sending, so only whole frames go out.
 */
export class VideoEncoderPipeline extends EventEmitter<VideoPipelineEvents> {
  readonly codec: VideoCodec;
  private readonly o: VideoPipelineOptions;
  private readonly readyTimeoutMs: number;
  private readonly debounceMs: number;
  private readonly maxStandbyRespawns: number;
  private readonly log: Logger;
  private readonly rtpListeners = new Set<RtpListener>();
  private readonly slots = new Set<EncoderSlot>();
  private stateValue: VideoPipelineState = 'idle';
  private active: EncoderSlot | undefined;
  private standby: EncoderSlot | undefined;
  private retiring: EncoderSlot | undefined;
  private standbySpawning = false;
  private standbyFailures = 0;
  private respawnTimer: NodeJS.Timeout | undefined;
  private deferTimer: NodeJS.Timeout | undefined;
  private pendingReason: string | undefined;
  private switchInfo: { reason: string; startedAt: number } | undefined;
  private closePromise: Promise<void> | undefined;
  /** The rate new encoders get; congestion control moves it (setBitrate). */
  private bitrateKbps: number;
  /** The rate each encoder was started with. */
  private readonly slotKbps = new WeakMap<EncoderSlot, number>();
  private readonly s: VideoPipelineStats = {
    framesIn: 0,
    framesDropped: 0,
    packets: 0,
    bytes: 0,
    packetsDropped: 0,
    switches: 0,
    generation: 0,
    keyframeRequests: 0,
    keyframeRequestsCoalesced: 0,
    standbyRespawns: 0,
    lastSwitchMs: undefined,
    bitrateKbps: 0,
    bitrateChanges: 0,
  };

  constructor(o: VideoPipelineOptions) {
    super();
    this.o = o;
    this.readyTimeoutMs = o.readyTimeoutMs ?? 3000;
    this.debounceMs = o.keyframeDebounceMs ?? 300;
    this.maxStandbyRespawns = o.maxStandbyRespawns ?? 3;
    this.codec = codecOf(o.encoder);
    this.bitrateKbps = o.bitrateKbps;
    this.s.bitrateKbps = o.bitrateKbps;
    this.log = o.logger.child({ module: 'videoPipeline', encoder: o.encoder });
  }

  get state(): VideoPipelineState {
    return this.stateValue;
  }
  get generation(): number {
    return this.s.generation;
  }
  get activePid(): number | undefined {
    return this.active?.pid;
  }
  get standbyPid(): number | undefined {
    return this.standby?.pid;
  }
  /** Every ffmpeg of this pipeline not yet seen to exit. */
  get pids(): number[] {
    return [...this.slots].flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
  }
  stats(): VideoPipelineStats {
    return { ...this.s };
  }

  /** Subscribes to the RTP stream; returns the unsubscribe function. */
  onRtp(cb: RtpListener): () => void {
    this.rtpListeners.add(cb);
    return () => this.rtpListeners.delete(cb);
  }

  /** Spawns the active and the standby encoder; resolves once both processes exist. */
  async start(): Promise<void> {
    if (this.stateValue !== 'idle') throw new Error(`start() in state ${this.stateValue}`);
    this.stateValue = 'starting';
    const [a, b] = await Promise.allSettled([this.spawnSlot(), this.spawnSlot()]);
    if (a.status !== 'fulfilled' || b.status !== 'fulfilled' || this.state !== 'starting') {
      await this.close();
      const failed = [a, b].find((r) => r.status === 'rejected');
      throw failed?.status === 'rejected' ? failed.reason : new Error('closed while starting');
    }
    this.active = a.value;
    this.active.generation = 0;
    this.standby = b.value;
    this.stateValue = 'running';
    this.watch(a.value);
    this.watch(b.value);
    const { width, height, fps, bitrateKbps } = this.o;
    this.log.info({ activePid: this.activePid, standbyPid: this.standbyPid, width, height, fps, bitrateKbps }, 'video pipeline started');
  }

  /** Hands a raw yuv420p frame to the active encoder; false if dropped (encoder still busy with the last one). */
  pushFrame(frame: Buffer): boolean {
    if (this.stateValue !== 'running' || !this.active) return false;
    this.s.framesIn++;
    const ok = this.active.proc.writeFrame(frame);
    if (!ok) this.s.framesDropped++;
    return ok;
  }

  /** Asks for an IDR (a viewer's PLI/FIR, a late joiner); debounced and coalesced. */
  requestKeyframe(reason: string): void {
    this.s.keyframeRequests++;
    if (this.stateValue === 'running') this.tryKeyframe(reason);
  }

  /**
   * Moves the stream to another bitrate. ffmpeg cannot change its rate while
   * running, so this goes the way a keyframe does: a standby encoder at the
   * new rate is started (any standby at the old rate is dropped), and once
   * it is up the stream switches to it, its first frame an IDR. The caller
   * (the bitrate ladder) keeps switches a few seconds apart.
   */
  setBitrate(kbps: number, reason: string): void {
    const rate = Math.round(kbps);
    if (this.stateValue !== 'running' || rate === this.bitrateKbps || !Number.isFinite(rate) || rate < 16) return;
    this.bitrateKbps = rate;
    this.s.bitrateKbps = rate;
    this.s.bitrateChanges++;
    const old = this.standby;
    if (old && this.slotKbps.get(old) !== rate) {
      this.standby = undefined;
      void old.close();
    }
    this.pendingReason = `bitrate-${reason}`;
    if (this.standby) this.tryKeyframe(this.pendingReason);
    else this.spawnStandby();
  }

  /** Stops every encoder; idempotent. */
  close(): Promise<void> {
    this.closePromise ??= (async () => {
      if (this.stateValue !== 'failed') this.stateValue = 'closed';
      clearTimeout(this.respawnTimer);
      clearTimeout(this.deferTimer);
      this.active = this.standby = this.retiring = undefined;
      await Promise.all([...this.slots].map((s) => s.close()));
      this.stateValue = 'closed';
      this.log.info(this.stats(), 'video pipeline closed');
    })();
    return this.closePromise;
  }

  private tryKeyframe(reason: string, deferred = false): void {
    const a = this.active;
    if (!a) return;
    if (a.firstPacketAt === undefined || (this.deferTimer && !deferred)) {
      // Nothing out of the active encoder yet (its first frame is an IDR anyway), or a switch is already deferred.
      this.s.keyframeRequestsCoalesced++;
      return;
    }
    const sinceFirstMs = performance.now() - a.firstPacketAt;
    if (!deferred && sinceFirstMs < this.debounceMs) {
      // An IDR went out moments ago. Requests now are often stale PLIs sent
      // before it arrived, but may be a viewer who joined just after it: one
      // deferred switch serves both without switching on every PLI.
      this.s.keyframeRequestsCoalesced++;
      this.deferTimer = setTimeout(
        () => {
          this.deferTimer = undefined;
          if (this.stateValue === 'running') this.tryKeyframe(reason, true);
        },
        Math.ceil(this.debounceMs - sinceFirstMs),
      );
    } else if (!this.standby) {
      this.pendingReason ??= reason; // served as soon as a standby is up
    } else {
      const next = this.standby;
      this.standby = undefined;
      next.generation = ++this.s.generation;
      this.retiring = a; // closed when the new encoder's first packet arrives
      this.active = next;
      this.switchInfo = { reason, startedAt: performance.now() };
      this.s.switches++;
      this.log.debug({ generation: next.generation, reason, pid: next.pid }, 'switching to standby encoder');
    }
  }

  private onPacket(slot: EncoderSlot, packet: Buffer): void {
    const marker = ((packet[1] ?? 0) & 0x80) !== 0;
    if (slot === this.active) {
      if (slot.firstPacketAt === undefined) this.onFirstPacket(slot);
      this.deliver(packet, slot.generation);
      slot.frameOpen = !marker;
    } else if (slot === this.retiring && slot.frameOpen) {
      // Finish the frame it was sending at the switch: a half frame would break the decoder.
      this.deliver(packet, slot.generation);
      slot.frameOpen = !marker;
    } else {
      this.s.packetsDropped++;
    }
  }

  private onFirstPacket(slot: EncoderSlot): void {
    const now = performance.now();
    slot.firstPacketAt = now;
    slot.proc.markReady();
    this.standbyFailures = 0;
    if (this.retiring) void this.retiring.close();
    this.retiring = undefined;
    if (this.switchInfo) {
      const ev: KeyframeSwitch = { generation: slot.generation, reason: this.switchInfo.reason, switchMs: Math.round(now - this.switchInfo.startedAt) };
      this.switchInfo = undefined;
      this.s.lastSwitchMs = ev.switchMs;
      this.log.debug(ev, 'keyframe switch done');
      this.emit('keyframeSwitch', ev);
    }
    // Spawned only now, so its start-up does not compete for the CPU with the IDR being encoded.
    this.spawnStandby();
  }

  private deliver(packet: Buffer, generation: number): void {
    this.s.packets++;
    this.s.bytes += packet.length;
    for (const cb of this.rtpListeners) {
      try {
        cb(packet, generation);
      } catch (err) {
        this.log.warn({ err }, 'rtp listener threw');
      }
    }
  }

  private async spawnSlot(): Promise<EncoderSlot> {
    // A warm encoder from the edge's pool skips ffmpeg's start-up (100-200 ms of CPU)
    // at the moment a player is waiting for the first picture.
    // The pool's warm encoders run at the configured rate; another rate needs its own.
    const kbps = this.bitrateKbps;
    const pooled = kbps === this.o.bitrateKbps ? this.o.pool?.take() : undefined;
    const slot = pooled ?? (await EncoderSlot.spawn(encoderSlotOptions({ ...this.o, bitrateKbps: kbps }, this.log, this.readyTimeoutMs)));
    this.slotKbps.set(slot, kbps);
    slot.onPacket = (s, p) => this.onPacket(s, p);
    if (this.stateValue !== 'starting' && this.stateValue !== 'running') {
      await slot.close();
      throw new Error('pipeline closed');
    }
    if (slot.proc.state !== 'closed') {
      this.slots.add(slot);
      slot.proc.on('exit', () => this.slots.delete(slot));
    }
    return slot;
  }

  /** Failure handlers are attached once a slot has a role, so an early exit is judged by that role. */
  private watch(slot: EncoderSlot): void {
    const onFailure = (err: EncoderError): void => {
      if (this.stateValue !== 'running') return;
      if (slot === this.active) this.fail(err);
      else if (slot === this.standby) this.standbyFailed(err);
      // A retiring encoder's end is expected.
    };
    slot.proc.ready.catch(onFailure);
    slot.proc.on('died', ({ error }) => onFailure(error));
  }

  private standbyFailed(err: EncoderError): void {
    this.standby = undefined;
    this.standbyFailures++;
    this.log.warn({ err: err.message, failures: this.standbyFailures }, 'standby encoder failed');
    if (this.standbyFailures > this.maxStandbyRespawns) {
      this.fail(new EncoderError(`standby encoder failed ${this.standbyFailures} times`, { phase: 'start', stderrTail: err.stderrTail, cause: err }));
      return;
    }
    this.s.standbyRespawns++;
    this.respawnTimer = setTimeout(() => this.spawnStandby(), 100 * this.standbyFailures);
  }

  private spawnStandby(): void {
    if (this.stateValue !== 'running' || this.standby || this.standbySpawning) return;
    this.standbySpawning = true;
    this.spawnSlot().then(
      (slot) => {
        this.standbySpawning = false;
        if (this.stateValue !== 'running') return void slot.close();
        if (this.slotKbps.get(slot) !== this.bitrateKbps) {
          // The rate moved while it was starting: start one at the new rate instead.
          void slot.close();
          this.spawnStandby();
          return;
        }
        this.standby = slot;
        this.watch(slot);
        const reason = this.pendingReason;
        this.pendingReason = undefined;
        if (reason !== undefined) this.tryKeyframe(reason);
      },
      (err: unknown) => {
        this.standbySpawning = false;
        if (this.stateValue !== 'running') return;
        this.standbyFailed(err instanceof EncoderError ? err : new EncoderError('standby spawn failed', { phase: 'start', cause: err }));
      },
    );
  }

  private fail(err: EncoderError): void {
    if (this.stateValue !== 'running') return;
    this.stateValue = 'failed';
    this.log.error({ err: err.message, stderrTail: err.stderrTail }, 'video encoder failed');
    this.emit('failed', err);
    void this.close();
  }
}

/** How one encoder of these options is spawned; shared by the pipeline and the pool. */
export function encoderSlotOptions(o: VideoPipelineOptions, logger: Logger, readyTimeoutMs: number): EncoderSlotOptions {
  const gopFrames = Math.max(1, Math.round((o.gopSeconds ?? 2) * o.fps));
  return {
    ffmpegPath: o.ffmpegPath,
    // A fresh SSRC per encoder: each really is a new RTP source (werift rewrites it anyway).
    argsFor: (rtpPort) => buildEncoderArgs({ ...o, gopFrames, rtpPort, ssrc: randomInt(1, 2 ** 32) }),
    logger,
    readyTimeoutMs,
    children: o.children,
  };
}

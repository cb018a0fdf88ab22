/**
 * One session on an edge: its frame source, its encoder and its viewers.
 * Frames flow source → encoder → every connected viewer; input flows from the
 * player's data channels through the session's one InputGate (its input
 * budget, whatever the channel or socket) into the source.
 *
 * Keyframes: a viewer must start on a keyframe. The encoder starts a new
 * "generation" (a fresh encoder whose first frame is an IDR) when asked, so a
 * viewer that connects or reports picture loss asks for one, and every
 * connected viewer switches to each new generation at its first packet.
 */
import type { Estimate, EstimatorLimits } from '../webrtc/congestion/bandwidthEstimator.ts';
import { SessionBitrate, type CongestionSettings } from './sessionBitrate.ts';
import type { Logger } from 'pino';
import { endMessage } from '../../protocol/endReasons.ts';
import { EndReason, NoticeCode, type VideoInfo } from '../../protocol/index.ts';
import { initialSessionState, nextSessionState, type SessionState } from '../../sessions/index.ts';
import { InputGate, type InputBudget, type LimitKind } from './inputGate.ts';
import type { AudioEncoder, FrameSource, VideoEncoder, Viewer } from './ports.ts';
import { PhoneLifecycle } from './phoneLifecycle.ts';
import { SessionAudio } from './sessionAudio.ts';

/**
 * How a session ends by itself. A game demo: a play clock from the first
 * picture, and a short wait for a viewer. A phone instance: no clock; it
 * waits `graceMs` for its app to come back after a drop and stops after
 * `idleMs` without input (sessions/phone/instanceLifecycle.ts).
 */
export type SessionPolicy =
  { kind: 'game'; playLimitMs: number; idleViewerTimeoutMs: number; joinTimeoutMs: number } | { kind: 'phone'; graceMs: number; idleMs: number };

export type EdgeSessionOptions = {
  id: string;
  titleId: string;
  policy: SessionPolicy;
  /** The stream this session produces (sessions may differ: a phone is portrait). */
  video: VideoInfo;
  inputBudget: InputBudget;
  source: FrameSource;
  encoder: VideoEncoder;
  /** Encodes the source's sound, if it has any (source.audio). */
  audioEncoder?: AudioEncoder;
  /** Congestion control (the player's bandwidth estimate steers the encoder's rate); off when absent. */
  congestion?: CongestionSettings;
  logger: Logger;
  now?: () => number;
  /** Called once when the session has ended and everything it started is stopped. */
  onEnded?: (s: EdgeSession) => void | Promise<void>;
};

/** Sequence number and timestamp of an RTP packet (RFC 3550 §5.1). */
function rtpHeader(packet: Buffer): { sequenceNumber: number; timestamp: number } {
  return { sequenceNumber: packet.readUInt16BE(2), timestamp: packet.readUInt32BE(4) };
}

export class EdgeSession {
  readonly id: string;
  readonly titleId: string;
  private state: SessionState;
  private readonly viewers = new Map<string, Viewer>();
  private readonly gate: InputGate;
  private readonly now: () => number;
  private readonly log: Logger;
  private feeding = false;
  private currentGeneration: number | undefined;
  private playTimer?: NodeJS.Timeout;
  private idleTimer?: NodeJS.Timeout;
  private closing?: Promise<void>;
  private readonly audio: SessionAudio | undefined;
  private readonly phone: PhoneLifecycle | undefined;
  private readonly bitrate: SessionBitrate | undefined;
  framesProduced = 0;

  constructor(private readonly opts: EdgeSessionOptions) {
    this.id = opts.id;
    this.titleId = opts.titleId;
    this.now = opts.now ?? Date.now;
    this.log = opts.logger;
    this.state = initialSessionState(this.now());
    this.gate = new InputGate(opts.inputBudget, this.now, {
      limited: (what) => this.inputLimited(what),
      abusive: (offered) => {
        this.log.warn({ budget: opts.inputBudget, offered, input: this.gate.counters }, 'input abuse: ending the session');
        void this.end(EndReason.inputAbuse);
      },
    });
    const policy = opts.policy;
    if (policy.kind === 'phone') {
      this.phone = new PhoneLifecycle(policy, (reason) => void this.end(reason === 'idle' ? EndReason.idle : EndReason.graceExpired), this.now);
    }
    if (opts.congestion) {
      this.bitrate = new SessionBitrate(opts.encoder, opts.congestion, opts.source.audio !== undefined, this.log, (info) => {
        for (const v of this.viewers.values()) if (v.role === 'player') v.bitrate?.(info);
      });
    }
    const audioSource = opts.source.audio;
    if (audioSource && opts.audioEncoder) {
      this.audio = new SessionAudio({
        source: audioSource,
        encoder: opts.audioEncoder,
        logger: this.log,
        viewers: () => this.viewers.values(),
      });
    }
  }

  get phase(): SessionState['phase'] {
    return this.state.phase;
  }
  get snapshot(): SessionState {
    return this.state;
  }
  get video(): VideoInfo {
    return this.opts.video;
  }
  /** Spectators joined now (they count against the session's and the edge's caps). */
  get spectatorCount(): number {
    let n = 0;
    for (const v of this.viewers.values()) if (v.role === 'viewer') n++;
    return n;
  }
  get kind(): SessionPolicy['kind'] {
    return this.opts.policy.kind;
  }

  /** Starts the source and a warm encoder, so the first picture follows the connection closely. */
  async prepare(): Promise<void> {
    const { encoder, source } = this.opts;
    encoder.onFailed((err) => {
      this.log.warn({ err: err.message }, 'encoder failed');
      void this.end(EndReason.encoderFailed);
    });
    encoder.onRtp((packet, generation) => this.forward(packet, generation));
    try {
      // Audio starts alongside; its failure never fails the session (see sessionAudio.ts).
      await Promise.all([encoder.start(), this.audio?.start()]);
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'encoder did not start');
      await this.end(EndReason.startFailed);
      throw err;
    }
    if (this.state.phase === 'ended') return;
    this.state = nextSessionState(this.state, { type: 'encoder-ready', atMs: this.now() });
    source.onFailed?.((reason) => {
      this.log.warn({ reason }, 'source failed');
      void this.end(EndReason.sourceFailed);
    });
    source.start((frame) => {
      this.framesProduced++;
      // Until the first viewer is connected the encoder stays idle, so its very
      // first frame (an IDR) is the first one a viewer gets.
      if (this.feeding) encoder.pushFrame(frame);
    });
    this.armIdleTimer();
    this.phone?.started();
    this.log.info({ titleId: this.titleId }, 'session ready');
  }

  private forward(packet: Buffer, generation: number): void {
    if (generation !== this.currentGeneration) {
      this.currentGeneration = generation;
      const header = rtpHeader(packet);
      for (const v of this.viewers.values()) if (v.isConnected) v.followGeneration(generation, header);
    }
    for (const v of this.viewers.values()) v.writeRtp(packet, generation);
  }

  addViewer(viewer: Viewer): void {
    if (this.state.phase === 'ended') throw new Error('session has ended');
    this.viewers.set(viewer.id, viewer);
  }

  /** The viewer's WebRTC connection is up: give it a picture to start from. */
  viewerConnected(viewerId: string): void {
    if (!this.viewers.has(viewerId) || this.state.phase === 'ended') return;
    this.state = nextSessionState(this.state, { type: 'viewer-connected', atMs: this.now() });
    clearTimeout(this.idleTimer);
    if (this.viewers.get(viewerId)?.role === 'player') this.phone?.connected();
    if (!this.feeding) {
      this.feeding = true;
      this.audio?.feed();
      this.startPlayClock();
    } else {
      this.opts.encoder.requestKeyframe('viewer-joined');
    }
    this.log.info({ viewerId, viewers: this.state.viewers }, 'viewer connected');
  }

  /** What the player's estimator needs: its limits and the encoder's rate now; undefined with congestion control off. */
  get congestion(): { limits: EstimatorLimits; encoderKbps: () => number } | undefined {
    const b = this.bitrate;
    return b ? { limits: b.limits, encoderKbps: () => b.rungKbps } : undefined;
  }

  /** A bandwidth estimate from a viewer's peer: the player's steers the encoder. */
  bandwidth(viewerId: string, estimate: Estimate): void {
    if (this.state.phase === 'ended' || this.viewers.get(viewerId)?.role !== 'player') return;
    this.bitrate?.onEstimate(estimate, this.now());
  }

  keyframeNeeded(reason: string): void {
    if (this.feeding) this.opts.encoder.requestKeyframe(reason);
  }

  viewerLeft(viewerId: string, reason: string): void {
    const viewer = this.viewers.get(viewerId);
    if (!viewer) return;
    const wasConnected = viewer.followedGeneration() !== undefined || viewer.isConnected;
    this.viewers.delete(viewerId);
    if (wasConnected) this.state = nextSessionState(this.state, { type: 'viewer-left', atMs: this.now() });
    this.log.info({ viewerId, reason, input: viewer.role === 'player' ? this.gate.counters : undefined }, 'viewer left');
    if (viewer.role === 'player' && ![...this.viewers.values()].some((v) => v.role === 'player')) {
      this.gate.releaseAll();
      this.opts.source.releaseInput?.();
      this.phone?.disconnected();
    }
    if (this.viewers.size === 0) this.armIdleTimer();
  }

  /** Raw data-channel message from a viewer. Only the player drives the game. */
  input(viewerId: string, raw: string | Uint8Array): void {
    const viewer = this.viewers.get(viewerId);
    if (!viewer || viewer.role !== 'player' || this.state.phase === 'ended') return;
    const ev = this.gate.admit(raw);
    if (!ev) return;
    this.opts.source.applyInput(ev);
    this.phone?.input();
  }

  /** Seconds since the first picture, up to the end; 0 before it. */
  secondsStreamed(now = this.now()): number {
    const since = this.state.streamingSinceMs;
    if (since === undefined) return 0;
    const until = this.state.endedAtMs ?? now;
    return Math.max(0, Math.round((until - since) / 100) / 10);
  }

  /** The video encoders' processes (the audio encoder's are in audioEncoderPids). */
  encoderPids(): number[] {
    return this.opts.encoder.pids();
  }

  audioEncoderPids(): number[] {
    return this.audio?.pids() ?? [];
  }

  /** The session's input counters, all channels and player sockets together. */
  get inputCounters() {
    return this.gate.counters;
  }

  /** First input dropped over budget: say so in the log (who, what, how much) and tell the player once. */
  private inputLimited(what: LimitKind): void {
    this.log.warn({ over: what, budget: this.opts.inputBudget, input: this.gate.counters }, 'input over budget: dropping');
    const message =
      what === 'held'
        ? `Only ${this.opts.inputBudget.maxHeld} keys, buttons and touches can be held at once; the rest are ignored.`
        : 'This page is sending input faster than the game accepts; some of it is being ignored.';
    for (const v of this.viewers.values()) if (v.role === 'player') v.notice(NoticeCode.inputLimited, message);
  }

  private startPlayClock(): void {
    if (this.opts.policy.kind !== 'game') return;
    this.playTimer = setTimeout(() => void this.end(EndReason.timeLimit), this.opts.policy.playLimitMs);
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    // A phone instance outlives its viewers: its grace period is PhoneLifecycle's.
    if (this.state.phase === 'ended' || this.opts.policy.kind !== 'game') return;
    // Until a first picture, the wait is the join window: a play nobody watches must not hold a slot and its encoders.
    const neverJoined = this.state.streamingSinceMs === undefined;
    const { joinTimeoutMs, idleViewerTimeoutMs } = this.opts.policy;
    this.idleTimer = setTimeout(() => void this.end(neverJoined ? EndReason.notJoined : EndReason.userLeft), neverJoined ? joinTimeoutMs : idleViewerTimeoutMs);
  }

  /** Ends the session once: tells viewers why, stops source and encoder. Idempotent. */
  end(reason: EndReason): Promise<void> {
    if (this.closing) return this.closing;
    this.state = nextSessionState(this.state, { type: 'end', atMs: this.now(), reason });
    clearTimeout(this.playTimer);
    clearTimeout(this.idleTimer);
    this.phone?.stopped();
    this.log.info({ reason, framesProduced: this.framesProduced, input: this.gate.counters, bitrate: this.bitrate?.counts }, 'session ended');
    const message = endMessage(reason, this.opts.policy.kind);
    for (const v of [...this.viewers.values()]) v.end(reason, message);
    this.viewers.clear();
    // Awaited by the host (a phone's profile must be closed before it runs again), not by the session.
    void this.opts.source.stop();
    this.closing = Promise.all([
      this.opts.encoder.close().catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'encoder close failed')),
      this.audio?.close(),
    ]).then(() => this.opts.onEnded?.(this));
    return this.closing;
  }
}

/**
 * One werift peer connection per viewer: send-only video and audio tracks
 * fed with the session's RTP, and the two input data channels. The only module that
 * imports werift, so the rest of the edge deals in plain buffers and
 * protocol messages.
 */
import {
  RTCPeerConnection,
  MediaStreamTrack,
  RTCIceCandidate,
  useH264,
  useOPUS,
  useVP8,
  useNACK,
  usePLI,
  useTWCC,
  useTransportWideCC,
  type RTCRtpSender,
  type RTCDataChannel,
} from 'werift';
import type { Logger } from 'pino';
import { INPUT_CHANNELS, type ClientToEdge, type EdgeToClient } from '../../protocol/index.ts';
import { failClosed } from '../failClosed.ts';
import { installSctpReceiveFix } from './sctpReceiveFix.ts';
import type { Estimate, EstimatorLimits } from './congestion/bandwidthEstimator.ts';
import { tapTwcc } from './congestion/twccTap.ts';

export type ViewerPeerOptions = {
  codec: 'H264' | 'VP8';
  fps: number;
  iceAdditionalHostAddresses: string[];
  icePortRange?: [number, number];
  /** TURN servers to gather relay candidates from (TURN_EDGE_RELAY); absent: werift's default, as before. */
  iceServers?: Array<{ urls: string[]; username: string; credential: string }>;
  /** The player's peer has the two input channels; a spectator's has none (nothing it sends is used). */
  inputChannels: boolean;
  /** How long ICE/DTLS may take before the viewer is given up. */
  connectTimeoutMs: number;
  /** The player's peer estimates its bandwidth (transport-wide congestion control); a spectator's follows the player's stream. */
  congestion?: { limits: EstimatorLimits; encoderKbps: () => number };
  logger: Logger;
};

export type ViewerPeerEvents = {
  signal(msg: EdgeToClient): void;
  input(raw: string | Buffer, channel: string): void;
  /** The browser lost a picture (PLI/FIR) and needs a keyframe. */
  keyframeNeeded(reason: string): void;
  connected(): void;
  closed(reason: string): void;
  /** A new bandwidth estimate, after each TWCC feedback (about every 50-100 ms). */
  bandwidth?(estimate: Estimate): void;
};

type PeerState = 'new' | 'connected' | 'closed';

export class ViewerPeer {
  private readonly pc: RTCPeerConnection;
  private readonly track = new MediaStreamTrack({ kind: 'video' });
  private readonly audioTrack = new MediaStreamTrack({ kind: 'audio' });
  private sender?: RTCRtpSender;
  private state: PeerState = 'new';
  private connectTimer?: NodeJS.Timeout;
  /** The encoder generation this viewer follows; packets of other generations are not sent. */
  private generation: number | undefined;
  packetsSent = 0;
  audioPacketsSent = 0;
  private readonly startedAt = performance.now();
  private sinceStartMs(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  constructor(
    private readonly opts: ViewerPeerOptions,
    private readonly on: ViewerPeerEvents,
  ) {
    this.pc = new RTCPeerConnection({
      // Opus 48 kHz stereo, PT 111: what the audio encoder sends (werift rewrites PT anyway).
      // Transport-wide congestion control: Chromium reports each video packet's arrival time
      // (RTCP transport-cc feedback) so the sender can estimate the link (congestion/).
      codecs: { video: [videoCodec(opts.codec, opts.congestion !== undefined)], audio: [useOPUS()] },
      headerExtensions: opts.congestion ? { video: [useTransportWideCC()] } : undefined,
      // One ICE transport for video, audio and data. Without it werift gathers a second
      // transport for the data channel and never closes its sockets (measured:
      // two UDP sockets leaked per viewer, werift 0.25.2).
      bundlePolicy: 'max-bundle',
      iceAdditionalHostAddresses: opts.iceAdditionalHostAddresses,
      icePortRange: opts.icePortRange,
      iceUseIpv6: false,
      ...(opts.iceServers?.length ? { iceServers: opts.iceServers } : {}),
    });
  }

  async start(): Promise<void> {
    const { pc, opts } = this;
    pc.onIceCandidate.subscribe((c) => {
      if (c && this.state !== 'closed') this.on.signal({ type: 'ice', candidate: c.toJSON() as { candidate: string } });
    });
    pc.connectionStateChange.subscribe((s) => {
      opts.logger.debug({ connectionState: s, sinceStartMs: this.sinceStartMs() }, 'peer connection state');
      if (s === 'connected' && this.state === 'new') {
        this.state = 'connected';
        clearTimeout(this.connectTimer);
        this.on.connected();
      } else if (s === 'failed' || s === 'closed') {
        this.close(s === 'failed' ? 'ice-failed' : 'peer-closed');
      }
    });
    const transceiver = pc.addTransceiver(this.track, { direction: 'sendonly' });
    this.sender = transceiver.sender;
    // Video and audio in separate streams (a=msid): without them Chromium puts both in one
    // lip-sync group and holds video back to match the audio, by 300 ms and more (measured).
    // For play, the picture must not wait for the sound.
    this.sender.streamId = 'edgeplay-video';
    // Chromium asks with PLI (RTCP PSFB FMT 1) whenever it cannot decode.
    this.sender.onPictureLossIndication.subscribe(() => this.on.keyframeNeeded('pli'));
    if (opts.congestion) this.tapBandwidth(this.sender, opts.congestion);
    // Always offered, even for a source without sound (then no packets flow): one SDP shape for every session.
    pc.addTransceiver(this.audioTrack, { direction: 'sendonly' }).sender.streamId = 'edgeplay-audio';
    if (opts.inputChannels) this.openInputChannels();

    this.connectTimer = setTimeout(() => this.close('connect-timeout'), opts.connectTimeoutMs);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    if (this.state === 'closed') return;
    this.on.signal({ type: 'offer', sdp: pc.localDescription?.sdp ?? offer.sdp });
    opts.logger.debug({ sinceStartMs: this.sinceStartMs() }, 'offer sent');
  }

  private tapBandwidth(sender: RTCRtpSender, c: NonNullable<ViewerPeerOptions['congestion']>): void {
    let badFeedback = 0;
    const tapped = tapTwcc(sender, {
      limits: c.limits,
      encoderKbps: c.encoderKbps,
      onEstimate: (e) => {
        if (this.state === 'connected') this.on.bandwidth?.(e);
      },
      onBadFeedback: (err) => {
        // Counted, logged at the 1st, 10th, 100th...: hostile RTCP must not flood the log either.
        badFeedback++;
        if (Number.isInteger(Math.log10(badFeedback))) this.opts.logger.warn({ err: (err as Error).message, badFeedback }, 'TWCC feedback unreadable');
      },
    });
    if (!tapped) this.opts.logger.warn('werift has no bandwidth estimator hook: congestion control is off for this viewer');
  }

  private openInputChannels(): void {
    this.openInputChannel(INPUT_CHANNELS.reliable, { ordered: true });
    // Newest pointer/gamepad state wins: never wait for a retransmission.
    this.openInputChannel(INPUT_CHANNELS.fast, { ordered: false, maxRetransmits: 0 });
    if (!installSctpReceiveFix(this.pc)) this.opts.logger.warn('werift SCTP receive fix not installed: a flooding page costs more CPU (see sctpReceiveFix.ts)');
  }

  private openInputChannel(label: string, options: { ordered: boolean; maxRetransmits?: number }): void {
    const dc: RTCDataChannel = this.pc.createDataChannel(label, options);
    // One bad input message is dropped (and counted); it never reaches werift's event loop as a throw.
    dc.onMessage.subscribe(
      failClosed(
        this.opts.logger,
        'data-channel',
        (data: string | Buffer) => this.on.input(data, label),
        () => undefined,
      ),
    );
  }

  async handleSignal(msg: ClientToEdge): Promise<void> {
    if (this.state === 'closed') return;
    switch (msg.type) {
      case 'answer':
        await this.pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
        this.opts.logger.debug({ sinceStartMs: this.sinceStartMs() }, 'answer applied');
        return;
      case 'ice':
        await this.pc.addIceCandidate(
          new RTCIceCandidate({
            candidate: msg.candidate.candidate,
            sdpMid: msg.candidate.sdpMid ?? undefined,
            sdpMLineIndex: msg.candidate.sdpMLineIndex ?? undefined,
          }),
        );
        return;
      case 'bye':
        this.close('viewer-left');
        return;
    }
  }

  get isConnected(): boolean {
    return this.state === 'connected';
  }

  /** Follow a new encoder generation from its first packet on (which starts with a keyframe). */
  followGeneration(generation: number, firstPacketHeader: { sequenceNumber: number; timestamp: number }): void {
    if (this.generation !== undefined && this.sender) {
      // Keep sequence numbers and timestamps continuous across the encoder switch:
      // a jump would look like loss to the browser's jitter buffer.
      this.sender.replaceRTP(firstPacketHeader, false, Math.round(90_000 / this.opts.fps));
    }
    this.generation = generation;
  }

  followedGeneration(): number | undefined {
    return this.generation;
  }

  writeRtp(packet: Buffer, generation: number): void {
    if (this.state !== 'connected' || generation !== this.generation) return;
    this.track.writeRtp(packet);
    this.packetsSent++;
  }

  /** Opus needs no keyframe: every packet goes out once connected; werift keeps the sequence its own. */
  writeAudioRtp(packet: Buffer): void {
    if (this.state !== 'connected') return;
    this.audioTrack.writeRtp(packet);
    this.audioPacketsSent++;
  }

  close(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.connectTimer);
    this.track.stop();
    this.audioTrack.stop();
    this.pc.close().catch((e: unknown) => this.opts.logger.debug({ err: e }, 'peer close failed'));
    this.on.closed(reason);
  }
}

/** The video codec offered; with congestion control its feedback list adds transport-cc. */
function videoCodec(codec: 'H264' | 'VP8', transportCc: boolean) {
  const make = codec === 'H264' ? useH264 : useVP8;
  // werift's default list (NACK, PLI, REMB) when off; with it, transport-cc replaces REMB (Chromium sends one or the other).
  return transportCc ? make({ rtcpFeedback: [useNACK(), usePLI(), useTWCC()] }) : make();
}

/**
 * Makes one throw-away offer at start-up: werift creates its process-wide DTLS
 * certificate lazily, and the first player should not wait for it (~200 ms).
 */
export async function warmUpWebRtc(): Promise<void> {
  const pc = new RTCPeerConnection({ codecs: { video: [useH264()] }, bundlePolicy: 'max-bundle', iceAdditionalHostAddresses: [], iceUseIpv6: false });
  try {
    pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendonly' });
    pc.createDataChannel('warm-up');
    await pc.setLocalDescription(await pc.createOffer());
  } finally {
    await pc.close();
  }
}

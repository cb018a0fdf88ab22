/**
 * The browser end of one edge session: the signalling WebSocket and the
 * RTCPeerConnection it sets up (protocol/signalling.ts). The edge offers,
 * the page answers; both trickle ICE. Media tracks and the edge's data
 * channels are handed to the caller; anything that ends this connection is
 * reported once, through `ended`, `failed` or `lost`.
 */
import { WsCloseCode } from '../protocol/errors.ts';
import { parseEdgeSignal } from '../protocol/signalling.ts';
import type { BitrateInfo, ClientToEdge, EdgeToClient, IceCandidate, VideoInfo } from '../protocol/signalling.ts';

/** The edge's `welcome`, as checked by parseEdgeSignal (it always carries the edge id and its stream). */
export type Welcome = { sessionId: string; role: 'player' | 'viewer'; edgeId?: string; video?: VideoInfo };

export type EdgeConnectionEvents = {
  welcome(w: Welcome): void;
  /** A remote track; `stream` is the stream to show (all tracks of the session end up in one). */
  track(stream: MediaStream, track: MediaStreamTrack): void;
  channel(ch: RTCDataChannel): void;
  /** The peer connection reached 'connected' (every time it does). */
  connected(): void;
  /** The edge ended the session (time limit, encoder failure, ...). */
  ended(reason: string, message: string): void;
  /** The edge said no: an `error` message, a refusing close code, or an offer this browser can't take. */
  failed(code: string, message: string): void;
  /**
   * The edge went away without a word: the WebSocket closed (or never
   * opened) or the peer connection failed. The session may live on elsewhere.
   */
  lost(code: string, message: string): void;
  /** Something to show the player that does not end the session (e.g. input over budget). */
  notice?(code: string, message: string): void;
  /** The edge's congestion control state (for the stats overlay). */
  bitrate?(info: BitrateInfo): void;
};

export type EdgeConnectionOptions = {
  /**
   * How long the peer connection may stay 'disconnected' before the stream
   * counts as lost. 'disconnected' often heals by itself within a second
   * (a lost consent check); 'failed' never does and counts at once.
   */
  lostAfterMs?: number;
  rtcConfig?: RTCConfiguration;
};

type SdpOrIce = Extract<EdgeToClient, { type: 'offer' | 'ice' }>;

const CLOSE_CODE_ERRORS: ReadonlyMap<number, [string, string]> = new Map([
  [WsCloseCode.unauthorized, ['unauthorized', 'The game server refused this session.']],
  [WsCloseCode.unknownSession, ['unknown-session', 'This session does not exist (any more).']],
  [WsCloseCode.sessionEnded, ['session-ended', 'This session has already ended.']],
  [WsCloseCode.rateLimited, ['rate-limited', 'Too many requests. Wait a moment and try again.']],
  [WsCloseCode.badMessage, ['bad-message', 'The game server did not understand this page.']],
  [WsCloseCode.internal, ['internal', 'The game server had an internal error.']],
]);

export class EdgeConnection {
  readonly ws: WebSocket;
  pc: RTCPeerConnection | undefined;
  private done = false;
  private opened = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly remoteIce: RTCIceCandidateInit[] = [];
  private readonly localIce: IceCandidate[] = [];
  private answered = false;
  private lostTimer: number | undefined;
  private stream: MediaStream | undefined;
  private readonly lostAfterMs: number;

  constructor(
    url: string,
    private readonly events: EdgeConnectionEvents,
    private readonly opts: EdgeConnectionOptions = {},
  ) {
    this.lostAfterMs = opts.lostAfterMs ?? 2000;
    this.ws = new WebSocket(url);
    this.ws.onopen = () => {
      this.opened = true;
    };
    this.ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data === 'string') this.onMessage(e.data);
    };
    this.ws.onclose = (e: CloseEvent) => this.onClose(e);
  }

  get finished(): boolean {
    return this.done;
  }

  /** Ends the session from this side: sends `bye` when it can, closes everything. Idempotent. */
  close(sendBye = true): void {
    const wasDone = this.done;
    this.done = true;
    if (sendBye && !wasDone) this.send({ type: 'bye' });
    this.teardown();
  }

  private teardown(): void {
    if (this.lostTimer !== undefined) window.clearTimeout(this.lostTimer);
    this.lostTimer = undefined;
    try {
      if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'bye');
    } catch {
      /* already closing */
    }
    this.pc?.close();
  }

  private finish(report: () => void): void {
    if (this.done) return;
    this.done = true;
    this.teardown();
    report();
  }

  private fail(code: string, message: string): void {
    this.finish(() => this.events.failed(code, message));
  }

  private lose(code: string, message: string): void {
    this.finish(() => this.events.lost(code, message));
  }

  private send(msg: ClientToEdge): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private onMessage(raw: string): void {
    if (this.done) return;
    const parsed = parseEdgeSignal(raw);
    if (!parsed.ok) {
      console.warn('edgeplay: ignoring signalling message:', parsed.error);
      return;
    }
    // Checked against the one signalling schema: every field is what its type says.
    const msg = parsed.value;
    switch (msg.type) {
      case 'welcome': {
        const { sessionId, role, edgeId, video } = msg;
        this.events.welcome({ sessionId, role, edgeId, video });
        return;
      }
      case 'ended':
        this.finish(() => this.events.ended(msg.reason, msg.message));
        return;
      case 'notice':
        this.events.notice?.(msg.code, msg.message);
        return;
      case 'bitrate': {
        const { type: _type, ...info } = msg;
        this.events.bitrate?.(info);
        return;
      }
      case 'error':
        this.fail(msg.code, msg.message || 'The game server reported an error.');
        return;
      case 'offer':
      case 'ice':
        // SDP and ICE are applied strictly in arrival order, one at a time.
        this.chain = this.chain
          .then(() => this.applyRemote(msg))
          .catch((err: unknown) => this.fail('webrtc-failed', `Could not set up the stream: ${String(err)}`));
        return;
    }
  }

  private async applyRemote(msg: SdpOrIce): Promise<void> {
    if (this.done) return;
    if (msg.type === 'ice') {
      const init: RTCIceCandidateInit = {
        candidate: msg.candidate.candidate,
        sdpMid: msg.candidate.sdpMid ?? null,
        sdpMLineIndex: msg.candidate.sdpMLineIndex ?? null,
      };
      // werift trickles candidates before (or with) its offer: keep them until there is a remote description.
      if (!this.pc?.remoteDescription) this.remoteIce.push(init);
      else await this.addRemoteCandidate(this.pc, init);
      return;
    }
    const pc = this.ensurePeer();
    await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    for (const c of this.remoteIce.splice(0)) await this.addRemoteCandidate(pc, c);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by stop() or a callback during the await
    if (this.done) return;
    this.send({ type: 'answer', sdp: pc.localDescription?.sdp ?? answer.sdp ?? '' });
    this.answered = true;
    for (const c of this.localIce.splice(0)) this.send({ type: 'ice', candidate: c });
  }

  private async addRemoteCandidate(pc: RTCPeerConnection, c: RTCIceCandidateInit): Promise<void> {
    try {
      await pc.addIceCandidate(c);
    } catch (err) {
      console.warn('edgeplay: remote ICE candidate rejected:', err);
    }
  }

  private ensurePeer(): RTCPeerConnection {
    if (this.pc) return this.pc;
    const pc = new RTCPeerConnection(this.opts.rtcConfig ?? {});
    this.pc = pc;
    pc.onicecandidate = (e: RTCPeerConnectionIceEvent) => {
      if (!e.candidate) return;
      const j = e.candidate.toJSON();
      if (!j.candidate) return;
      const c: IceCandidate = { candidate: j.candidate, sdpMid: j.sdpMid ?? null, sdpMLineIndex: j.sdpMLineIndex ?? null };
      if (this.answered) this.send({ type: 'ice', candidate: c });
      else this.localIce.push(c);
    };
    pc.ontrack = (e: RTCTrackEvent) => {
      preferLowestDelay(e.receiver);
      // One stream for the whole session, even if the edge puts tracks in separate streams.
      const stream = this.stream ?? e.streams[0] ?? new MediaStream();
      if (!stream.getTracks().includes(e.track)) stream.addTrack(e.track);
      this.stream = stream;
      this.events.track(stream, e.track);
    };
    pc.ondatachannel = (e: RTCDataChannelEvent) => this.events.channel(e.channel);
    pc.onconnectionstatechange = () => this.onPeerState(pc.connectionState);
    return pc;
  }

  private onPeerState(state: RTCPeerConnectionState): void {
    if (this.done) return;
    if (state === 'connected') {
      if (this.lostTimer !== undefined) window.clearTimeout(this.lostTimer);
      this.lostTimer = undefined;
      this.events.connected();
    } else if (state === 'failed') {
      this.lose('stream-lost', 'The connection to the game server was lost.');
    } else if (state === 'disconnected' && this.lostTimer === undefined) {
      this.lostTimer = window.setTimeout(() => {
        this.lostTimer = undefined;
        this.lose('stream-lost', 'The connection to the game server was lost.');
      }, this.lostAfterMs);
    }
  }

  private onClose(e: CloseEvent): void {
    if (this.done) return;
    // The edge's own close codes are answers; anything else (1006 when its process died) is a loss.
    const known = CLOSE_CODE_ERRORS.get(e.code);
    if (known) this.fail(known[0], e.reason || known[1]);
    else if (!this.opened) this.lose('connect-failed', 'Could not reach the game server.');
    else this.lose('stream-lost', 'The connection to the game server was lost (signalling closed).');
  }
}

/**
 * Asks Chromium to play frames as soon as they are decodable instead of
 * buffering for smoothness: a game wants the newest picture now.
 * `jitterBufferTarget` is the standard knob (W3C webrtc-extensions);
 * `playoutDelayHint` is Chromium's older name for the same thing.
 */
function preferLowestDelay(receiver: RTCRtpReceiver): void {
  const r = receiver as RTCRtpReceiver & { jitterBufferTarget?: number | null; playoutDelayHint?: number };
  try {
    if ('jitterBufferTarget' in r) r.jitterBufferTarget = 0;
    if ('playoutDelayHint' in r) r.playoutDelayHint = 0;
  } catch {
    // Older browsers throw on unknown values; the default buffering still works.
  }
}

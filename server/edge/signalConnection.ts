/**
 * One viewer's signalling WebSocket: validates every message once, runs the
 * werift peer for it, and adapts both to the session's Viewer interface.
 * Nothing a client sends here can throw into the process: bad messages get an
 * `error` reply, and too many of them close the socket.
 */
import type { RawData, WebSocket } from 'ws';
import { failClosed } from '../failClosed.ts';
import type { Logger } from 'pino';
import { v4 as uuidv4 } from 'uuid';
import { EndReason, ErrorCode, WsCloseCode, parseClientSignal, type EdgeToClient } from '../../protocol/index.ts';
import { ViewerPeer, type ViewerPeerOptions } from '../webrtc/viewerPeer.ts';
import type { EdgeSession } from './edgeSession.ts';
import type { Viewer } from './ports.ts';
import { TokenBucket } from './inputGate.ts';

const MAX_BAD_MESSAGES = 20;
const SIGNAL_MESSAGES_PER_SECOND = 50;

export function sendSignal(ws: WebSocket, msg: EdgeToClient): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}

/** Refuses a signalling socket with a message the page can show, then closes it. */
export function refuse(ws: WebSocket, code: ErrorCode, message: string, closeCode: number): void {
  sendSignal(ws, { type: 'error', code, message });
  ws.close(closeCode, code);
}

export type SignalConnectionOptions = {
  ws: WebSocket;
  session: EdgeSession;
  role: 'player' | 'viewer';
  edgeId: string;
  peer: Omit<ViewerPeerOptions, 'logger' | 'codec' | 'fps' | 'inputChannels'>;
  logger: Logger;
};

export function runSignalConnection(o: SignalConnectionOptions): void {
  const { ws, session } = o;
  const id = uuidv4();
  const log = o.logger.child({ viewerId: id, role: o.role });
  let badMessages = 0;
  let ended = false;
  const bucket = new TokenBucket(SIGNAL_MESSAGES_PER_SECOND, SIGNAL_MESSAGES_PER_SECOND, Date.now());

  const peer = new ViewerPeer(
    {
      ...o.peer,
      codec: session.video.codec,
      fps: session.video.fps,
      inputChannels: o.role === 'player',
      // Only the player's estimate steers the encoder; a spectator's peer is not asked for feedback.
      ...(o.role === 'player' && session.congestion ? { congestion: session.congestion } : {}),
      logger: log,
    },
    {
      signal: (msg) => sendSignal(ws, msg),
      input: (raw) => session.input(id, raw),
      keyframeNeeded: (reason) => session.keyframeNeeded(reason),
      bandwidth: (estimate) => session.bandwidth(id, estimate),
      connected: () => session.viewerConnected(id),
      closed: (reason) => {
        session.viewerLeft(id, reason);
        // A player who says goodbye frees the slot now; a dropped connection keeps
        // the session for the idle window so the page can come back. A phone
        // instance keeps running after its app leaves: it waits out its grace period.
        if (reason === 'viewer-left' && o.role === 'player' && session.kind === 'game') void session.end(EndReason.userLeft);
        if (!ended && ws.readyState === ws.OPEN) {
          // The media path died under an open socket: tell the page, it can reconnect.
          ws.close(WsCloseCode.normal, reason);
        }
      },
    },
  );

  const viewer: Viewer = {
    id,
    role: o.role,
    get isConnected() {
      return peer.isConnected;
    },
    followedGeneration: () => peer.followedGeneration(),
    followGeneration: (g, h) => peer.followGeneration(g, h),
    writeRtp: (p, g) => peer.writeRtp(p, g),
    writeAudioRtp: (p) => peer.writeAudioRtp(p),
    notice: (code, message) => sendSignal(ws, { type: 'notice', code, message }),
    bitrate: (info) => sendSignal(ws, { type: 'bitrate', ...info }),
    end: (reason: string, message: string) => {
      ended = true;
      sendSignal(ws, { type: 'ended', reason: reason as EndReason, message });
      peer.close('session-ended');
      ws.close(WsCloseCode.sessionEnded, reason);
    },
  };

  try {
    session.addViewer(viewer);
  } catch {
    refuse(ws, ErrorCode.sessionEnded, 'This session has ended.', WsCloseCode.sessionEnded);
    return;
  }

  const onMessage = (data: RawData, isBinary: boolean) => {
    if (!bucket.take(Date.now())) {
      refuse(ws, ErrorCode.rateLimited, 'Too many signalling messages.', WsCloseCode.rateLimited);
      return;
    }
    const parsed = isBinary ? { ok: false as const, error: 'binary messages are not accepted' } : parseClientSignal(data.toString());
    if (!parsed.ok) {
      badMessages++;
      sendSignal(ws, { type: 'error', code: ErrorCode.badMessage, message: parsed.error });
      if (badMessages >= MAX_BAD_MESSAGES) ws.close(WsCloseCode.badMessage, 'too many bad messages');
      return;
    }
    peer.handleSignal(parsed.value).catch((err: unknown) => {
      // e.g. an answer that does not match the offer: the peer cannot go on.
      log.warn({ err: (err as Error).message }, 'signal rejected');
      sendSignal(ws, { type: 'error', code: ErrorCode.badMessage, message: `signal rejected: ${(err as Error).message}` });
    });
  };
  ws.on(
    'message',
    failClosed(log, 'signalling', onMessage, () => refuse(ws, ErrorCode.internal, 'The signalling message could not be handled.', WsCloseCode.internal)),
  );
  ws.on('close', () => peer.close('signalling-closed'));
  ws.on('error', (err) => log.debug({ err: err.message }, 'signalling socket error'));

  sendSignal(ws, { type: 'welcome', sessionId: session.id, role: o.role, video: session.video, edgeId: o.edgeId });
  peer.start().catch((err: unknown) => {
    log.error({ err: (err as Error).message }, 'peer failed to start');
    refuse(ws, ErrorCode.internal, 'The stream could not be set up.', WsCloseCode.internal);
    peer.close('start-failed');
  });
}

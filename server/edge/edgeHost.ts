/**
 * An edge host: runs sessions up to its capacity and accepts the signalling
 * WebSockets of their viewers. It does not listen by itself; the entry point
 * routes HTTP upgrades for SIGNAL_PATH here (ws `noServer` mode, because one
 * HTTP server carries several WebSocket endpoints).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { ErrorCode, EndReason, WsCloseCode, isSessionId, type VideoInfo } from '../../protocol/index.ts';
import { EdgeSession } from './edgeSession.ts';
import type { AudioEncoder, FrameSource, VideoEncoder } from './ports.ts';
import { refuse, runSignalConnection } from './signalConnection.ts';

export type EdgeHostOptions = {
  id: string;
  maxSessions: number;
  video: VideoInfo;
  idleViewerTimeoutMs: number;
  inputRatePerSecond: number;
  iceAdditionalHostAddresses: string[];
  icePortRange?: [number, number];
  createSource(titleId: string): FrameSource;
  createEncoder(log: Logger): VideoEncoder;
  /** Asked only for sources that have sound; without it sessions are silent. */
  createAudioEncoder?(log: Logger): AudioEncoder;
  /**
   * Checks a player's ticket (fleet mode). Undefined means tickets are not
   * required: the single-process default, where the broker is this process.
   */
  verifyTicket?: (ticket: string | null, sessionId: string) => { ok: true } | { ok: false; code: string; message: string };
  /** Told once per ended session, e.g. to report it to the broker. */
  onSessionEnded?: (s: { id: string; reason: string; secondsStreamed: number }) => void;
  logger: Logger;
};

export class NoCapacityError extends Error {
  override name = 'NoCapacityError';
}

export class EdgeHost {
  private readonly sessions = new Map<string, EdgeSession>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 });
  private readonly log: Logger;
  /** Draining: no new sessions, running ones finish. */
  draining = false;

  constructor(private readonly opts: EdgeHostOptions) {
    this.log = opts.logger.child({ module: 'edge', edgeId: opts.id });
  }

  get id(): string {
    return this.opts.id;
  }
  get video(): VideoInfo {
    return this.opts.video;
  }
  get load(): { sessions: number; maxSessions: number } {
    return { sessions: this.sessions.size, maxSessions: this.opts.maxSessions };
  }

  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  /** Seconds each running session has streamed (from its first picture). */
  streamedSeconds(now = Date.now()): Record<string, number> {
    return Object.fromEntries([...this.sessions.values()].map((s) => [s.id, s.secondsStreamed(now)]));
  }

  session(id: string): EdgeSession | undefined {
    return this.sessions.get(id);
  }

  /** Starts a session's source and encoder ahead of the viewer, so the first picture is fast. */
  async prepareSession(o: { sessionId: string; titleId: string; playSeconds: number }): Promise<EdgeSession> {
    if (this.draining) throw new NoCapacityError(`edge ${this.opts.id} is draining`);
    if (this.sessions.size >= this.opts.maxSessions) throw new NoCapacityError(`edge ${this.opts.id} is full`);
    if (this.sessions.has(o.sessionId)) throw new Error(`session ${o.sessionId} already runs here`);
    const log = this.log.child({ sessionId: o.sessionId });
    const source = this.opts.createSource(o.titleId);
    const session = new EdgeSession({
      id: o.sessionId,
      titleId: o.titleId,
      playLimitMs: o.playSeconds * 1000,
      idleViewerTimeoutMs: this.opts.idleViewerTimeoutMs,
      inputRatePerSecond: this.opts.inputRatePerSecond,
      source,
      encoder: this.opts.createEncoder(log),
      ...(source.audio && this.opts.createAudioEncoder ? { audioEncoder: this.opts.createAudioEncoder(log) } : {}),
      logger: log,
      onEnded: (s) => {
        this.sessions.delete(s.id);
        this.opts.onSessionEnded?.({ id: s.id, reason: s.snapshot.endReason ?? 'unknown', secondsStreamed: s.secondsStreamed() });
      },
    });
    this.sessions.set(o.sessionId, session);
    await session.prepare();
    return session;
  }

  /** Routes an HTTP upgrade for the signalling path. `url` is the request URL. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://edge');
    const sessionId = url.searchParams.get('session');
    const role = url.searchParams.get('role') === 'viewer' ? 'viewer' : 'player';
    if (!isSessionId(sessionId)) {
      refuse(ws, ErrorCode.malformedSessionId, 'That is not a valid session id.', WsCloseCode.badMessage);
      return;
    }
    const session = this.sessions.get(sessionId);
    if (!session || session.phase === 'ended') {
      refuse(ws, ErrorCode.unknownSession, 'This session does not exist or has ended.', WsCloseCode.unknownSession);
      return;
    }
    if (role === 'player' && this.opts.verifyTicket) {
      const verdict = this.opts.verifyTicket(url.searchParams.get('ticket'), sessionId);
      if (!verdict.ok) {
        this.log.warn({ sessionId, code: verdict.code }, 'ticket refused');
        refuse(ws, ErrorCode.unauthorized, verdict.message, WsCloseCode.unauthorized);
        return;
      }
    }
    runSignalConnection({
      ws,
      session,
      role,
      edgeId: this.opts.id,
      video: this.opts.video,
      peer: {
        iceAdditionalHostAddresses: this.opts.iceAdditionalHostAddresses,
        icePortRange: this.opts.icePortRange,
        connectTimeoutMs: 15_000,
      },
      logger: this.log.child({ sessionId }),
    });
  }

  /** Ends one session (the broker asked, e.g. a revoked link). */
  endSession(sessionId: string, reason: EndReason): void {
    void this.sessions.get(sessionId)?.end(reason);
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.end(EndReason.edgeShutdown)));
    this.wss.close();
  }
}

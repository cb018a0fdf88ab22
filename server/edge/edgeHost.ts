/**
 * An edge host: runs sessions up to its capacity and accepts the signalling
 * WebSockets of their viewers. It does not listen by itself; the entry point
 * routes HTTP upgrades for SIGNAL_PATH here (ws `noServer` mode, because one
 * HTTP server carries several WebSocket endpoints).
 */
import type { CongestionSettings } from './sessionBitrate.ts';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { ErrorCode, EndReason, WsCloseCode, isSessionId, type IceServer, type PhonePrepare, type VideoInfo } from '../../protocol/index.ts';
import { EdgeSession, type SessionPolicy } from './edgeSession.ts';
import type { AudioEncoder, FrameSource, VideoEncoder } from './ports.ts';
import { refuse, runSignalConnection } from './signalConnection.ts';
import type { InputBudget } from './inputGate.ts';

export type EdgeHostOptions = {
  id: string;
  maxSessions: number;
  video: VideoInfo;
  /** Phone instances stream portrait at their own size. */
  phoneVideo: VideoInfo;
  idleViewerTimeoutMs: number;
  /** A game session whose player has not connected this long after it was prepared ends (not-joined). */
  joinTimeoutMs: number;
  /** Grace after a phone app drops, and the idle limit of a phone instance. */
  phoneLimits: { graceMs: number; idleMs: number };
  inputBudget: InputBudget;
  /** Congestion control for every session's player; off when absent. */
  congestion?: CongestionSettings;
  /** Spectators at once, per session and on this edge (default 8 and 32). */
  spectators?: { perSession: number; perEdge: number };
  iceAdditionalHostAddresses: string[];
  icePortRange?: [number, number];
  /** TURN servers (with credentials for this session) the edge's peer gathers relay candidates from; none by default. */
  iceServersFor?(sessionId: string): IceServer[];
  createSource(req: SessionRequest, video: VideoInfo, log: Logger): FrameSource;
  createEncoder(log: Logger, video: VideoInfo): VideoEncoder;
  /** Deletes a removed phone instance's data directory (after it stopped). */
  deletePhoneData?(phone: PhonePrepare): Promise<void>;
  /** Asked only for sources that have sound; without it sessions are silent. */
  createAudioEncoder?(log: Logger): AudioEncoder;
  /**
   * Checks a player's or a spectator's ticket (fleet mode; the two are
   * signed apart). Undefined means tickets are not required: only edge unit
   * tests run so.
   */
  verifyTicket?: (ticket: string | null, sessionId: string, role: 'player' | 'viewer') => { ok: true } | { ok: false; code: string; message: string };
  /** Told once per ended session, e.g. to report it to the broker. */
  onSessionEnded?: (s: { id: string; reason: string; secondsStreamed: number }) => void;
  logger: Logger;
};

/** What a session runs: a catalog title, or a subscriber's phone instance. */
export type SessionRequest = { titleId: string; phone?: PhonePrepare };

/** How long a new run of a phone waits for its previous run to close its profile. */
const PROFILE_CLOSE_WAIT_MS = 10_000;

/** Whether `p` (if any) settles within `ms`. */
async function settlesWithin(p: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!p) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  const done = p.then(
    () => true,
    () => true,
  );
  const settled = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return settled;
}

export class NoCapacityError extends Error {
  override name = 'NoCapacityError';
}

export class EdgeHost {
  private readonly sessions = new Map<string, EdgeSession>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 });
  private readonly log: Logger;
  /** Each phone instance's running session, and the end of its last one (its profile must be closed before it starts again). */
  private readonly phoneSessions = new Map<string, EdgeSession>();
  private readonly phoneStops = new Map<string, Promise<void>>();
  private readonly phoneStarting = new Set<string>();
  private readonly phoneOf = new Map<string, PhonePrepare>();
  private closed = false;
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

  /** The phone instances running here, by session (a restarted broker learns its phones from this). */
  phoneSessionList(): Array<{ sessionId: string; phone: PhonePrepare }> {
    return [...this.phoneOf].filter(([id]) => this.sessions.get(id)?.phase !== 'ended').map(([sessionId, phone]) => ({ sessionId, phone }));
  }

  /** Sessions with a viewer connected now. */
  connectedSessionIds(): string[] {
    return [...this.sessions.values()].filter((s) => s.phase !== 'ended' && s.snapshot.viewers > 0).map((s) => s.id);
  }

  session(id: string): EdgeSession | undefined {
    return this.sessions.get(id);
  }

  /** Starts a session's source and encoder ahead of the viewer, so the first picture is fast. */
  async prepareSession(o: SessionRequest & { sessionId: string; playSeconds: number }): Promise<EdgeSession> {
    if (this.draining) throw new NoCapacityError(`edge ${this.opts.id} is draining`);
    if (this.sessions.size >= this.opts.maxSessions) throw new NoCapacityError(`edge ${this.opts.id} is full`);
    if (this.sessions.has(o.sessionId)) throw new Error(`session ${o.sessionId} already runs here`);
    const instanceId = o.phone?.instanceId;
    if (instanceId === undefined) return this.startSession(o, undefined);
    // One run per instance: refused while another starts or runs; a run that is
    // ending (stopped, then opened again at once) is waited for, within limits.
    const earlier = this.phoneSessions.get(instanceId);
    if (this.phoneStarting.has(instanceId) || (earlier && earlier.phase !== 'ended')) throw new Error(`phone instance ${instanceId} already runs here`);
    this.phoneStarting.add(instanceId);
    try {
      const closed = await settlesWithin(this.phoneStops.get(instanceId), PROFILE_CLOSE_WAIT_MS);
      if (!closed) throw new Error(`the previous run of phone instance ${instanceId} is still closing`);
      if (this.closed) throw new NoCapacityError(`edge ${this.opts.id} is shutting down`);
      return await this.startSession(o, instanceId);
    } finally {
      this.phoneStarting.delete(instanceId);
    }
  }

  private async startSession(o: SessionRequest & { sessionId: string; playSeconds: number }, instanceId: string | undefined): Promise<EdgeSession> {
    const log = this.log.child({ sessionId: o.sessionId, ...(instanceId ? { instanceId } : {}) });
    const video = o.phone ? this.opts.phoneVideo : this.opts.video;
    const policy: SessionPolicy = o.phone
      ? { kind: 'phone', ...this.opts.phoneLimits }
      : { kind: 'game', playLimitMs: o.playSeconds * 1000, idleViewerTimeoutMs: this.opts.idleViewerTimeoutMs, joinTimeoutMs: this.opts.joinTimeoutMs };
    // Until this run's source has fully stopped, the next run of the instance waits (its profile is in use).
    let release: () => void = () => {};
    if (instanceId !== undefined) {
      const stopped = new Promise<void>((r) => (release = r));
      this.phoneStops.set(instanceId, stopped);
      void stopped.then(() => this.phoneStops.get(instanceId) === stopped && this.phoneStops.delete(instanceId));
    }
    let session: EdgeSession;
    try {
      const source = this.opts.createSource(o, video, log);
      session = new EdgeSession({
        id: o.sessionId,
        titleId: o.titleId,
        policy,
        video,
        inputBudget: this.opts.inputBudget,
        ...(this.opts.congestion ? { congestion: this.opts.congestion } : {}),
        source,
        encoder: this.opts.createEncoder(log, video),
        ...(source.audio && this.opts.createAudioEncoder ? { audioEncoder: this.opts.createAudioEncoder(log) } : {}),
        logger: log,
        onEnded: async (s) => {
          this.sessions.delete(s.id);
          this.phoneOf.delete(s.id);
          if (instanceId !== undefined && this.phoneSessions.get(instanceId) === s) this.phoneSessions.delete(instanceId);
          // Tell the broker now (the instance is stopped for the subscriber); the profile closes meanwhile.
          this.opts.onSessionEnded?.({ id: s.id, reason: s.snapshot.endReason ?? 'unknown', secondsStreamed: s.secondsStreamed() });
          await source.stop().catch(() => {});
          release();
        },
      });
    } catch (err) {
      release();
      throw err;
    }
    this.sessions.set(o.sessionId, session);
    if (instanceId !== undefined) this.phoneSessions.set(instanceId, session);
    if (o.phone) this.phoneOf.set(o.sessionId, o.phone);
    await session.prepare();
    return session;
  }

  /** Stops a removed phone instance if it runs here, then deletes its data. */
  async deletePhoneData(phone: PhonePrepare): Promise<void> {
    await this.phoneSessions.get(phone.instanceId)?.end(EndReason.stopped);
    await this.phoneStops.get(phone.instanceId);
    await this.opts.deletePhoneData?.(phone);
    this.log.info({ instanceId: phone.instanceId }, 'phone instance data deleted');
  }

  /** Takes an HTTP upgrade for the signalling path; `url` is the request target, parsed once by server/upgradeRouter.ts. */
  handleUpgrade(url: URL, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, url));
  }

  private accept(ws: WebSocket, url: URL): void {
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
    // A phone's screen is its subscriber's alone: no spectators.
    if (role === 'viewer' && session.kind === 'phone') {
      refuse(ws, ErrorCode.unknownSession, 'This session does not exist or has ended.', WsCloseCode.unknownSession);
      return;
    }
    if (role === 'viewer') {
      const caps = this.opts.spectators ?? { perSession: 8, perEdge: 32 };
      const here = session.spectatorCount;
      const onEdge = [...this.sessions.values()].reduce((n, s) => n + s.spectatorCount, 0);
      if (here >= caps.perSession || onEdge >= caps.perEdge) {
        this.log.warn({ sessionId, spectators: here, onEdge, caps }, 'spectator refused: over the cap');
        const message =
          here >= caps.perSession ? 'This session already has as many spectators as it allows.' : 'This server already has as many spectators as it allows.';
        refuse(ws, ErrorCode.noCapacity, message, WsCloseCode.rateLimited);
        return;
      }
    }
    if (this.opts.verifyTicket) {
      const verdict = this.opts.verifyTicket(url.searchParams.get('ticket'), sessionId, role);
      if (!verdict.ok) {
        this.log.warn({ sessionId, role, code: verdict.code }, 'ticket refused');
        refuse(ws, ErrorCode.unauthorized, verdict.message, WsCloseCode.unauthorized);
        return;
      }
    }
    runSignalConnection({
      ws,
      session,
      role,
      edgeId: this.opts.id,
      peer: {
        iceAdditionalHostAddresses: this.opts.iceAdditionalHostAddresses,
        icePortRange: this.opts.icePortRange,
        ...(this.opts.iceServersFor ? { iceServers: this.opts.iceServersFor(sessionId) } : {}),
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
    this.closed = true;
    await Promise.all([...this.sessions.values()].map((s) => s.end(EndReason.edgeShutdown)));
    this.wss.close();
  }
}

/**
 * The broker's end of the edge links: edges connect here over a WebSocket,
 * register with the fleet secret, then send heartbeats and answer `prepare`.
 * Each connection is validated message by message; a malformed or hostile
 * edge gets a clear refusal and can never take the broker down.
 */
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { failClosed } from '../failClosed.ts';
import { parseEdgeToBroker, type BrokerToEdge, type EdgeToBroker, type ErrorCode, type PhonePrepare } from '../../protocol/index.ts';

type Register = Extract<EdgeToBroker, { type: 'register' }>;
type Heartbeat = Extract<EdgeToBroker, { type: 'heartbeat' }>;
export type PrepareRequest = { sessionId: string; titleId: string; playSeconds: number; phone?: PhonePrepare };
export type PrepareOutcome = { ok: true } | { ok: false; code: 'no-capacity' | 'start-failed' | 'timeout' | 'edge-gone'; message: string };

/** What the broker's fleet logic needs to hear from the links. */
export type EdgeLinkEvents = {
  /** Returns an error message to refuse the registration. */
  registered(msg: Register, ticketKey: string): string | undefined;
  heartbeat(edgeId: string, msg: Heartbeat): void;
  sessionEnded(edgeId: string, sessionId: string, reason: string, secondsStreamed: number): void;
  disconnected(edgeId: string): void;
};

export type EdgeLinkServerOptions = {
  secret: string;
  heartbeatMs: number;
  events: EdgeLinkEvents;
  logger: Logger;
  /** An edge must register this soon after connecting. */
  registerTimeoutMs?: number;
};

const sha = (s: string) => createHash('sha256').update(s).digest();
const MAX_BAD_MESSAGES = 10;

export class EdgeLinkServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  private readonly links = new Map<string, WebSocket>();
  private readonly pending = new Map<string, { resolve: (r: PrepareOutcome) => void; timer: NodeJS.Timeout; edgeId: string }>();
  private readonly secretHash: Buffer;
  private nextRequest = 0;

  constructor(private readonly o: EdgeLinkServerOptions) {
    this.secretHash = sha(o.secret);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    let edgeId: string | undefined;
    let bad = 0;
    const log = this.o.logger;
    const registerTimer = setTimeout(() => !edgeId && this.refuse(ws, 'register-timeout', 'register first'), this.o.registerTimeoutMs ?? 5000);
    const onMessage = (data: RawData, isBinary: boolean) => {
      const parsed = isBinary ? ({ ok: false, error: 'binary messages are not accepted' } as const) : parseEdgeToBroker(String(data));
      if (!parsed.ok) {
        if (++bad >= MAX_BAD_MESSAGES) this.refuse(ws, 'bad-message', 'too many invalid messages');
        else this.send(ws, { type: 'refused', code: 'bad-message', message: parsed.error });
        log.warn({ edgeId, err: parsed.error }, 'invalid message from edge');
        return;
      }
      const msg = parsed.value;
      if (!edgeId) {
        if (msg.type !== 'register') return this.refuse(ws, 'not-registered', 'register first');
        // Constant-time comparison of digests: the secret's length leaks nothing either.
        if (!timingSafeEqual(sha(msg.secret), this.secretHash)) {
          log.warn({ edgeId: msg.edgeId }, 'edge refused: wrong fleet secret');
          return this.refuse(ws, 'unauthorized', 'wrong fleet secret');
        }
        const ticketKey = randomBytes(32).toString('base64url');
        const refusal = this.o.events.registered(msg, ticketKey);
        if (refusal) return this.refuse(ws, 'refused', refusal);
        clearTimeout(registerTimer);
        edgeId = msg.edgeId;
        // A re-registering edge (its old socket not yet seen closed) replaces the old link.
        const old = this.links.get(edgeId);
        this.links.set(edgeId, ws);
        if (old && old !== ws) old.close(4409, 'replaced');
        this.send(ws, { type: 'registered', heartbeatMs: this.o.heartbeatMs, ticketKey });
        log.info({ edgeId, region: msg.region, tier: msg.tier, sessions: msg.sessions.length }, 'edge registered');
        return;
      }
      switch (msg.type) {
        case 'register':
          return this.send(ws, { type: 'refused', code: 'already-registered', message: 'this link is registered' });
        case 'heartbeat':
          return this.o.events.heartbeat(edgeId, msg);
        case 'prepared': {
          const p = this.pending.get(msg.requestId);
          if (!p || p.edgeId !== edgeId) return;
          this.pending.delete(msg.requestId);
          clearTimeout(p.timer);
          return p.resolve(msg.ok ? { ok: true } : { ok: false, code: msg.code, message: msg.message });
        }
        case 'session-ended':
          return this.o.events.sessionEnded(edgeId, msg.sessionId, msg.reason, msg.secondsStreamed);
      }
    };
    ws.on(
      'message',
      failClosed(log, 'edge-link', onMessage, () => this.refuse(ws, 'bad-message', 'the message could not be handled')),
    );
    ws.on('close', () => {
      clearTimeout(registerTimer);
      if (edgeId && this.links.get(edgeId) === ws) {
        this.links.delete(edgeId);
        for (const [id, p] of this.pending) if (p.edgeId === edgeId) this.settle(id, { ok: false, code: 'edge-gone', message: 'edge disconnected' });
        log.warn({ edgeId }, 'edge link closed');
        this.o.events.disconnected(edgeId);
      }
    });
    ws.on('error', (err) => log.debug({ edgeId, err: err.message }, 'edge link error'));
  }

  /** Asks an edge to start a session; resolves with its answer, or a timeout at the deadline. */
  prepare(edgeId: string, req: PrepareRequest, deadlineMs: number): Promise<PrepareOutcome> {
    const ws = this.links.get(edgeId);
    if (!ws) return Promise.resolve({ ok: false, code: 'edge-gone', message: 'edge is not connected' });
    const requestId = `p${++this.nextRequest}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(requestId, { ok: false, code: 'timeout', message: `no answer within ${deadlineMs} ms` }), deadlineMs);
      this.pending.set(requestId, { resolve, timer, edgeId });
      this.send(ws, { type: 'prepare', requestId, ...req, deadlineMs });
    });
  }

  private settle(requestId: string, r: PrepareOutcome): void {
    const p = this.pending.get(requestId);
    if (!p) return;
    this.pending.delete(requestId);
    clearTimeout(p.timer);
    p.resolve(r);
  }

  /** Tells the edge holding a removed phone instance's data to delete it; false when that edge is not connected. */
  deletePhoneData(edgeId: string, phone: PhonePrepare): boolean {
    const ws = this.links.get(edgeId);
    if (!ws) return false;
    this.send(ws, { type: 'delete-phone-data', phone });
    return true;
  }

  endSession(edgeId: string, sessionId: string, reason: string): void {
    const ws = this.links.get(edgeId);
    if (ws) this.send(ws, { type: 'end-session', sessionId, reason });
  }

  drain(edgeId: string, draining: boolean): boolean {
    const ws = this.links.get(edgeId);
    if (!ws) return false;
    this.send(ws, { type: 'drain', draining });
    return true;
  }

  /** Drops an edge's link (e.g. declared lost after missing heartbeats). */
  disconnect(edgeId: string): void {
    this.links.get(edgeId)?.close(4408, 'heartbeats missed');
  }

  private send(ws: WebSocket, msg: BrokerToEdge): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  }

  private refuse(ws: WebSocket, code: ErrorCode, message: string): void {
    this.send(ws, { type: 'refused', code, message });
    ws.close(4401, code);
  }

  close(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, code: 'edge-gone', message: 'broker shutting down' });
    for (const ws of this.links.values()) ws.close(1001, 'broker shutting down');
    this.wss.close();
  }
}

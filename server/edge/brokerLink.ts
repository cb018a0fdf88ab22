/**
 * The edge's connection to its broker: a WebSocket the edge opens (edges sit
 * behind NAT more often than brokers do). Registers with the fleet secret,
 * sends heartbeats with load and capacity, answers `prepare` requests, and
 * reconnects by itself, re-registering with the sessions it still runs, when
 * the broker restarts.
 */
import { WebSocket, type RawData } from 'ws';
import { failClosed } from '../failClosed.ts';
import type { Logger } from 'pino';
import {
  EDGE_LINK_PATH,
  parseBrokerToEdge,
  type BrokerToEdge,
  type EdgeCapacity,
  type EdgeTier,
  type EdgeToBroker,
  type GeoPoint,
  type PhonePrepare,
  type VideoInfo,
} from '../../protocol/index.ts';

export type PrepareResult = { ok: true } | { ok: false; code: 'no-capacity' | 'start-failed'; message: string };

export type BrokerLinkOptions = {
  /** http(s) or ws(s) URL of the broker; the edge path is appended. */
  brokerUrl: () => string;
  secret: string;
  edgeId: string;
  region: string;
  location: GeoPoint;
  /** Evaluated at each registration: the URL is known only once the server listens. */
  publicUrl: () => string;
  tier: EdgeTier;
  video: VideoInfo;
  capacity(): EdgeCapacity;
  sessions(): string[];
  phoneSessions(): Array<{ sessionId: string; phone: PhonePrepare }>;
  streamedSeconds(): Record<string, number>;
  playersConnected(): string[];
  prepare(msg: Extract<BrokerToEdge, { type: 'prepare' }>): Promise<PrepareResult>;
  endSession(sessionId: string, reason: string): void;
  deletePhoneData(phone: PhonePrepare): void;
  drain(draining: boolean): void;
  /** The key this edge verifies player tickets with; new at every registration. */
  ticketKey(key: string): void;
  logger: Logger;
};

/** Reconnect delays: quick at first (a broker restart), then every few seconds. */
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000];

export class BrokerLink {
  private ws?: WebSocket;
  private heartbeatTimer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private attempt = 0;
  private closed = false;
  private registeredOnce?: () => void;
  /** Resolves at the first successful registration. */
  readonly registered: Promise<void>;
  isRegistered = false;

  constructor(private readonly o: BrokerLinkOptions) {
    this.registered = new Promise((r) => (this.registeredOnce = r));
  }

  start(): void {
    this.connect();
  }

  private url(): string {
    const u = new URL(EDGE_LINK_PATH, this.o.brokerUrl());
    u.protocol = u.protocol === 'https:' || u.protocol === 'wss:' ? 'wss:' : 'ws:';
    return u.toString();
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.url(), { maxPayload: 256 * 1024 });
    this.ws = ws;
    ws.on('open', () => {
      this.send({
        type: 'register',
        secret: this.o.secret,
        edgeId: this.o.edgeId,
        region: this.o.region,
        location: this.o.location,
        publicUrl: this.o.publicUrl(),
        tier: this.o.tier,
        capacity: this.o.capacity(),
        sessions: this.o.sessions(),
        phoneSessions: this.o.phoneSessions(),
        video: this.o.video,
      });
    });
    // A message we cannot handle drops the link; the reconnect below registers afresh.
    ws.on(
      'message',
      failClosed(
        this.o.logger,
        'broker-link',
        (data: RawData) => this.onMessage(String(data)),
        () => ws.terminate(),
      ),
    );
    ws.on('close', (code, reason) => {
      clearInterval(this.heartbeatTimer);
      if (this.isRegistered) this.o.logger.warn({ code, reason: reason.toString() }, 'broker link lost');
      this.isRegistered = false;
      this.scheduleReconnect();
    });
    ws.on('error', (err) => this.o.logger.debug({ err: err.message }, 'broker link error'));
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)] ?? 5000; // clamped: never past the last step
    this.attempt++;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private onMessage(raw: string): void {
    const parsed = parseBrokerToEdge(raw);
    if (!parsed.ok) {
      this.o.logger.warn({ err: parsed.error }, 'invalid message from broker');
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'registered':
        this.attempt = 0;
        this.isRegistered = true;
        this.o.ticketKey(msg.ticketKey);
        clearInterval(this.heartbeatTimer);
        this.heartbeatTimer = setInterval(() => this.heartbeat(), msg.heartbeatMs);
        this.o.logger.info({ broker: this.o.brokerUrl(), heartbeatMs: msg.heartbeatMs }, 'registered with broker');
        this.registeredOnce?.();
        return;
      case 'refused':
        // Wrong secret or a clash of edge ids: keep retrying slowly so a fixed
        // config heals without a restart, and say why loudly.
        this.o.logger.error({ code: msg.code, message: msg.message }, 'broker refused registration');
        this.attempt = RECONNECT_DELAYS_MS.length - 1;
        return;
      case 'prepare':
        this.o.prepare(msg).then(
          (r) => this.send({ type: 'prepared', requestId: msg.requestId, ...r }),
          (err: unknown) => this.send({ type: 'prepared', requestId: msg.requestId, ok: false, code: 'start-failed', message: (err as Error).message }),
        );
        return;
      case 'end-session':
        this.o.endSession(msg.sessionId, msg.reason);
        return;
      case 'delete-phone-data':
        this.o.deletePhoneData(msg.phone);
        return;
      case 'drain':
        this.o.drain(msg.draining);
        return;
    }
  }

  heartbeat(): void {
    this.send({
      type: 'heartbeat',
      capacity: this.o.capacity(),
      sessions: this.o.sessions(),
      streamedSeconds: this.o.streamedSeconds(),
      playersConnected: this.o.playersConnected(),
    });
  }

  sessionEnded(sessionId: string, reason: string, secondsStreamed: number): void {
    this.send({ type: 'session-ended', sessionId, reason, secondsStreamed });
  }

  private send(msg: EdgeToBroker): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.reconnectTimer);
    this.ws?.close();
  }
}

/**
 * A coturn (Debian's `turnserver`) run by this process: for `npm start` with
 * TURN=local, and for tests. It authenticates with the REST-API shared secret
 * (`use-auth-secret`), so it accepts exactly the credentials that
 * sessions/fleet/turnCredentials.ts derives, and nothing else. Supervised like
 * every other child (encoder/supervisedChild.ts); ready once it answers a STUN
 * binding request on its port. Production fleets run coturn on their own
 * hosts instead (docs/operations.md).
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { SupervisedChild, type ChildExit } from '../../encoder/supervisedChild.ts';

export type LocalTurnOptions = {
  /** Address coturn listens on and relays from ('0.0.0.0': every interface, relay address chosen by coturn). */
  listenIp: string;
  port: number;
  secret: string;
  /** Relay ports (UDP); defaults to coturn's 49152-65535. */
  relayPorts?: [number, number];
  /**
   * Peers on loopback may be relayed to: needed when the edge runs on the same
   * machine (npm start, tests). coturn refuses them by default, and a public
   * relay must, or it is a way into the host's loopback services.
   */
  allowLoopbackPeers: boolean;
  command?: string;
  logger: Logger;
};

export const TURN_REALM = 'edgeplay';
const READY_TIMEOUT_MS = 5_000;

/** coturn's command line for these options; every listener but UDP/TCP on `port` is off (no TLS without a certificate). */
export function turnserverArgs(o: Omit<LocalTurnOptions, 'logger' | 'command'>, dir: string): string[] {
  const args = [
    '-n', // no turnserver.conf: everything is on this line
    `--listening-port=${o.port}`,
    '--use-auth-secret',
    `--static-auth-secret=${o.secret}`,
    `--realm=${TURN_REALM}`,
    '--fingerprint',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--no-multicast-peers',
    '--log-file=stdout',
    '--simple-log',
    // Its own (empty) user database and pid file: not Debian's /var/lib/turn/turndb and /var/run, which need root.
    `--userdb=${path.join(dir, 'turndb')}`,
    `--pidfile=${path.join(dir, 'turnserver.pid')}`,
  ];
  if (o.listenIp !== '0.0.0.0') args.push(`--listening-ip=${o.listenIp}`, `--relay-ip=${o.listenIp}`);
  if (o.relayPorts) args.push(`--min-port=${o.relayPorts[0]}`, `--max-port=${o.relayPorts[1]}`);
  if (o.allowLoopbackPeers) args.push('--allow-loopback-peers');
  return args;
}

export class LocalTurnServer {
  private constructor(
    private readonly child: SupervisedChild,
    private readonly dir: string,
    readonly urls: string[],
  ) {}

  /** Starts coturn and resolves once it answers STUN on its port; rejects with its last output if it does not. */
  static async start(o: LocalTurnOptions): Promise<LocalTurnServer> {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgeplay-turn-'));
    const child = new SupervisedChild({
      name: 'turnserver',
      command: o.command ?? 'turnserver',
      args: turnserverArgs(o, dir),
      logger: o.logger,
      stdout: 'pipe',
      readiness: { timeoutMs: READY_TIMEOUT_MS },
    });
    // coturn logs to stdout only; its lines go to our log at debug level.
    child.process.stdout?.setEncoding('utf8');
    child.process.stdout?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) o.logger.debug({ child: 'turnserver' }, line.trim());
    });
    const host = o.listenIp === '0.0.0.0' ? '127.0.0.1' : o.listenIp;
    const probing = (async () => {
      await child.spawned;
      while (!child.exit && !child.isReady) {
        if (await answersStun(host, o.port, 200)) child.markReady();
      }
    })();
    try {
      await Promise.all([child.ready, probing]);
    } catch (err) {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    const where = `${host}:${o.port}`;
    return new LocalTurnServer(child, dir, [`turn:${where}?transport=udp`, `turn:${where}?transport=tcp`]);
  }

  /** Called once if coturn dies while it should be running. */
  onDied(cb: (death: ChildExit) => void): void {
    this.child.onDied(cb);
  }

  async stop(): Promise<void> {
    await this.child.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A fresh secret for a relay this process starts (the credentials never leave this run). */
export const newTurnSecret = (): string => randomBytes(24).toString('base64url');

/** Whether a STUN server answers a binding request on host:port within `ms`. */
export function answersStun(host: string, port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    // Binding request: type 0x0001, no attributes, the magic cookie, a random transaction id.
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), randomBytes(12)]);
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    socket.on('message', (msg) => done(msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(request.subarray(8, 20))));
    socket.on('error', () => done(false));
    socket.send(request, port, host);
  });
}

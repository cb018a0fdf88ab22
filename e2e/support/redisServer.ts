/**
 * A real Debian `redis-server` for integration tests and benchmarks: on a
 * free loopback port, with its own temp dir and no persistence, so tests
 * never share a server or leave files behind. Installed by scripts/setup.sh
 * (test). Never replaced by a mock: the Redis stores' atomicity is only
 * proven against the real thing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export type RedisServer = { url: string; port: number; stop: () => Promise<void> };

const REDIS_SERVER = process.env.REDIS_SERVER_PATH || 'redis-server';

/** A port the kernel just gave out on 127.0.0.1 (free unless another process takes it in between). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a redis-server and resolves once it answers PING; throws with its output if it does not within `timeoutMs`. */
export async function startRedisServer(o: { timeoutMs?: number } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'edgeplay-redis-'));
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  child.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));

  const url = `redis://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (o.timeoutMs ?? 10_000);
  for (;;) {
    if (spawnError) {
      await stop();
      throw new Error(`${REDIS_SERVER} did not start (${spawnError.message}); scripts/setup.sh test installs it`);
    }
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${REDIS_SERVER} exited with ${child.exitCode}:\n${out}`);
    }
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return { url, port, stop };
    } catch {
      // not listening yet
    } finally {
      probe.disconnect();
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${REDIS_SERVER} on port ${port} did not answer PING:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

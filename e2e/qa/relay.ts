/**
 * The user-space stand-in for `tc netem`, for kernels built without
 * sch_netem (netns.ts probes for it). It runs inside the relay namespace
 * between the browser's veth and the server's veth, and forwards
 *   - TCP (HTTP and WebSocket signalling) on --tcp ports, and
 *   - UDP (ICE, media, RTCP) on the --udp port range, one upstream socket
 *     per browser address so the server sees a consistent peer,
 * from --listen to the same port on --target, through one LinkShaper per
 * direction (shaper.ts). The server advertises the --listen address as its
 * ICE host candidate, so every media packet crosses the relay; the relay
 * namespace does not forward IP, so nothing can go around it.
 *
 *   node --import tsx e2e/qa/relay.ts --listen 10.250.3.2 --inner 10.250.3.5 \
 *     --target 10.250.3.6 --tcp 8080 --udp 40000-40031 --profile bad
 *
 * Prints "relay ready" once every socket is bound; on SIGTERM prints the
 * shaper counters as one JSON line and exits.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { getProfile } from './profiles.ts';
import { DelayQueue, LinkShaper } from './shaper.ts';

const { values } = parseArgs({
  options: {
    listen: { type: 'string' },
    inner: { type: 'string' },
    target: { type: 'string' },
    tcp: { type: 'string', default: '' },
    udp: { type: 'string', default: '' },
    profile: { type: 'string', default: 'lan' },
  },
});
const listen = values.listen;
const inner = values.inner;
const target = values.target;
if (!listen || !inner || !target) throw new Error('relay needs --listen, --inner and --target addresses');
const imp = getProfile(values.profile).impairment ?? { delayMs: 0, jitterMs: 0, lossPercent: 0, limitPackets: 1000 };

const up = new LinkShaper(imp); // browser -> server
const down = new LinkShaper(imp); // server -> browser
const upQueue = new DelayQueue(up);
const downQueue = new DelayQueue(down);
/** An upstream socket with no packet for this long is closed (the browser's candidate went away). */
const UDP_IDLE_MS = 60_000;
const MAX_UPSTREAMS_PER_PORT = 32;

function udpPorts(spec: string): number[] {
  if (!spec) return [];
  const m = /^(\d+)-(\d+)$/.exec(spec);
  if (!m) return [Number(spec)];
  const out: number[] = [];
  for (let p = Number(m[1]); p <= Number(m[2]); p++) out.push(p);
  return out;
}

function bindUdp(port: number): Promise<dgram.Socket> {
  const front = dgram.createSocket('udp4');
  type Upstream = { socket: dgram.Socket; lastUsed: number };
  const upstreams = new Map<string, Upstream>();
  front.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    let u = upstreams.get(key);
    if (!u) {
      if (upstreams.size >= MAX_UPSTREAMS_PER_PORT) return;
      const socket = dgram.createSocket('udp4');
      socket.bind({ address: inner, port: 0 });
      socket.on('message', (back) => {
        u!.lastUsed = Date.now();
        downQueue.push(back.length, () => front.send(back, rinfo.port, rinfo.address));
      });
      socket.on('error', () => undefined); // ICMP unreachable while the server restarts: keep relaying
      u = { socket, lastUsed: Date.now() };
      upstreams.set(key, u);
    }
    u.lastUsed = Date.now();
    const s = u.socket;
    upQueue.push(msg.length, () => s.send(msg, port, target));
  });
  front.on('error', () => undefined);
  setInterval(() => {
    for (const [key, u] of upstreams) {
      if (Date.now() - u.lastUsed > UDP_IDLE_MS) {
        u.socket.close();
        upstreams.delete(key);
      }
    }
  }, 10_000).unref();
  return new Promise((resolve, reject) => {
    front.once('error', reject);
    front.bind({ address: listen, port }, () => resolve(front));
  });
}

/** Forwards one direction of a TCP connection through a shaped queue, without loss. */
function shapedPipe(from: net.Socket, to: net.Socket, queue: DelayQueue): void {
  from.on('data', (chunk) => queue.push(chunk.length, () => to.writable && to.write(chunk), false));
  // The end travels behind the data it follows.
  from.on('end', () => queue.push(0, () => to.end(), false));
}

function bindTcp(port: number): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target, port, localAddress: inner });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    shapedPipe(client, upstream, upQueue);
    shapedPipe(upstream, client, downQueue);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: listen, port }, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const tcpPorts = values.tcp ? values.tcp.split(',').map(Number) : [];
  await Promise.all([...tcpPorts.map(bindTcp), ...udpPorts(values.udp).map(bindUdp)]);
  process.stdout.write('relay ready\n');
  const stop = () => {
    upQueue.close();
    downQueue.close();
    process.stdout.write(`${JSON.stringify({ uplink: up.counters, downlink: down.counters })}\n`);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error('relay failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});

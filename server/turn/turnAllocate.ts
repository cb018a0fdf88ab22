/**
 * One TURN Allocate over UDP (RFC 8656 with RFC 8489 long-term credentials),
 * just enough to ask a relay "would you relay for these credentials?": the
 * first request is answered 401 with the realm and a nonce, the second,
 * signed with MD5(username:realm:password), gets a relayed address or an
 * error code. Used by the relay check (checkRelay.ts) and the tests; players'
 * and edges' relaying is done by their WebRTC stacks.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

export type AllocateResult =
  | { ok: true; relayed: { address: string; port: number } }
  /** The relay's ERROR-CODE, e.g. 401 (bad or expired credentials), or 0 when it did not answer in time. */
  | { ok: false; code: number; reason: string };

const MAGIC = 0x2112a442;
const ALLOCATE_REQUEST = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const REFRESH_REQUEST = 0x0004;
const ATTR = {
  username: 0x0006,
  integrity: 0x0008,
  errorCode: 0x0009,
  lifetime: 0x000d,
  realm: 0x0014,
  nonce: 0x0015,
  relayed: 0x0016,
  transport: 0x0019,
} as const;
const UDP = Buffer.from([17, 0, 0, 0]);

type Stun = { type: number; tid: Buffer; attrs: Map<number, Buffer> };

function encode(type: number, tid: Buffer, attrs: Array<[number, Buffer]>, key?: Buffer): Buffer {
  const parts = attrs.flatMap(([t, v]) => {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(t, 0);
    head.writeUInt16BE(v.length, 2);
    return [head, v, Buffer.alloc((4 - (v.length % 4)) % 4)];
  });
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(body.length + (key ? 24 : 0), 2);
  header.writeUInt32BE(MAGIC, 4);
  tid.copy(header, 8);
  if (!key) return Buffer.concat([header, body]);
  // MESSAGE-INTEGRITY covers everything before it, with the length already counting it.
  const mac = createHmac('sha1', key)
    .update(Buffer.concat([header, body]))
    .digest();
  const miHead = Buffer.alloc(4);
  miHead.writeUInt16BE(ATTR.integrity, 0);
  miHead.writeUInt16BE(20, 2);
  return Buffer.concat([header, body, miHead, mac]);
}

function decode(b: Buffer): Stun | undefined {
  if (b.length < 20 || b.readUInt32BE(4) !== MAGIC) return undefined;
  const attrs = new Map<number, Buffer>();
  const end = Math.min(b.length, 20 + b.readUInt16BE(2));
  for (let i = 20; i + 4 <= end;) {
    const t = b.readUInt16BE(i);
    const len = b.readUInt16BE(i + 2);
    if (!attrs.has(t)) attrs.set(t, b.subarray(i + 4, i + 4 + len));
    i += 4 + len + ((4 - (len % 4)) % 4);
  }
  return { type: b.readUInt16BE(0), tid: b.subarray(8, 20), attrs };
}

function errorOf(m: Stun): { code: number; reason: string } {
  const e = m.attrs.get(ATTR.errorCode);
  if (!e || e.length < 4) return { code: -1, reason: `unexpected answer 0x${m.type.toString(16)}` };
  return { code: (e[2]! & 7) * 100 + e[3]!, reason: e.subarray(4).toString('utf8') };
}

function xorAddress(v: Buffer): { address: string; port: number } {
  const port = v.readUInt16BE(2) ^ (MAGIC >>> 16);
  const ip = [0, 1, 2, 3].map((i) => v[4 + i]! ^ ((MAGIC >>> (24 - 8 * i)) & 0xff));
  return { address: ip.join('.'), port };
}

/** Sends `msg` and waits for the answer with the same transaction id (one retransmission). */
function ask(socket: Socket, host: string, port: number, msg: Buffer, timeoutMs: number): Promise<Stun | undefined> {
  return new Promise((resolve) => {
    const tid = msg.subarray(8, 20);
    const onMessage = (raw: Buffer) => {
      const m = decode(raw);
      if (m?.tid.equals(tid)) finish(m);
    };
    const resend = setTimeout(() => socket.send(msg, port, host), timeoutMs / 2);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const finish = (m: Stun | undefined) => {
      clearTimeout(timer);
      clearTimeout(resend);
      socket.off('message', onMessage);
      resolve(m);
    };
    socket.on('message', onMessage);
    socket.send(msg, port, host);
  });
}

/** Allocates a UDP relay on host:port with these credentials, then releases it. */
export async function tryAllocate(host: string, port: number, username: string, password: string, timeoutMs = 2000): Promise<AllocateResult> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, r));
  try {
    const first = await ask(socket, host, port, encode(ALLOCATE_REQUEST, randomBytes(12), [[ATTR.transport, UDP]]), timeoutMs);
    if (!first) return { ok: false, code: 0, reason: 'no answer' };
    const realm = first.attrs.get(ATTR.realm);
    const nonce = first.attrs.get(ATTR.nonce);
    if (first.type === ALLOCATE_SUCCESS || !realm || !nonce) return { ok: false, code: -1, reason: 'the relay does not ask for credentials' };
    const key = createHash('md5')
      .update(`${username}:${realm.toString('utf8')}:${password}`)
      .digest();
    const signed = [
      [ATTR.transport, UDP],
      [ATTR.username, Buffer.from(username)],
      [ATTR.realm, realm],
      [ATTR.nonce, nonce],
    ] as Array<[number, Buffer]>;
    const answer = await ask(socket, host, port, encode(ALLOCATE_REQUEST, randomBytes(12), signed, key), timeoutMs);
    if (!answer) return { ok: false, code: 0, reason: 'no answer' };
    if (answer.type !== ALLOCATE_SUCCESS) return { ok: false, ...errorOf(answer) };
    const relayed = answer.attrs.get(ATTR.relayed);
    if (!relayed || relayed.length < 8) return { ok: false, code: -1, reason: 'no relayed address' };
    // Lifetime 0: the allocation is released at once instead of after its 10 minutes.
    const release = signed.filter(([t]) => t !== ATTR.transport).concat([[ATTR.lifetime, Buffer.alloc(4)]]);
    await ask(socket, host, port, encode(REFRESH_REQUEST, randomBytes(12), release, key), timeoutMs);
    return { ok: true, relayed: xorAddress(relayed) };
  } finally {
    socket.close();
  }
}

/**
 * The edge end to end without a browser: the real stack (broker + edge,
 * real ffmpeg) on port 0, and a second werift peer in this process playing
 * the browser's part over the real signalling WebSocket.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { RTCPeerConnection, RTCIceCandidate, useH264, useOPUS, type RTCRtpTransceiver, type RTCDataChannel } from 'werift';
import { loadConfig } from './config.ts';
import { createLogger } from './logging.ts';
import { createStack, type Stack } from './stack.ts';
import { resolveFfmpegPath, isKeyframePacket } from '../encoder/index.ts';
import { parseEdgeSignal, type EdgeToClient, type PlacedSession, type PlacementOffer } from '../protocol/index.ts';
import { must } from '../protocol/must.ts';

const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', MAX_SESSIONS: '10', VIDEO_WIDTH: '640', VIDEO_HEIGHT: '360', VIDEO_FPS: '30', ENCODER: 'libx264' });
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
let stack: Stack;
let base: string;

async function boot(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset until the first boot()
  if (stack) return;
  stack = await createStack(config, resolveFfmpegPath(process.env).path, logger);
  await new Promise<void>((r) => stack.server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(stack.server.address() as AddressInfo).port}`;
  await stack.start();
}
after(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when the set-up hook failed
  await stack?.close();
});

/** A werift peer acting as the browser: answers the edge's offer, counts frames and keyframes. */
class TestViewer {
  readonly pc = new RTCPeerConnection({ codecs: { video: [useH264()], audio: [useOPUS()] }, iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false });
  readonly ws: WebSocket;
  readonly messages: EdgeToClient[] = [];
  readonly channels = new Map<string, RTCDataChannel>();
  packets = 0;
  frames = 0;
  audioPackets: { payloadType: number; payloadBytes: number; timestamp: number; at: number }[] = [];
  keyframeTimes: number[] = [];
  transceiver?: RTCRtpTransceiver;
  ssrc?: number;
  closeCode?: number;

  constructor(signalUrl: string) {
    this.ws = new WebSocket(signalUrl);
    this.pc.onTransceiverAdded.subscribe((t) => {
      if (t.kind === 'video') this.transceiver = t;
    });
    this.pc.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe((rtp) => {
        if (track.kind === 'audio') {
          this.audioPackets.push({ payloadType: rtp.header.payloadType, payloadBytes: rtp.payload.length, timestamp: rtp.header.timestamp, at: Date.now() });
          return;
        }
        this.ssrc = rtp.header.ssrc;
        this.packets++;
        if (rtp.header.marker) this.frames++;
        if (isKeyframePacket(rtp.serialize(), 'H264')) this.keyframeTimes.push(Date.now());
      }),
    );
    this.pc.onDataChannel.subscribe((dc) => this.channels.set(dc.label, dc));
    this.pc.onIceCandidate.subscribe((c) => c && this.send({ type: 'ice', candidate: c.toJSON() }));
    this.ws.on('close', (code) => (this.closeCode = code));
    this.ws.on('message', async (raw) => {
      const parsed = parseEdgeSignal(String(raw));
      assert.ok(parsed.ok, `edge sent an invalid message: ${String(raw)}`);
      const msg = parsed.value;
      this.messages.push(msg);
      if (msg.type === 'offer') {
        await this.pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        this.send({ type: 'answer', sdp: must(this.pc.localDescription, 'this.pc.localDescription').sdp });
      } else if (msg.type === 'ice') {
        await this.pc.addIceCandidate(
          new RTCIceCandidate({
            candidate: msg.candidate.candidate,
            sdpMid: msg.candidate.sdpMid ?? undefined,
            sdpMLineIndex: msg.candidate.sdpMLineIndex ?? undefined,
          }),
        );
      }
    });
  }
  send(msg: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
    else this.ws.once('open', () => this.ws.send(JSON.stringify(msg)));
  }
  async requestKeyframe(): Promise<void> {
    await must(this.transceiver, 'this.transceiver').receiver.sendRtcpPLI(must(this.ssrc, 'this.ssrc'));
  }
  async close(): Promise<void> {
    this.ws.close();
    await this.pc.close();
  }
}

async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The page's placement flow: an offer, then the (here empty) RTT report. */
async function startSession(): Promise<PlacedSession> {
  const offer = await post('/api/play/demo', {});
  assert.equal(offer.status, 200);
  const { placementId, candidates } = (await offer.json()) as PlacementOffer;
  assert.deepEqual(
    candidates.map((c) => c.edgeId),
    ['local-edge'],
  );
  const placed = await post(`/api/placements/${placementId}`, { rtts: {} });
  assert.equal(placed.status, 201, await placed.clone().text());
  return (await placed.json()) as PlacedSession;
}

function ffmpegChildren(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), 'ffmpeg'])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

test('frames flow from ffmpeg through the edge to a WebRTC peer, starting on a keyframe', async () => {
  await boot();
  const s = await startSession();
  const viewer = new TestViewer(s.signalUrl);
  await until('the first frame', () => viewer.frames > 0, 10_000);
  assert.ok(viewer.keyframeTimes.length > 0, 'the first frame a viewer gets is a keyframe');
  await until('30 frames', () => viewer.frames >= 30, 5_000);
  assert.equal(viewer.messages[0]?.type, 'welcome');
  await viewer.close();
});

test('Opus audio packets reach the viewer in real time, one audio ffmpeg per session', async () => {
  await boot();
  const s = await startSession();
  const viewer = new TestViewer(s.signalUrl);
  try {
    await until('the first audio packet', () => viewer.audioPackets.length > 0, 10_000);
    const first = viewer.audioPackets.length;
    await new Promise((r) => setTimeout(r, 2_000));
    const got = viewer.audioPackets.slice(first);
    // 20 ms Opus frames: 50 packets a second (a loaded 2-core machine may lose a few to scheduling).
    assert.ok(got.length >= 80 && got.length <= 110, `${got.length} audio packets in 2 s`);
    // werift numbers the negotiated Opus PT itself (rewriting ffmpeg's 111); every packet carries it.
    const pt = Number(/a=rtpmap:(\d+) opus\/48000\/2/i.exec(viewer.pc.remoteDescription?.sdp ?? '')?.[1]);
    assert.ok(pt > 0, 'the offer has Opus 48000/2');
    assert.ok(got.every((p) => p.payloadType === pt && p.payloadBytes > 0));
    // RTP timestamps advance with real time at 48 kHz (sample-count stamping, no drift).
    const spanTs = (must(got.at(-1), 'got.at(-1)').timestamp - must(got[0], 'got[0]').timestamp) / 48_000;
    const spanWall = (must(got.at(-1), 'got.at(-1)').at - must(got[0], 'got[0]').at) / 1000;
    assert.ok(Math.abs(spanTs - spanWall) < 0.25, `timestamps span ${spanTs} s over ${spanWall} s`);
    const session = must(must(stack.edge, 'stack.edge').host.session(s.sessionId), 'stack.edge.host.session(s.sessionId)');
    assert.equal(session.audioEncoderPids().length, 1);
    assert.ok(ffmpegChildren().includes(must(session.audioEncoderPids()[0], 'session.audioEncoderPids()[0]')));
  } finally {
    await viewer.close();
  }
});

test('a keyframe request (PLI) is answered with a keyframe within 1 s', async () => {
  await boot();
  const s = await startSession();
  const viewer = new TestViewer(s.signalUrl);
  await until('frames', () => viewer.frames >= 10, 10_000);
  // Past the first keyframe and the debounce window, so the next one must be the answer.
  await new Promise((r) => setTimeout(r, 700));
  const keyframesBefore = viewer.keyframeTimes.length;
  const asked = Date.now();
  await viewer.requestKeyframe();
  await until('a keyframe after the PLI', () => viewer.keyframeTimes.some((t) => t >= asked), 1_000);
  assert.ok(viewer.keyframeTimes.length > keyframesBefore);
  const framesAtSwitch = viewer.frames;
  await until('frames after the switch', () => viewer.frames > framesAtSwitch + 10, 3_000);
  await viewer.close();
});

test('garbage on the input data channels is dropped and the stream goes on', async () => {
  await boot();
  const s = await startSession();
  const viewer = new TestViewer(s.signalUrl);
  await until('frames', () => viewer.frames >= 5, 10_000);
  await until('data channels', () => [...viewer.channels.values()].filter((c) => c.readyState === 'open').length === 2, 5_000);
  for (const dc of viewer.channels.values()) {
    for (let i = 0; i < 200; i++) dc.send(i % 3 === 0 ? 'not json' : i % 3 === 1 ? Buffer.alloc(4000, 1) : JSON.stringify({ t: 'key', ts: 'x' }));
  }
  const frames = viewer.frames;
  await until('frames after the flood', () => viewer.frames > frames + 15, 5_000);
  assert.equal(must(stack.edge, 'stack.edge').host.session(s.sessionId)?.phase, 'streaming');
  await viewer.close();
});

test('killing the encoder ends that session with a reason and leaves another session alone', async () => {
  await boot();
  const [a, b] = [await startSession(), await startSession()];
  const [va, vb] = [new TestViewer(a.signalUrl), new TestViewer(b.signalUrl)];
  await until('frames on both', () => va.frames >= 5 && vb.frames >= 5, 10_000);
  const pids = must(must(stack.edge, 'stack.edge').host.session(a.sessionId), 'stack.edge.host.session(a.sessionId)').encoderPids();
  assert.ok(pids.length > 0 && pids.every((p) => ffmpegChildren().includes(p)), 'the encoders are ffmpeg children of the edge');
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  await until('the ended message', () => va.messages.some((m) => m.type === 'ended'), 5_000);
  const ended = va.messages.find((m) => m.type === 'ended');
  assert.equal(ended?.type === 'ended' ? ended.reason : undefined, 'encoder-failed');
  await until('the session to go', () => must(stack.edge, 'stack.edge').host.session(a.sessionId) === undefined, 5_000);
  const framesB = vb.frames;
  await until('B still playing', () => vb.frames > framesB + 15, 5_000);
  assert.equal(must(stack.edge, 'stack.edge').host.session(b.sessionId)?.phase, 'streaming');
  await Promise.all([va.close(), vb.close()]);
});

test('the edge refuses a player without a valid ticket, and a ticket used twice', async () => {
  await boot();
  const s = await startSession();
  const noTicket = new URL(s.signalUrl);
  noTicket.searchParams.delete('ticket');
  const forged = new URL(s.signalUrl);
  forged.searchParams.set('ticket', s.ticket.slice(0, -4) + 'AAAA');
  for (const url of [noTicket, forged]) {
    const v = new TestViewer(url.toString());
    await until('a refusal', () => v.closeCode !== undefined, 5_000);
    assert.equal(v.closeCode, 4401);
    assert.equal(v.messages[0]?.type, 'error');
    await v.close();
  }
  const first = new TestViewer(s.signalUrl);
  await until('frames', () => first.frames >= 3, 10_000);
  const replay = new TestViewer(s.signalUrl);
  await until('the replay refused', () => replay.closeCode !== undefined, 5_000);
  const err = replay.messages.find((m) => m.type === 'error');
  assert.match(err?.type === 'error' ? err.message : '', /ticket-replayed/);
  await Promise.all([first.close(), replay.close()]);
});

test('closing the stack leaves no ffmpeg behind', async () => {
  await boot();
  await stack.close();
  await until('ffmpeg children to exit', () => ffmpegChildren().length === 0, 5_000);
});

test('ended viewers leave no UDP sockets open (werift bundles video and data on one transport)', async () => {
  // Runs last: every peer above has been closed and the stack is down.
  await new Promise((r) => setTimeout(r, 500));
  const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
  const udp = handles.filter((h): h is dgram.Socket => h instanceof dgram.Socket);
  assert.deepEqual(
    udp.map((s) => s.address()),
    [],
  );
});

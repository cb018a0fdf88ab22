import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isKeyframePacket, isRtcpPacket, parseRtpHeader } from './rtpPacket.ts';

type Shape = { marker?: boolean; csrcs?: number; extensionWords?: number; padding?: number };

/** Builds an RTP packet by hand: 12-byte header, CSRCs, extension, payload, padding. */
function rtp(payload: number[], s: Shape = {}): Buffer {
  const csrcs = s.csrcs ?? 0;
  const ext = s.extensionWords;
  const pad = s.padding ?? 0;
  const head = Buffer.alloc(12 + csrcs * 4 + (ext === undefined ? 0 : 4 + ext * 4));
  head[0] = 0x80 | (pad ? 0x20 : 0) | (ext === undefined ? 0 : 0x10) | csrcs;
  head[1] = (s.marker ? 0x80 : 0) | 96;
  head.writeUInt16BE(4242, 2);
  head.writeUInt32BE(90_000, 4);
  head.writeUInt32BE(0xdeadbeef, 8);
  if (ext !== undefined) {
    const at = 12 + csrcs * 4;
    head.writeUInt16BE(0xbede, at);
    head.writeUInt16BE(ext, at + 2);
    // Fill the extension with bytes that would look like an IDR if misparsed.
    head.fill(0x65, at + 4);
  }
  const padding = pad ? [...Array<number>(pad - 1).fill(0), pad] : [];
  return Buffer.concat([head, Buffer.from(payload), Buffer.from(padding)]);
}

test('parseRtpHeader reads fields and skips CSRCs, extension and padding', () => {
  const p = rtp([0x41, 1, 2, 3], { marker: true, csrcs: 2, extensionWords: 1, padding: 4 });
  const h = parseRtpHeader(p);
  assert.deepEqual(h, {
    payloadType: 96,
    marker: true,
    sequenceNumber: 4242,
    timestamp: 90_000,
    ssrc: 0xdeadbeef,
    payloadOffset: 12 + 8 + 8,
    payloadEnd: p.length - 4,
  });
  assert.equal(parseRtpHeader(Buffer.alloc(11)), undefined);
  assert.equal(parseRtpHeader(Buffer.from([0x40, 96, ...Array<number>(10).fill(0)])), undefined, 'version 1');
});

test('H.264 single NAL: IDR (5) and SPS (7) are keyframes, non-IDR slice (1) is not', () => {
  assert.equal(isKeyframePacket(rtp([0x65, 0x88]), 'H264'), true);
  assert.equal(isKeyframePacket(rtp([0x67, 0x42]), 'H264'), true);
  assert.equal(isKeyframePacket(rtp([0x41, 0x9a]), 'H264'), false);
  assert.equal(isKeyframePacket(rtp([0x68, 0xce]), 'H264'), false, 'PPS alone');
});

test('H.264 STAP-A with SPS+PPS is a keyframe; with only SEI+slice it is not', () => {
  const sps = [0x67, 0x42, 0xc0, 0x1f];
  const pps = [0x68, 0xce, 0x38, 0x80];
  assert.equal(isKeyframePacket(rtp([0x78, 0, sps.length, ...sps, 0, pps.length, ...pps]), 'H264'), true);
  const sei = [0x06, 0x05, 0x01];
  const slice = [0x41, 0x9a, 0x00];
  assert.equal(isKeyframePacket(rtp([0x78, 0, sei.length, ...sei, 0, slice.length, ...slice]), 'H264'), false);
  assert.equal(isKeyframePacket(rtp([0x78, 0, 40, 0x67]), 'H264'), false, 'truncated aggregate');
});

test('H.264 FU-A: only the start fragment of an IDR counts', () => {
  assert.equal(isKeyframePacket(rtp([0x7c, 0x85, 0x88, 0x84]), 'H264'), true, 'S=1 type 5');
  assert.equal(isKeyframePacket(rtp([0x7c, 0x05, 0x88]), 'H264'), false, 'middle fragment');
  assert.equal(isKeyframePacket(rtp([0x7c, 0x45, 0x88], { marker: true }), 'H264'), false, 'end fragment');
  assert.equal(isKeyframePacket(rtp([0x5c, 0x81, 0x9a]), 'H264'), false, 'start of a P slice');
});

test('H.264 detection is not fooled by the header extension', () => {
  assert.equal(isKeyframePacket(rtp([0x41, 0x9a], { csrcs: 1, extensionWords: 2 }), 'H264'), false);
  assert.equal(isKeyframePacket(rtp([0x65, 0x88], { csrcs: 1, extensionWords: 2, padding: 3 }), 'H264'), true);
});

test('VP8: start of partition 0 with P=0 is a keyframe', () => {
  // Descriptor 0x10 (S=1, PID=0), then the VP8 payload header.
  assert.equal(isKeyframePacket(rtp([0x10, 0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a]), 'VP8'), true);
  assert.equal(isKeyframePacket(rtp([0x10, 0x51, 0x2a]), 'VP8'), false, 'P=1 interframe');
  assert.equal(isKeyframePacket(rtp([0x00, 0x50, 0x2a]), 'VP8'), false, 'continuation (S=0)');
  assert.equal(isKeyframePacket(rtp([0x11, 0x50, 0x2a]), 'VP8'), false, 'partition 1');
});

test('VP8: extended descriptor with 15-bit PictureID, TL0PICIDX and KEYIDX', () => {
  // X=1, S=1; I L T K = 1 1 0 1; PictureID M=1 (2 bytes); TL0PICIDX; KEYIDX byte.
  const desc = [0x90, 0xd0, 0x80 | 0x12, 0x34, 0x07, 0x20];
  assert.equal(isKeyframePacket(rtp([...desc, 0x30, 0x01]), 'VP8'), true);
  assert.equal(isKeyframePacket(rtp([...desc, 0x31, 0x01]), 'VP8'), false);
  // 7-bit PictureID only (what ffmpeg's packetizer writes).
  assert.equal(isKeyframePacket(rtp([0x90, 0x80, 0x05, 0x50]), 'VP8'), true);
  assert.equal(isKeyframePacket(rtp([0x90, 0x80, 0x05]), 'VP8'), false, 'no payload');
});

test('isRtcpPacket recognises sender reports', () => {
  const sr = Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1]);
  assert.equal(isRtcpPacket(sr), true);
  assert.equal(isRtcpPacket(rtp([0x65])), false);
});

import type { VideoCodec } from './args.ts';

/** The few RTP header fields this module needs (RFC 3550 §5.1). */
export type RtpHeader = {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the payload, after CSRCs and the header extension. */
  payloadOffset: number;
  /** End of the payload, before any padding. */
  payloadEnd: number;
};

/** Parses an RTP header, or returns undefined for anything that is not a well-formed RTP v2 packet. */
export function parseRtpHeader(packet: Buffer): RtpHeader | undefined {
  if (packet.length < 12) return undefined;
  const b0 = packet.readUInt8(0);
  if (b0 >> 6 !== 2) return undefined;
  const b1 = packet.readUInt8(1);
  let offset = 12 + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    // Header extension: 16-bit profile, 16-bit length in 32-bit words.
    if (packet.length < offset + 4) return undefined;
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  }
  let end = packet.length;
  if (b0 & 0x20) end -= packet.readUInt8(packet.length - 1); // last byte counts the padding
  if (offset > end) return undefined;
  return {
    payloadType: b1 & 0x7f,
    marker: (b1 & 0x80) !== 0,
    sequenceNumber: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    payloadOffset: offset,
    payloadEnd: end,
  };
}

/** RTCP packet types 200-204 (SR, RR, SDES, BYE, APP) share the port space with RTP (RFC 5761 §4). */
export function isRtcpPacket(packet: Buffer): boolean {
  const pt = packet[1];
  return packet.length >= 8 && pt !== undefined && pt >= 200 && pt <= 204;
}

// H.264 NAL unit types (ITU-T H.264 table 7-1) and RTP aggregation types (RFC 6184 §5.2).
const NAL_IDR = 5;
const NAL_SPS = 7;
const NAL_STAP_A = 24;
const NAL_FU_A = 28;
const isH264KeyNal = (type: number): boolean => type === NAL_IDR || type === NAL_SPS;

function h264StartsKeyframe(p: Buffer, start: number, end: number): boolean {
  if (start >= end) return false;
  const type = p.readUInt8(start) & 0x1f;
  if (type === NAL_STAP_A) {
    // STAP-A: [16-bit size][NAL]... (RFC 6184 §5.7.1)
    for (let i = start + 1; i + 2 < end;) {
      const size = p.readUInt16BE(i);
      if (size === 0 || i + 2 + size > end) return false;
      if (isH264KeyNal(p.readUInt8(i + 2) & 0x1f)) return true;
      i += 2 + size;
    }
    return false;
  }
  if (type === NAL_FU_A) {
    // FU header: S E R Type; only the start fragment names the NAL (RFC 6184 §5.8).
    const fu = p[start + 1];
    return fu !== undefined && (fu & 0x80) !== 0 && isH264KeyNal(fu & 0x1f);
  }
  return isH264KeyNal(type);
}

function vp8StartsKeyframe(p: Buffer, start: number, end: number): boolean {
  // VP8 payload descriptor (RFC 7741 §4.2): X R N S R PID
  let i = start;
  if (i >= end) return false;
  const d0 = p.readUInt8(i++);
  const startOfPartition = (d0 & 0x10) !== 0;
  const partitionId = d0 & 0x07;
  if (d0 & 0x80) {
    if (i >= end) return false;
    const x = p.readUInt8(i++); // I L T K RSV
    if (x & 0x80) {
      if (i >= end) return false;
      i += p.readUInt8(i) & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    }
    if (x & 0x40) i += 1; // TL0PICIDX
    if (x & 0x30) i += 1; // TID/Y/KEYIDX
  }
  // The payload header exists only at the start of partition 0; its P bit is 0 on keyframes (RFC 7741 §4.3).
  return startOfPartition && partitionId === 0 && i < end && (p.readUInt8(i) & 0x01) === 0;
}

/**
 * Whether this RTP packet starts a keyframe: for H.264 an IDR or SPS (alone,
 * in a STAP-A, or in an FU-A start fragment), for VP8 the first packet of a
 * keyframe.
 */
export function isKeyframePacket(packet: Buffer, codec: VideoCodec): boolean {
  const h = parseRtpHeader(packet);
  if (!h) return false;
  return codec === 'H264' ? h264StartsKeyframe(packet, h.payloadOffset, h.payloadEnd) : vp8StartsKeyframe(packet, h.payloadOffset, h.payloadEnd);
}

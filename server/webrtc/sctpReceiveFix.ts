/**
 * A fix for werift 0.25.2's SCTP receiver, installed on its class at the
 * first data channel.
 *
 * werift keeps the TSNs received above its cumulative TSN in a Set and, for
 * every DATA chunk (`markReceived`), every SACK it sends (`sendSack`) and
 * every FORWARD-TSN (`receiveForwardTsnChunk`), copies that Set into an
 * array and sorts it with `sort()`: no comparator, so as strings. While the
 * set is small that is cheap. Once one packet of a fast sender is lost,
 * every chunk after it lands in the set until the gap is repaired (or, on
 * the unreliable channel, skipped by a FORWARD-TSN), and each chunk and
 * each SACK costs O(n log n). Measured with `npm run bench:flood` before
 * this fix: a page flooding its input channels held the edge's Node at
 * 94–100 % of a core, `markReceived` and then `sendSack` the hottest
 * functions, and another session on the edge fell from 30 to 4–6 fps. The
 * string sort is also wrong where TSNs change their number of digits (…999
 * sorts after …1000), which can stall the cumulative TSN, and gap offsets
 * were computed with `%` on values that can be negative across the 2^32 wrap.
 *
 * The replacement keeps the same Set (other werift code reads its size)
 * plus the same TSNs as sorted runs [first, last], so each chunk costs O(1)
 * amortised (it almost always extends the last run), a SACK O(runs) and a
 * FORWARD-TSN O(TSNs it skips).
 */
import type { RTCPeerConnection } from 'werift';

const TSN_MODULO = 2 ** 32;
const HALF = 2 ** 31;
/** Gap blocks per SACK: RFC 9260 lets a receiver report fewer; 64 blocks keep a SACK at 272 bytes. */
const MAX_GAP_BLOCKS = 64;
const MAX_DUPLICATES = 64;
const SACK_CHUNK_TYPE = 3;

/** RFC 1982 serial-number comparison, as werift's uint32Gt. */
export const tsnGt = (a: number, b: number): boolean => (a < b && b - a > HALF) || (a > b && a - b < HALF);
const tsnGte = (a: number, b: number): boolean => a === b || tsnGt(a, b);
const next = (tsn: number): number => (tsn + 1) % TSN_MODULO;
/** Distance from `from` up to `tsn`, across the wrap. */
const offset = (tsn: number, from: number): number => (tsn - from + TSN_MODULO) % TSN_MODULO;

type Message = [number, number, Buffer];
type InboundStream = { streamSequenceNumber: number; popMessages(): Iterable<Message>; pruneChunks(tsn: number): number };

/** The fields and methods of werift's SCTP class that the replaced methods use. */
export type SctpReceiveState = {
  lastReceivedTsn: number;
  sackMisOrdered: Set<number>;
  sackDuplicates: number[];
  /** Ours: the TSNs of sackMisOrdered as sorted, disjoint runs [first, last]. */
  gapRuns?: Array<[number, number]>;
};
export type SctpInstance = SctpReceiveState & {
  isStopped: boolean;
  sackNeeded: boolean;
  sackImmediate: boolean;
  sackPacketCount: number;
  advertisedRwnd: number;
  inboundStreams: Record<number, InboundStream>;
  getInboundStream(streamId: number): InboundStream;
  receive(streamId: number, ppId: number, data: Buffer): void;
  sendChunk(chunk: { bytes: Buffer }): Promise<void>;
};

function runsOf(s: SctpReceiveState): Array<[number, number]> {
  if (!s.gapRuns) {
    // First use on this association: build the runs from whatever the Set holds.
    s.gapRuns = [];
    const sorted = [...s.sackMisOrdered].sort((a, b) => offset(a, s.lastReceivedTsn) - offset(b, s.lastReceivedTsn));
    for (const t of sorted) addToRuns(s.gapRuns, t);
  }
  return s.gapRuns;
}

/** Inserts a TSN (not yet present) into sorted runs, merging neighbours. Usually O(1): it extends or follows the last run. */
function addToRuns(runs: Array<[number, number]>, tsn: number): void {
  let i = runs.length;
  // Find the first run that starts after tsn, scanning from the end (out-of-order arrivals are recent).
  for (let prev = runs[i - 1]; prev && tsnGt(prev[0], tsn); prev = runs[i - 1]) i--; // runs[-1] is undefined: stops at 0
  const before = i > 0 ? runs[i - 1] : undefined;
  const after = i < runs.length ? runs[i] : undefined;
  const joinsBefore = before !== undefined && next(before[1]) === tsn;
  const joinsAfter = after !== undefined && next(tsn) === after[0];
  if (joinsBefore && joinsAfter) {
    before[1] = after[1];
    runs.splice(i, 1);
  } else if (joinsBefore) before[1] = tsn;
  else if (joinsAfter) after[0] = tsn;
  else runs.splice(i, 0, [tsn, tsn]);
}

/** Moves the cumulative TSN over the first run while it is contiguous with it. */
function advance(s: SctpReceiveState): void {
  const runs = runsOf(s);
  for (let run = runs[0]; run && run[0] === next(s.lastReceivedTsn); run = runs[0]) {
    runs.shift();
    const [first, last] = run;
    for (let t = first; ; t = next(t)) {
      s.sackMisOrdered.delete(t);
      if (t === last) break;
    }
    s.lastReceivedTsn = last;
  }
}

/** Drops TSNs at or below the cumulative TSN (after a FORWARD-TSN moved it). */
function dropObsolete(s: SctpReceiveState): void {
  const runs = runsOf(s);
  const cum = s.lastReceivedTsn;
  for (let run = runs[0]; run && tsnGte(cum, run[0]); run = runs[0]) {
    const end = tsnGte(cum, run[1]) ? run[1] : cum;
    for (let t = run[0]; ; t = next(t)) {
      s.sackMisOrdered.delete(t);
      if (t === end) break;
    }
    if (end === run[1]) runs.shift();
    else run[0] = next(end);
  }
}

/** Records a received TSN; returns true when it is a duplicate (werift's contract). */
export function markReceived(this: SctpReceiveState, tsn: number): boolean {
  if (tsnGte(this.lastReceivedTsn, tsn) || this.sackMisOrdered.has(tsn)) {
    this.sackDuplicates.push(tsn);
    return true;
  }
  const runs = runsOf(this);
  this.sackMisOrdered.add(tsn);
  addToRuns(runs, tsn);
  advance(this);
  // As werift: duplicates at or below the cumulative TSN are no longer reported (the list is short).
  if (this.sackDuplicates.length > 0) {
    const cum = this.lastReceivedTsn;
    this.sackDuplicates = this.sackDuplicates.filter((x) => tsnGt(x, cum));
  }
  return false;
}

/** The gap ack blocks of a SACK: offsets from the cumulative TSN, at most MAX_GAP_BLOCKS, each within 16 bits. */
export function gapBlocks(s: SctpReceiveState): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [first, last] of runsOf(s)) {
    const start = offset(first, s.lastReceivedTsn);
    const end = offset(last, s.lastReceivedTsn);
    if (start > 0xffff || out.length === MAX_GAP_BLOCKS) break;
    out.push([start, Math.min(end, 0xffff)]);
  }
  return out;
}

/** A SACK chunk (RFC 9260 §3.3.4), serialised as werift's SackChunk.bytes would be. */
export function sackBytes(cumulativeTsn: number, advertisedRwnd: number, gaps: Array<[number, number]>, duplicates: number[]): Buffer {
  const length = 16 + 4 * (gaps.length + duplicates.length);
  const b = Buffer.alloc(length);
  b.writeUInt8(SACK_CHUNK_TYPE, 0);
  b.writeUInt8(0, 1);
  b.writeUInt16BE(length, 2);
  b.writeUInt32BE(cumulativeTsn, 4);
  b.writeUInt32BE(Math.max(0, advertisedRwnd), 8);
  b.writeUInt16BE(gaps.length, 12);
  b.writeUInt16BE(duplicates.length, 14);
  let pos = 16;
  for (const [start, end] of gaps) {
    b.writeUInt16BE(start, pos);
    b.writeUInt16BE(end, pos + 2);
    pos += 4;
  }
  for (const d of duplicates) {
    b.writeUInt32BE(d, pos);
    pos += 4;
  }
  return b;
}

export async function sendSack(this: SctpInstance): Promise<void> {
  if (this.isStopped || !this.sackNeeded) return;
  const bytes = sackBytes(this.lastReceivedTsn, this.advertisedRwnd, gapBlocks(this), this.sackDuplicates.slice(0, MAX_DUPLICATES));
  await this.sendChunk({ bytes }).catch(() => undefined);
  this.sackDuplicates = [];
  this.sackNeeded = false;
  this.sackPacketCount = 0;
  this.sackImmediate = false;
}

/** werift's receiveForwardTsnChunk with the set bookkeeping above; the stream handling is unchanged. */
export function receiveForwardTsnChunk(this: SctpInstance, chunk: { cumulativeTsn: number; streams: Array<[number, number]> }): void {
  this.sackNeeded = true;
  this.sackImmediate = true;
  if (tsnGte(this.lastReceivedTsn, chunk.cumulativeTsn)) return;
  this.lastReceivedTsn = chunk.cumulativeTsn;
  dropObsolete(this);
  advance(this);
  const cum = this.lastReceivedTsn;
  this.sackDuplicates = this.sackDuplicates.filter((x) => tsnGt(x, cum));
  for (const [streamId, streamSeqNum] of chunk.streams) {
    const inbound = this.getInboundStream(streamId);
    inbound.streamSequenceNumber = (streamSeqNum + 1) & 0xffff;
    for (const message of inbound.popMessages()) {
      this.advertisedRwnd += message[2].length;
      this.receive(...message);
    }
  }
  for (const inbound of Object.values(this.inboundStreams)) this.advertisedRwnd += inbound.pruneChunks(this.lastReceivedTsn);
}

let installed = false;

/** Replaces the three methods on werift's SCTP class; call after the peer's first createDataChannel. */
export function installSctpReceiveFix(pc: RTCPeerConnection): boolean {
  if (installed) return true;
  const sctp = (pc as unknown as { sctpTransport?: { sctp?: object } }).sctpTransport?.sctp;
  const proto = sctp ? (Object.getPrototypeOf(sctp) as Record<string, unknown>) : undefined;
  // Only where the methods are what we expect to replace: a werift upgrade that renames them keeps its own.
  const names = ['markReceived', 'sendSack', 'receiveForwardTsnChunk'] as const;
  if (!proto || names.some((n) => typeof proto[n] !== 'function')) return false;
  proto.markReceived = markReceived;
  proto.sendSack = sendSack;
  proto.receiveForwardTsnChunk = receiveForwardTsnChunk;
  installed = true;
  return true;
}

/**
 * A fix for werift 0.25.2's SCTP receiver, installed on its class at the
 * first data channel.
 *
 * For every DATA chunk, werift's `markReceived` copies its set of
 * out-of-order TSNs into an array, sorts it with `sort()` (no comparator,
 * so as strings), walks it, then filters and copies it twice more. While the
 * set is small that is cheap; once a fast sender loses one packet, every
 * chunk after it lands in the set until the gap is repaired, and each costs
 * O(n log n). Measured (npm run bench:flood, before this fix): a page
 * flooding its input channels held the edge's Node at 100 % of a core with
 * `markReceived` the hottest function, and another session on the edge fell
 * from 30 to 3 fps. The string sort is also wrong where TSNs change their
 * number of digits (…999 before …1000), which can stall the cumulative TSN.
 *
 * The replacement does the same bookkeeping in O(1) per chunk (amortised):
 * advance the cumulative TSN while its successor is in the set, deleting as
 * it goes, so the set only ever holds TSNs above it.
 */
import type { RTCPeerConnection } from 'werift';

const TSN_MODULO = 2 ** 32;
const HALF = 2 ** 31;

/** RFC 1982 serial-number comparison, as werift's uint32Gt. */
export const tsnGt = (a: number, b: number): boolean => (a < b && b - a > HALF) || (a > b && a - b < HALF);
const tsnGte = (a: number, b: number): boolean => a === b || tsnGt(a, b);

/** The fields of werift's SCTP class that `markReceived` reads and writes. */
export type SctpReceiveState = { lastReceivedTsn: number; sackMisOrdered: Set<number>; sackDuplicates: number[] };

/** Records a received TSN; returns true when it is a duplicate (werift's contract). */
export function markReceived(this: SctpReceiveState, tsn: number): boolean {
  if (tsnGte(this.lastReceivedTsn, tsn) || this.sackMisOrdered.has(tsn)) {
    this.sackDuplicates.push(tsn);
    return true;
  }
  this.sackMisOrdered.add(tsn);
  let next = (this.lastReceivedTsn + 1) % TSN_MODULO;
  while (this.sackMisOrdered.delete(next)) {
    this.lastReceivedTsn = next;
    next = (next + 1) % TSN_MODULO;
  }
  // As werift: duplicates at or below the cumulative TSN are no longer reported (the list is short).
  if (this.sackDuplicates.length > 0) {
    const cumulative = this.lastReceivedTsn;
    this.sackDuplicates = this.sackDuplicates.filter((x) => tsnGt(x, cumulative));
  }
  return false;
}

let installed = false;

/** Replaces werift's markReceived on its SCTP class; call after the peer's first createDataChannel. */
export function installSctpReceiveFix(pc: RTCPeerConnection): boolean {
  if (installed) return true;
  const sctp = (pc as unknown as { sctpTransport?: { sctp?: object } }).sctpTransport?.sctp;
  const proto = sctp ? (Object.getPrototypeOf(sctp) as { markReceived?: unknown }) : undefined;
  // Only where the method is what we expect to replace: a werift upgrade that renames it keeps its own.
  if (!proto || typeof proto.markReceived !== 'function') return false;
  proto.markReceived = markReceived;
  installed = true;
  return true;
}

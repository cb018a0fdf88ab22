import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RTCPeerConnection } from 'werift';
import {
  gapBlocks,
  installSctpReceiveFix,
  markReceived,
  receiveForwardTsnChunk,
  sackBytes,
  sendSack,
  type SctpInstance,
  type SctpReceiveState,
} from './sctpReceiveFix.ts';
import { must } from '../../protocol/must.ts';

const state = (lastReceivedTsn: number): SctpReceiveState => ({ lastReceivedTsn, sackMisOrdered: new Set(), sackDuplicates: [] });

test('in order, out of order and duplicate TSNs move the cumulative TSN as SCTP says (RFC 9260 §6.2)', () => {
  const s = state(100);
  assert.equal(markReceived.call(s, 101), false);
  assert.equal(s.lastReceivedTsn, 101);
  assert.equal(markReceived.call(s, 103), false, 'a gap: 102 is missing');
  assert.equal(markReceived.call(s, 104), false);
  assert.equal(s.lastReceivedTsn, 101);
  assert.deepEqual([...s.sackMisOrdered], [103, 104]);
  assert.equal(markReceived.call(s, 104), true, 'a duplicate above the gap');
  assert.equal(markReceived.call(s, 101), true, 'a duplicate below it');
  assert.equal(markReceived.call(s, 102), false, 'the gap is filled');
  assert.equal(s.lastReceivedTsn, 104);
  assert.equal(s.sackMisOrdered.size, 0);
  assert.deepEqual(s.sackDuplicates, [], 'duplicates at or below the cumulative TSN are dropped, as werift does');
});

test('where the TSN changes its number of digits and where it wraps at 2^32', () => {
  const s = state(998);
  for (const tsn of [1000, 999, 1001]) markReceived.call(s, tsn);
  assert.equal(s.lastReceivedTsn, 1001, 'werift sorted "1000" before "999" here and stalled');
  const w = state(2 ** 32 - 2);
  for (const tsn of [0, 2 ** 32 - 1, 1]) markReceived.call(w, tsn);
  assert.equal(w.lastReceivedTsn, 1);
  assert.equal(w.sackMisOrdered.size, 0);
});

test('10,000 chunks after one lost packet wait above the gap, and all count once it comes', () => {
  const s = state(0);
  for (let tsn = 2; tsn <= 10_001; tsn++) markReceived.call(s, tsn);
  assert.equal(s.lastReceivedTsn, 0);
  assert.equal(s.sackMisOrdered.size, 10_000);
  markReceived.call(s, 1);
  assert.equal(s.lastReceivedTsn, 10_001);
  assert.equal(s.sackMisOrdered.size, 0);
});

test("installs on werift's own SCTP class", async () => {
  const pc = new RTCPeerConnection({});
  pc.createDataChannel('x');
  assert.equal(installSctpReceiveFix(pc), true);
  const sctp = (pc as unknown as { sctpTransport: { sctp: { markReceived: unknown } } }).sctpTransport.sctp;
  assert.equal(sctp.markReceived, markReceived);
  assert.equal((sctp as unknown as { sendSack: unknown }).sendSack, sendSack);
  await pc.close();
});

test('gap blocks are offsets from the cumulative TSN, in order, across the 2^32 wrap', () => {
  const s = state(2 ** 32 - 3);
  for (const tsn of [2 ** 32 - 1, 0, 3, 5, 4]) markReceived.call(s, tsn);
  assert.deepEqual(gapBlocks(s), [
    [2, 3],
    [6, 8],
  ]);
  const bytes = sackBytes(s.lastReceivedTsn, 1000, gapBlocks(s), [7]);
  assert.equal(bytes.length, 16 + 4 * 3);
  assert.deepEqual(
    [bytes.readUInt8(0), bytes.readUInt16BE(2), bytes.readUInt32BE(4), bytes.readUInt32BE(8), bytes.readUInt16BE(12), bytes.readUInt16BE(14)],
    [3, 28, 2 ** 32 - 3, 1000, 2, 1],
  );
  assert.deepEqual([bytes.readUInt16BE(16), bytes.readUInt16BE(18), bytes.readUInt16BE(20), bytes.readUInt16BE(22), bytes.readUInt32BE(24)], [2, 3, 6, 8, 7]);
});

test('a SACK reports at most 64 gap blocks', () => {
  const s = state(0);
  for (let tsn = 2; tsn < 400; tsn += 2) markReceived.call(s, tsn);
  assert.equal(gapBlocks(s).length, 64);
  assert.deepEqual(gapBlocks(s)[0], [2, 2]);
});

function fakeSctp(lastReceivedTsn: number) {
  const delivered: number[] = [];
  const sent: Buffer[] = [];
  const stream = { streamSequenceNumber: 0, popMessages: () => [] as [number, number, Buffer][], pruneChunks: () => 0 };
  const sctp: SctpInstance = {
    ...state(lastReceivedTsn),
    isStopped: false,
    sackNeeded: false,
    sackImmediate: false,
    sackPacketCount: 0,
    advertisedRwnd: 1 << 20,
    inboundStreams: { 1: stream },
    getInboundStream: () => stream,
    receive: (streamId) => delivered.push(streamId),
    sendChunk: async (c) => void sent.push(c.bytes),
  };
  return { sctp, sent, stream };
}

test('a FORWARD-TSN skips what was abandoned and takes in what was already there above it', async () => {
  const { sctp, sent, stream } = fakeSctp(10);
  for (const tsn of [12, 13, 16, 17]) markReceived.call(sctp, tsn);
  receiveForwardTsnChunk.call(sctp, { cumulativeTsn: 14, streams: [[1, 41]] });
  assert.equal(sctp.lastReceivedTsn, 14, '11 and 14 abandoned by the sender; 12 and 13 below the new point');
  assert.deepEqual([...sctp.sackMisOrdered], [16, 17]);
  assert.equal(stream.streamSequenceNumber, 42);
  receiveForwardTsnChunk.call(sctp, { cumulativeTsn: 15, streams: [] });
  assert.equal(sctp.lastReceivedTsn, 17, 'skipping 15 joins the run 16..17');
  assert.equal(sctp.sackMisOrdered.size, 0);
  assert.equal(sctp.sackNeeded, true);
  await sendSack.call(sctp);
  assert.equal(sent.length, 1);
  assert.equal(must(sent[0], 'sent[0]').readUInt32BE(4), 17, 'the SACK carries the new cumulative TSN');
  assert.equal(sctp.sackNeeded, false);
});

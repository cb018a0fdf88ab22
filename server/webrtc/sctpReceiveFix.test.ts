import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RTCPeerConnection } from 'werift';
import { installSctpReceiveFix, markReceived, type SctpReceiveState } from './sctpReceiveFix.ts';

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
  await pc.close();
});

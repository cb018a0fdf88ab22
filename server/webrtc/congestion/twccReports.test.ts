import assert from 'node:assert/strict';
import { test } from 'node:test';
import { twccReports } from './twccReports.ts';

test('run-length and status-vector chunks both count; deltas are summed in µs from the reference time', () => {
  const reports = twccReports(
    {
      baseSequenceNumber: 65534,
      packetStatusCount: 6,
      referenceTime: 2, // 128 ms
      packetChunks: [{ runLength: 2, packetStatus: 1 }, { symbolList: [0, 1, 2, 1, 0, 0, 0] }],
      recvDeltas: [{ delta: 250 }, { delta: 1250 }, { delta: 500 }, { delta: -250 }, { delta: 750 }],
    },
    4096,
  );
  assert.deepEqual(
    reports.map((r) => [r.seq, r.received, r.received ? r.receivedAtMs : null]),
    [
      [65534, true, 128.25],
      [65535, true, 129.5],
      [0, false, null],
      [1, true, 130],
      [2, true, 129.75],
      [3, true, 130.5],
    ],
  );
});

test('a report shorter than its statuses, or longer than the cap, is cut, not trusted', () => {
  const fb = {
    baseSequenceNumber: 10,
    packetStatusCount: 8000,
    referenceTime: 0,
    packetChunks: [{ runLength: 8000, packetStatus: 1 }],
    recvDeltas: [{ delta: 250 }, { delta: 250 }],
  };
  assert.equal(twccReports(fb, 4096).length, 2);
  assert.equal(twccReports({ ...fb, packetChunks: [{ runLength: 8000, packetStatus: 0 }] }, 4096).length, 4096);
});

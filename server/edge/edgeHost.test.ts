/**
 * The edge's rules for phone instances, with fake sources and encoders: one
 * run per instance, a new run waits for the previous one to close its
 * profile, the broker hears of the end before that close, and a failed start
 * never wedges the instance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { EndReason, type PhonePrepare } from '../../protocol/index.ts';
import { EdgeHost } from './edgeHost.ts';
import type { FrameSource, VideoEncoder } from './ports.ts';
import { fakeEncoder } from './sessionFakes.ts';
import { must } from '../../protocol/must.ts';

const video = { width: 64, height: 64, fps: 10, codec: 'H264' as const, encoder: 'libx264' };
const phone: PhonePrepare = { subscriberId: 'alice', instanceId: 'inst-1', dataDir: 'phones/alice/inst-1' };
const sid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A source whose stop finishes only when the test says so (Chromium closing its profile). */
function slowSource(log: string[]) {
  let finish!: () => void;
  const closed = new Promise<void>((r) => (finish = r));
  const stopped = closed.then(() => void log.push('profile closed'));
  const source: FrameSource = {
    start: () => log.push('source started'),
    applyInput: () => {},
    stop: () => stopped,
  };
  return { source, finish };
}

const encoder = (): VideoEncoder => fakeEncoder();

function host(createSource: () => FrameSource, log: string[]) {
  return new EdgeHost({
    id: 'edge-t',
    maxSessions: 4,
    video,
    phoneVideo: video,
    idleViewerTimeoutMs: 60_000,
    joinTimeoutMs: 60_000,
    phoneLimits: { graceMs: 60_000, idleMs: 600_000 },
    inputBudget: { eventsPerSecond: 100, bytesPerSecond: 64_000, maxHeld: 20, abuseEndSeconds: 3 },
    iceAdditionalHostAddresses: [],
    createSource,
    createEncoder: encoder,
    onSessionEnded: (s) => log.push(`ended ${s.reason}`),
    logger: pino({ level: 'silent' }),
  });
}

test('a phone runs once per edge; reopened right after a stop, it starts only after the old run closed its profile', async () => {
  const log: string[] = [];
  const sources = [slowSource(log), slowSource(log)];
  let n = 0;
  const edge = host(() => must(sources[n++], 'sources[n++]').source, log);
  const first = await edge.prepareSession({ sessionId: sid(1), titleId: 'cloud-phone', playSeconds: 0, phone });
  await assert.rejects(edge.prepareSession({ sessionId: sid(2), titleId: 'cloud-phone', playSeconds: 0, phone }), /already runs here/);

  void first.end(EndReason.stopped);
  const second = edge.prepareSession({ sessionId: sid(3), titleId: 'cloud-phone', playSeconds: 0, phone });
  await assert.rejects(
    edge.prepareSession({ sessionId: sid(4), titleId: 'cloud-phone', playSeconds: 0, phone }),
    /already runs here/,
    'a third start while the second waits',
  );
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(log, ['source started', 'ended stopped'], 'the broker knows at once; the new run has not started');
  must(sources[0], 'sources[0]').finish();
  await second;
  assert.deepEqual(log, ['source started', 'ended stopped', 'profile closed', 'source started']);
  must(sources[1], 'sources[1]').finish();
  await edge.close();
});

test('a start that throws does not wedge the instance', async () => {
  const log: string[] = [];
  let fail = true;
  const edge = host(() => {
    if (fail) throw new Error('no chromium');
    return slowSource(log).source;
  }, log);
  await assert.rejects(edge.prepareSession({ sessionId: sid(5), titleId: 'cloud-phone', playSeconds: 0, phone }), /no chromium/);
  fail = false;
  await edge.prepareSession({ sessionId: sid(6), titleId: 'cloud-phone', playSeconds: 0, phone });
  assert.deepEqual(edge.sessionIds(), [sid(6)]);
  void edge.close();
});

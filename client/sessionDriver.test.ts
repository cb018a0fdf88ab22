import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiResult } from './brokerApi.ts';
import { createHook } from './hook.ts';
import type { Placed } from './placement.ts';
import { DefaultReconnectPolicy, isResumableEdgeError, isResumableEndReason, isRetryableApiFailure } from './reconnectPolicy.ts';
import { SessionDriver } from './sessionDriver.ts';
import type { DriverTimers, SessionDriverOptions, SessionEnd } from './sessionDriver.ts';
import type { EdgeConnectionEvents } from './signalling.ts';
import { must } from '../protocol/must.ts';

const START_TIMEOUT_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 8_000;

/** Timers on a clock the test moves; due timers run in order, each followed by the promises it started. */
class FakeClock implements DriverTimers {
  private t = 0;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number): number => {
    const id = this.nextId++;
    this.due.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (id: unknown): void => void this.due.delete(id as number);
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      await settle();
      const next = [...this.due.entries()].filter(([, d]) => d.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.due.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = until;
    await settle();
  }
}

const settle = () => new Promise<void>((r) => setImmediate(r));

const placed = (n: number): Placed => ({
  sessionId: 's1',
  titleId: 't',
  signalUrl: `ws://edge${n}.test/signal?ticket=${n}`,
  ticket: String(n),
  edgeId: `edge${n}`,
  resumeToken: 'r',
  playSecondsRemaining: 60,
});

type Conn = { url: string; events: EdgeConnectionEvents; rtc: RTCConfiguration; closed: boolean | undefined };

function harness(opts: { reopen?: Array<ApiResult<Placed>>; canRetry?: boolean } = {}) {
  const clock = new FakeClock();
  const hook = createHook();
  const conns: Conn[] = [];
  const overlays: string[] = [];
  const ends: SessionEnd[] = [];
  const reopenAnswers = [...(opts.reopen ?? [])];
  let reopened = 0;
  let resumed = 0;
  const o: SessionDriverOptions = {
    hook,
    screen: {
      showOverlay: (kind, title) => overlays.push(`${kind}: ${title}`),
      hideOverlay: () => overlays.push('hidden'),
      holdStill: () => undefined,
      releaseStill: () => undefined,
    },
    sender: { add: () => undefined, closeAll: () => undefined },
    policy: new DefaultReconnectPolicy(),
    retry: { canRetry: () => opts.canRetry ?? true, endReason: isResumableEndReason, edgeError: isResumableEdgeError, apiFailure: isRetryableApiFailure },
    reopen: async () => {
      reopened++;
      return reopenAnswers.shift() ?? { ok: true, value: placed(reopened + 1) };
    },
    startTimeoutMs: START_TIMEOUT_MS,
    attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
    reconnectingDetail: 'Moving your game.',
    noPictureMessage: 'No picture.',
    giveUp: (lastEnd) => (lastEnd ? { kind: 'ended', ...lastEnd } : undefined),
    showStream: () => undefined,
    resumed: () => resumed++,
    crashed: (err) => assert.fail(String(err)),
    finished: (end) => ends.push(end),
    timers: clock,
    connect: (url, events, rtc) => {
      const c: Conn = { url, events, rtc, closed: undefined };
      conns.push(c);
      return { pc: undefined, close: (bye) => void (c.closed ??= bye) };
    },
    pageHref: 'http://broker.test/play/x',
  };
  const driver = new SessionDriver(o);
  const last = () => must(conns[conns.length - 1], 'conns[conns.length - 1]');
  return {
    clock,
    hook,
    driver,
    conns,
    overlays,
    ends,
    last,
    reopened: () => reopened,
    resumed: () => resumed,
    async startAndPlay(): Promise<void> {
      await driver.start(async () => ({ ok: true, value: placed(1) }));
      last().events.connected();
      driver.firstFrame();
    },
  };
}

type Harness = ReturnType<typeof harness>;

const cases: Array<{
  name: string;
  setup?: Parameters<typeof harness>[0];
  run(h: Harness): Promise<void>;
  end: SessionEnd | undefined;
  state: string;
  connections: number;
  reopened: number;
  check?(h: Harness): void;
}> = [
  {
    name: 'first connect succeeds: placed, connected, playing',
    run: (h) => h.startAndPlay(),
    end: undefined,
    state: 'playing',
    connections: 1,
    reopened: 0,
    check: (h) => {
      assert.equal(must(h.conns[0], 'h.conns[0]').url, 'ws://edge1.test/signal?ticket=1');
      assert.equal(h.hook.edgeId, 'edge1');
      assert.equal(h.hook.sessionAtMs, 0);
      assert.deepEqual(h.overlays, ['connecting: Connecting…', 'hidden']);
      assert.equal(must(h.conns[0], 'h.conns[0]').closed, undefined);
      assert.deepEqual(must(h.conns[0], 'h.conns[0]').rtc, {}, 'no TURN in the placement: the browser defaults');
    },
  },
  {
    name: "the placement's TURN servers go into the peer connection's configuration",
    run: async (h) => {
      const iceServers = [{ urls: ['turn:relay.test:3478'], username: '100:s1', credential: 'c' }];
      await h.driver.start(async () => ({ ok: true, value: { ...placed(1), iceServers } }));
      assert.deepEqual(must(h.conns[0], 'h.conns[0]').rtc, { iceServers });
      h.last().events.connected();
      h.driver.firstFrame();
    },
    end: undefined,
    state: 'playing',
    connections: 1,
    reopened: 0,
  },
  {
    name: 'the edge drops: one reconnect episode brings the picture back on another edge',
    run: async (h) => {
      await h.startAndPlay();
      await h.clock.advance(1000);
      h.last().events.lost('stream-lost', 'gone');
      assert.equal(h.hook.state, 'reconnecting');
      assert.equal(h.hook.lastLossAtMs, 1000);
      await h.clock.advance(0); // the first retry is at once
      must(h.conns[0], 'h.conns[0]').events.ended('edge-lost', 'stale'); // the old connection is no longer listened to
      h.last().events.connected();
      h.driver.firstFrame();
    },
    end: undefined,
    state: 'playing',
    connections: 2,
    reopened: 1,
    check: (h) => {
      assert.equal(must(h.conns[1], 'h.conns[1]').url, 'ws://edge2.test/signal?ticket=2');
      assert.equal(h.hook.edgeId, 'edge2');
      assert.equal(h.hook.resumes, 1);
      assert.equal(h.resumed(), 1);
      assert.ok(h.overlays.includes('reconnecting: Reconnecting…'));
    },
  },
  {
    name: 'retries exhausted: gives up with stream-lost',
    setup: { reopen: Array.from({ length: 50 }, () => ({ ok: false as const, error: { code: 'network', message: '' } })) },
    run: async (h) => {
      await h.startAndPlay();
      h.last().events.lost('stream-lost', '');
      await h.clock.advance(25_000);
    },
    end: { kind: 'failed', code: 'stream-lost', message: '' },
    state: 'error',
    connections: 1,
    reopened: 12, // at 0, 0.3, 1.3, 3.3 s, then every 2 s while the next one starts within 20 s of the loss
    check: (h) => assert.equal(h.hook.errorCode, 'stream-lost'),
  },
  {
    name: 'retries exhausted after the edge said it shuts down: ends with its reason',
    setup: { reopen: Array.from({ length: 50 }, () => ({ ok: false as const, error: { code: 'no-capacity', message: '', status: 503 } })) },
    run: async (h) => {
      await h.startAndPlay();
      h.last().events.ended('edge-shutdown', 'The game server is shutting down.');
      await h.clock.advance(25_000);
    },
    end: { kind: 'ended', reason: 'edge-shutdown', message: 'The game server is shutting down.' },
    state: 'ended',
    connections: 1,
    reopened: 12,
    check: (h) => assert.equal(h.hook.endReason, 'edge-shutdown'),
  },
  {
    name: 'the broker refuses the move for good: fails with its refusal at once',
    setup: { reopen: [{ ok: false, error: { code: 'session-ended', message: 'over', status: 410 } }] },
    run: async (h) => {
      await h.startAndPlay();
      h.last().events.lost('stream-lost', '');
      await h.clock.advance(0);
    },
    end: { kind: 'failed', code: 'session-ended', message: 'over', refused: { code: 'session-ended', message: 'over', status: 410 } },
    state: 'error',
    connections: 1,
    reopened: 1,
  },
  {
    name: 'a non-retryable end reason finishes at once',
    run: async (h) => {
      await h.startAndPlay();
      h.last().events.ended('time-limit', 'Your play time is over.');
      await h.clock.advance(60_000);
    },
    end: { kind: 'ended', reason: 'time-limit', message: 'Your play time is over.' },
    state: 'ended',
    connections: 1,
    reopened: 0,
    check: (h) => assert.equal(must(h.conns[0], 'h.conns[0]').closed, true, 'closed with a bye'),
  },
  {
    name: 'a session that cannot move (a spectator) fails on the first loss',
    setup: { canRetry: false },
    run: async (h) => {
      await h.startAndPlay();
      h.last().events.ended('edge-lost', 'The game server was lost.');
    },
    end: { kind: 'ended', reason: 'edge-lost', message: 'The game server was lost.' },
    state: 'ended',
    connections: 1,
    reopened: 0,
  },
  {
    name: 'the attempt timer fires: a new edge without a picture counts as lost, and the next attempt starts',
    run: async (h) => {
      await h.startAndPlay();
      h.last().events.lost('stream-lost', '');
      await h.clock.advance(0);
      assert.equal(h.conns.length, 2);
      await h.clock.advance(ATTEMPT_TIMEOUT_MS - 1);
      assert.equal(h.conns.length, 2, 'not before its time');
      await h.clock.advance(1 + 300); // the attempt timer, then the second retry's delay
      h.last().events.connected();
      h.driver.firstFrame();
    },
    end: undefined,
    state: 'playing',
    connections: 3,
    reopened: 2,
    check: (h) => {
      assert.equal(must(h.conns[1], 'h.conns[1]').closed, false, 'given up on without a bye');
      assert.equal(h.hook.edgeId, 'edge3');
      assert.equal(h.hook.resumes, 1);
    },
  },
  {
    name: 'no first picture in time: fails with timeout',
    run: async (h) => {
      await h.driver.start(async () => ({ ok: true, value: placed(1) }));
      h.last().events.connected();
      await h.clock.advance(START_TIMEOUT_MS);
    },
    end: { kind: 'failed', code: 'timeout', message: '' },
    state: 'error',
    connections: 1,
    reopened: 0,
  },
];

for (const c of cases) {
  test(`session driver: ${c.name}`, async () => {
    const h = harness(c.setup);
    await c.run(h);
    assert.deepEqual(h.ends, c.end ? [c.end] : []);
    assert.equal(h.hook.state, c.state);
    assert.equal(h.conns.length, c.connections);
    assert.equal(h.reopened(), c.reopened);
    assert.equal(h.driver.finished, c.end !== undefined);
    c.check?.(h);
  });
}

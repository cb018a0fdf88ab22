import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, sid } from './fixtures.ts';
import {
  RESUME_GRACE_MS,
  adoptedSession,
  edgeBack,
  edgeLost,
  endedByEdge,
  graceOver,
  newDemoSession,
  newPhoneSession,
  placedOn,
  playSecondsLeft,
  rejoined,
  reported,
  type FleetSession,
  type Step,
} from './sessionMachine.ts';

const LINK = { id: 'launch', publisherId: 'pub', titleId: 'paddle-demo', playSeconds: 900 };
const PHONE = { subscriberId: 'alice', instanceId: 'i-1', dataDir: 'phones/alice/i-1' };

const must = <S extends FleetSession>(step: Step<S>): S => {
  assert.ok(step.ok, step.ok ? '' : step.error);
  return step.session;
};

/** One event of a session's life, applied at the fake clock's time. */
type Event =
  | { at: number; placedOn: string }
  | { at: number; beat: string; streamed: number; connected?: boolean }
  | { at: number; lost: true }
  | { at: number; back: string }
  | { at: number; rejoined: string }
  | { at: number; endedBy: string; reason: string; streamed: number }
  | { at: number; tick: true };

function run(start: FleetSession, events: Event[], clock = new FakeClock()): FleetSession {
  const t0 = clock.ms;
  let s = start;
  for (const e of events) {
    clock.ms = t0 + e.at;
    if ('placedOn' in e) s = must(placedOn(s, e.placedOn));
    else if ('beat' in e) s = reported(s, e.beat, { playerConnected: e.connected ?? true, streamedSeconds: e.streamed });
    else if ('lost' in e) s = must(edgeLost(s, clock.now()));
    else if ('back' in e) s = edgeBack(s, e.back);
    else if ('rejoined' in e) s = must(rejoined(s, e.rejoined));
    else if ('endedBy' in e) s = must(endedByEdge(s, e.endedBy, e.reason, e.streamed));
    else s = graceOver(s, clock.now());
  }
  return s;
}

const demo = () => newDemoSession(sid(1), LINK);

const lives: Array<{
  name: string;
  start: () => FleetSession;
  events: Event[];
  status: FleetSession['status'];
  edgeId?: string;
  left: number;
  reason?: string;
}> = [
  { name: 'a new demo has its whole time', start: demo, events: [], status: 'placing', left: 900 },
  {
    name: 'a running demo counts down with its heartbeats',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 30_000, beat: 'a', streamed: 30 },
    ],
    status: 'running',
    edgeId: 'a',
    left: 870,
  },
  {
    name: 'a resumed demo keeps its time: the lost edge’s seconds are banked, the new edge counts from zero',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 95_000, beat: 'a', streamed: 95 },
      { at: 96_000, lost: true },
      { at: 99_000, placedOn: 'b' },
      { at: 104_000, beat: 'b', streamed: 5 },
    ],
    status: 'running',
    edgeId: 'b',
    left: 800,
  },
  {
    name: 'resumed twice, the time of both lost edges is kept',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 1, beat: 'a', streamed: 100 },
      { at: 2, lost: true },
      { at: 3, placedOn: 'b' },
      { at: 4, beat: 'b', streamed: 50 },
      { at: 5, lost: true },
      { at: 6, placedOn: 'c' },
    ],
    status: 'running',
    edgeId: 'c',
    left: 750,
  },
  {
    name: 'an edge whose link dropped and came back keeps counting its run (no double count)',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 1, beat: 'a', streamed: 100 },
      { at: 2, lost: true },
      { at: 3, back: 'a' },
      { at: 4, beat: 'a', streamed: 110 },
    ],
    status: 'running',
    edgeId: 'a',
    left: 790,
  },
  {
    name: 'a page resumed before the broker noticed the loss: the old run is banked all the same',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 1, beat: 'a', streamed: 60 },
      { at: 2, placedOn: 'b' },
    ],
    status: 'running',
    edgeId: 'b',
    left: 840,
  },
  {
    name: 'the page rejoining the edge that still runs it is the same run',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 1, beat: 'a', streamed: 60 },
      { at: 2, rejoined: 'a' },
    ],
    status: 'running',
    edgeId: 'a',
    left: 840,
  },
  {
    name: 'a demo ends on time: the edge reports it, and no time is left',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 400_000, beat: 'a', streamed: 400 },
      { at: 401_000, lost: true },
      { at: 402_000, placedOn: 'b' },
      { at: 902_000, endedBy: 'b', reason: 'time-limit', streamed: 500 },
    ],
    status: 'ended',
    edgeId: 'b',
    left: 0,
    reason: 'time-limit',
  },
  {
    name: 'an edge reporting more than the time never makes it negative',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 1, beat: 'a', streamed: 5_000 },
    ],
    status: 'running',
    edgeId: 'a',
    left: 0,
  },
  {
    name: 'heartbeats and the end from an edge the session left are not listened to',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 1, beat: 'a', streamed: 10 },
      { at: 2, lost: true },
      { at: 3, placedOn: 'b' },
      { at: 4, beat: 'a', streamed: 500 },
      { at: 5, endedBy: 'a', reason: 'edge-lost', streamed: 500 },
    ],
    status: 'running',
    edgeId: 'b',
    left: 890,
  },
  {
    name: 'the lost edge confirming the drop while the page resumes is not the end',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 1, lost: true },
      { at: 2, endedBy: 'a', reason: 'edge-lost', streamed: 1 },
    ],
    status: 'interrupted',
    edgeId: 'a',
    left: 900,
  },
  {
    name: 'an interrupted session waits out its grace',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 1_000, lost: true },
      { at: 1_000 + RESUME_GRACE_MS, tick: true },
    ],
    status: 'interrupted',
    edgeId: 'a',
    left: 900,
  },
  {
    name: 'then ends as edge-lost',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 1_000, lost: true },
      { at: 1_001 + RESUME_GRACE_MS, tick: true },
    ],
    status: 'ended',
    edgeId: 'a',
    left: 900,
    reason: 'edge-lost',
  },
  {
    name: 'a running session has no grace to run out',
    start: demo,
    events: [
      { at: 0, placedOn: 'a' },
      { at: 10 * RESUME_GRACE_MS, tick: true },
    ],
    status: 'running',
    edgeId: 'a',
    left: 900,
  },
  {
    name: 'a phone has no time limit: hours streamed, resumed elsewhere, still running',
    start: () => newPhoneSession(sid(2), PHONE),
    events: [
      { at: 0, placedOn: 'a' },
      { at: 36_000_000, beat: 'a', streamed: 36_000 },
      { at: 36_000_001, lost: true },
      { at: 36_000_002, placedOn: 'b' },
      { at: 72_000_000, tick: true },
    ],
    status: 'running',
    edgeId: 'b',
    left: 0,
  },
  {
    name: 'adopted after a broker restart: a game runs on its edge with no known link or time',
    start: () => adoptedSession(sid(3), 'a', undefined),
    events: [{ at: 0, beat: 'a', streamed: 42 }],
    status: 'running',
    edgeId: 'a',
    left: 0,
  },
  {
    name: 'adopted after a broker restart: a phone runs for its subscriber and ends when its edge says',
    start: () => adoptedSession(sid(4), 'a', PHONE),
    events: [{ at: 0, endedBy: 'a', reason: 'stopped', streamed: 12 }],
    status: 'ended',
    edgeId: 'a',
    left: 0,
    reason: 'stopped',
  },
];

for (const c of lives) {
  test(`session machine: ${c.name}`, () => {
    const s = run(c.start(), c.events);
    assert.equal(s.status, c.status);
    assert.equal(s.edgeId, c.edgeId);
    assert.equal(playSecondsLeft(s), c.left);
    assert.equal(s.endReason, c.reason);
  });
}

test('session machine: interrupted at the time it happened, and running again clears it', () => {
  const clock = new FakeClock();
  const s = run(
    demo(),
    [
      { at: 0, placedOn: 'a' },
      { at: 5_000, lost: true },
    ],
    clock,
  );
  assert.equal(s.interruptedAtMs, clock.ms);
  assert.equal(must(edgeLost(s, clock.ms + 9_000)).interruptedAtMs, clock.ms, 'lost again: the grace still counts from the first loss');
  assert.equal(edgeBack(s, 'a').interruptedAtMs, undefined);
  assert.equal(must(placedOn(s, 'b')).interruptedAtMs, undefined);
  assert.equal(edgeBack(s, 'b'), s, 'another edge coming back does not revive it');
});

test('session machine: a heartbeat says whether the player is connected; a new run starts without one', () => {
  let s = must(placedOn(demo(), 'a'));
  s = reported(s, 'a', { playerConnected: true });
  assert.equal(s.playerConnected, true);
  assert.equal(playSecondsLeft(s), 900, 'no seconds in the heartbeat: the count stays');
  assert.equal(must(placedOn(s, 'b')).playerConnected, false);
});

test('session machine: illegal transitions are refused and leave the record as it was', () => {
  const ended = run(demo(), [
    { at: 0, placedOn: 'a' },
    { at: 1, endedBy: 'a', reason: 'user-left', streamed: 1 },
  ]);
  const placing = newPhoneSession(sid(5), PHONE);
  const running = must(placedOn(demo(), 'a'));
  const cases: Array<[string, Step]> = [
    ['an ended session cannot be placed again', placedOn(ended, 'b')],
    ['an ended session cannot be interrupted', edgeLost(ended, 0)],
    ['an ended session cannot end twice', endedByEdge(ended, 'a', 'time-limit', 2)],
    ['an ended session cannot be rejoined', rejoined(ended, 'a')],
    ['a session that never ran cannot be rejoined', rejoined(placing, 'a')],
    ['a session cannot be rejoined on an edge it does not run on', rejoined(running, 'b')],
  ];
  for (const [what, step] of cases) {
    assert.equal(step.ok, false, what);
    assert.match(step.error, /cannot take/, what);
  }
  assert.equal(ended.endReason, 'user-left', 'the first end stands');
  assert.equal(graceOver(ended, Number.MAX_SAFE_INTEGER), ended);
  assert.equal(edgeBack(ended, 'a'), ended);
});

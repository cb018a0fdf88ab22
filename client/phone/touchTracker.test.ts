import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TouchEvent as WireTouch } from '../../protocol/input.ts';
import { parseInputMessage } from '../../protocol/input.ts';
import { computeLayout, hiddenTopRows, mapPoint } from './layout.ts';
import { TouchTracker, wireTouchId } from './touchTracker.ts';

/** A 100x200 picture at (10, 20), no hidden rows: client (10 + 100x, 20 + 200y) → (x, y). */
const simpleMap = (cx: number, cy: number) => {
  const inside = cx >= 10 && cx <= 110 && cy >= 20 && cy <= 220;
  return { x: Math.min(1, Math.max(0, (cx - 10) / 100)), y: Math.min(1, Math.max(0, (cy - 20) / 200)), inside };
};
const at = (id: number, x: number, y: number) => ({ id, clientX: 10 + x * 100, clientY: 20 + y * 200 });

function tracker() {
  const out: WireTouch[] = [];
  const t = new TouchTracker(simpleMap, (ev) => out.push(ev));
  const brief = () => out.map((e) => `${e.phase}:${e.id}@${e.x.toFixed(2)},${e.y.toFixed(2)}`);
  return { t, out, brief };
}

test("one tap: start and end with the finger's position, as valid wire events", () => {
  const { t, out, brief } = tracker();
  t.start([at(3, 0.5, 0.25)], 1_700_000_000_000);
  t.end([at(3, 0.5, 0.25)], 'end', 1_700_000_000_050);
  assert.deepEqual(brief(), ['start:3@0.50,0.25', 'end:3@0.50,0.25']);
  assert.deepEqual(out[0], { t: 'touch', ts: 1_700_000_000_000, phase: 'start', id: 3, x: 0.5, y: 0.25 });
  for (const ev of out) assert.ok(parseInputMessage(JSON.stringify(ev)).ok, 'the edge accepts it');
});

test('moves are coalesced per finger until the frame flush; start and end are never dropped', () => {
  const { t, brief } = tracker();
  t.start([at(1, 0.1, 0.1)], 1);
  assert.equal(t.move([at(1, 0.2, 0.2)], 2), true);
  t.move([at(1, 0.3, 0.3)], 3);
  t.move([at(1, 0.4, 0.4)], 4);
  assert.deepEqual(brief(), ['start:1@0.10,0.10'], 'nothing sent before the flush');
  t.flushMoves();
  t.flushMoves();
  assert.deepEqual(brief(), ['start:1@0.10,0.10', 'move:1@0.40,0.40'], 'only the newest position, once');
  t.move([at(1, 0.5, 0.5)], 5);
  t.end([at(1, 0.6, 0.6)], 'end', 6);
  assert.deepEqual(brief().slice(2), ['move:1@0.50,0.50', 'end:1@0.60,0.60'], 'the pending move goes out before the end');
  assert.equal(t.hasPendingMoves, false);
});

test("multi-touch: each finger keeps its id, moves coalesce per id, a second finger's start flushes pending moves first", () => {
  const { t, brief } = tracker();
  t.start([at(0, 0.1, 0.1)], 1);
  t.move([at(0, 0.2, 0.2)], 2);
  t.start([at(1, 0.9, 0.9)], 3);
  t.move([at(0, 0.3, 0.3), at(1, 0.8, 0.8)], 4);
  t.move([at(1, 0.7, 0.7)], 5);
  t.flushMoves();
  t.end([at(1, 0.7, 0.7)], 'end', 6);
  t.end([at(0, 0.3, 0.3)], 'cancel', 7);
  assert.deepEqual(brief(), [
    'start:0@0.10,0.10',
    'move:0@0.20,0.20',
    'start:1@0.90,0.90',
    'move:0@0.30,0.30',
    'move:1@0.70,0.70',
    'end:1@0.70,0.70',
    'cancel:0@0.30,0.30',
  ]);
  assert.equal(t.activeCount, 0);
});

test('touches starting on the black bars are ignored for their whole life; one sliding off the picture is clamped', () => {
  const { t, brief } = tracker();
  t.start([{ id: 5, clientX: 2, clientY: 100 }], 1);
  t.move([{ id: 5, clientX: 50, clientY: 100 }], 2);
  t.end([{ id: 5, clientX: 50, clientY: 100 }], 'end', 3);
  assert.deepEqual(brief(), [], 'off-picture touch ignored');
  t.start([at(6, 0.9, 0.5)], 4);
  t.move([{ id: 6, clientX: 500, clientY: 120 }], 5);
  t.end([{ id: 6, clientX: 600, clientY: 120 }], 'end', 6);
  t.flushMoves();
  assert.deepEqual(brief(), ['start:6@0.90,0.50', 'move:6@1.00,0.50', 'end:6@1.00,0.50']);
});

test('unchanged positions are not resent; unknown fingers are ignored', () => {
  const { t, brief } = tracker();
  t.start([at(2, 0.5, 0.5)], 1);
  assert.equal(t.move([at(2, 0.5, 0.5)], 2), false);
  t.move([at(9, 0.1, 0.1)], 3);
  t.end([at(9, 0.1, 0.1)], 'end', 4);
  t.flushMoves();
  assert.deepEqual(brief(), ['start:2@0.50,0.50']);
});

test('cancelAll lifts every finger; a repeated start closes the stale touch first', () => {
  const { t, brief } = tracker();
  t.start([at(1, 0.1, 0.1), at(2, 0.2, 0.2)], 1);
  t.start([at(1, 0.3, 0.3)], 2);
  t.move([at(2, 0.25, 0.25)], 3);
  t.cancelAll(4);
  assert.deepEqual(brief(), [
    'start:1@0.10,0.10',
    'start:2@0.20,0.20',
    'cancel:1@0.10,0.10',
    'start:1@0.30,0.30',
    'move:2@0.25,0.25',
    'cancel:2@0.25,0.25',
    'cancel:1@0.30,0.30',
  ]);
  assert.equal(t.activeCount, 0);
});

test("DOM touch identifiers wrap into the protocol's id range", () => {
  assert.equal(wireTouchId(0), 0);
  assert.equal(wireTouchId(1023), 1023);
  assert.equal(wireTouchId(1024), 0);
  assert.equal(wireTouchId(-1), 1023);
});

test("with the real layout: a tap in the middle of a landscape handset's picture is the frame's middle", () => {
  const layout = computeLayout({ viewport: { width: 640, height: 360 }, video: { width: 720, height: 1280 }, hiddenRows: hiddenTopRows(720) });
  const out: WireTouch[] = [];
  const t = new TouchTracker(
    (x, y) => mapPoint(layout, x, y),
    (ev) => out.push(ev),
  );
  const p = layout.picture;
  const rowsShown = 1280 - layout.hiddenRows;
  t.start([{ id: 0, clientX: p.left + p.width / 2, clientY: p.top + (640 - layout.hiddenRows) * (p.height / rowsShown) }], 1);
  t.start([{ id: 1, clientX: p.left - 5, clientY: p.top + 5 }], 2);
  assert.equal(out.length, 1, 'the pillarbox bar is not the phone');
  assert.ok(Math.abs((out[0]?.x ?? 0) - 0.5) < 1e-9 && Math.abs((out[0]?.y ?? 0) - 0.5) < 1e-9);
});

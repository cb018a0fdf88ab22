import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputGate, type InputBudget, type LimitKind } from './inputGate.ts';

const TS = 1_700_000_000_000;
const key = (code = 'ArrowLeft', down = true) => JSON.stringify({ t: 'key', ts: TS, down, code });
const budget = (over: Partial<InputBudget> = {}): InputBudget => ({ eventsPerSecond: 100, bytesPerSecond: 64_000, maxHeld: 20, abuseEndSeconds: 3, ...over });

test('valid events pass and malformed ones are dropped and counted', () => {
  const now = 0;
  const gate = new InputGate(budget(), () => now);
  assert.deepEqual(gate.admit(key()), { t: 'key', ts: TS, down: true, code: 'ArrowLeft' });
  assert.equal(gate.admit('{"t":"key"'), undefined);
  assert.equal(gate.admit(JSON.stringify({ t: 'move', ts: TS, x: 5, y: 0, dx: 0, dy: 0 })), undefined);
  assert.equal(gate.admit('x'.repeat(5000)), undefined);
  assert.deepEqual(
    { ...gate.counters, lastError: undefined },
    { accepted: 1, invalid: 3, rateLimited: 0, bytesLimited: 0, heldLimited: 0, lastError: undefined },
  );
  assert.match(gate.counters.lastError ?? '', /too large/);
});

test('a flood is cut to the configured rate and recovers afterwards', () => {
  let now = 0;
  const gate = new InputGate(budget(), () => now);
  let accepted = 0;
  for (let i = 0; i < 1000; i++) if (gate.admit(key('KeyA', i % 2 === 0))) accepted++;
  assert.equal(accepted, 25, 'the burst allowance (a quarter second) passes, the rest is dropped');
  assert.equal(gate.counters.rateLimited, 975);
  now += 1000; // one second later the bucket has refilled to its burst size
  accepted = 0;
  for (let i = 0; i < 100; i++) if (gate.admit(key('KeyA', i % 2 === 0))) accepted++;
  assert.equal(accepted, 25);
});

test('a steady stream at the allowed rate is never dropped', () => {
  let now = 0;
  const gate = new InputGate(budget(), () => now);
  for (let i = 0; i < 500; i++) {
    now += 10;
    assert.ok(gate.admit(key('KeyA', i % 2 === 0)), `event ${i} dropped`);
  }
});

test('bytes are budgeted apart from events: large messages run out first', () => {
  let now = 0;
  const gate = new InputGate(budget({ eventsPerSecond: 1000, bytesPerSecond: 8000 }), () => now);
  const text = JSON.stringify({ t: 'text', ts: TS, text: 'x'.repeat(256) }); // ~290 bytes
  let accepted = 0;
  for (let i = 0; i < 200; i++) {
    now += 5; // 200 messages/s, ~58 KB/s offered against 8 KB/s
    if (gate.admit(text)) accepted++;
  }
  // One second of budget (8000 B) plus the 4096 B burst, at ~290 B a message.
  assert.ok(accepted >= 30 && accepted <= 45, `accepted ${accepted}`);
  assert.equal(gate.counters.rateLimited, 0);
  assert.equal(gate.counters.bytesLimited, 200 - accepted);
});

test('no more than maxHeld keys, buttons and touches are down at once; releasing frees a place', () => {
  let now = 0;
  const gate = new InputGate(budget({ eventsPerSecond: 100_000, maxHeld: 3 }), () => now);
  const press = (raw: string) => {
    now += 1;
    return gate.admit(raw) !== undefined;
  };
  assert.ok(press(key('KeyA')));
  assert.ok(press(key('KeyA')), 'auto-repeat of a held key is not a new hold');
  assert.ok(press(JSON.stringify({ t: 'button', ts: TS, down: true, button: 0, x: 0.5, y: 0.5 })));
  assert.ok(press(JSON.stringify({ t: 'touch', ts: TS, phase: 'start', id: 7, x: 0.5, y: 0.5 })));
  assert.equal(press(key('KeyB')), false, 'a fourth hold is dropped');
  assert.ok(press(JSON.stringify({ t: 'touch', ts: TS, phase: 'move', id: 7, x: 0.6, y: 0.5 })), 'moves hold nothing new');
  assert.ok(press(key('KeyA', false)));
  assert.ok(press(key('KeyB')), 'after a release the next press fits');
  assert.equal(gate.heldCount, 3);
  assert.equal(gate.counters.heldLimited, 1);
  gate.releaseAll();
  assert.equal(gate.heldCount, 0);
});

test('18,000 distinct keys held at an allowed rate leave at most maxHeld held', () => {
  let now = 0;
  const gate = new InputGate(budget({ eventsPerSecond: 500 }), () => now);
  for (let i = 0; i < 18_000; i++) {
    now += 1000 / 450;
    gate.admit(key(`K${i}`));
  }
  assert.equal(gate.heldCount, 20);
  assert.equal(gate.counters.heldLimited, 18_000 - 20);
});

test('the first drop is reported once, with what ran out', () => {
  let now = 0;
  const seen: LimitKind[] = [];
  const gate = new InputGate(budget({ maxHeld: 1 }), () => now, { limited: (w) => seen.push(w) });
  gate.admit(key('KeyA'));
  gate.admit(key('KeyB'));
  for (let i = 0; i < 200; i++) gate.admit(key('KeyA'));
  now += 5000;
  for (let i = 0; i < 200; i++) gate.admit(key('KeyA'));
  assert.deepEqual(seen, ['held']);
});

test('sending over twice the budget for abuseEndSeconds in a row is abuse; less, or with a pause, is not', () => {
  const run = (perSecond: number, seconds: number, pauseAfter?: number) => {
    let now = 0;
    let abused = 0;
    const gate = new InputGate(budget({ eventsPerSecond: 100, abuseEndSeconds: 3 }), () => now, { abusive: () => abused++ });
    for (let s = 0; s < seconds; s++) {
      if (s === pauseAfter) now += 5000;
      for (let i = 0; i < perSecond; i++) {
        gate.admit(key('KeyA', i % 2 === 0));
        now += 1000 / perSecond;
      }
    }
    gate.admit(key('KeyA', false)); // closes the last window
    return abused;
  };
  assert.equal(run(250, 3), 1, 'three full seconds at 2.5x: abusive, reported once');
  assert.equal(run(250, 10), 1, 'reported once however long it goes on');
  assert.equal(run(180, 10), 0, 'at 1.8x the excess is only dropped');
  assert.equal(run(250, 4, 2), 0, 'two seconds, a pause, two seconds: never three in a row');
});

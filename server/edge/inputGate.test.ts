import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputGate } from './inputGate.ts';

const key = (ts = 1_700_000_000_000) => JSON.stringify({ t: 'key', ts, down: true, code: 'ArrowLeft' });

test('valid events pass and malformed ones are dropped and counted', () => {
  let now = 0;
  const gate = new InputGate(100, () => now);
  assert.deepEqual(gate.admit(key()), { t: 'key', ts: 1_700_000_000_000, down: true, code: 'ArrowLeft' });
  assert.equal(gate.admit('{"t":"key"'), undefined);
  assert.equal(gate.admit(JSON.stringify({ t: 'move', ts: 1_700_000_000_000, x: 5, y: 0, dx: 0, dy: 0 })), undefined);
  assert.equal(gate.admit('x'.repeat(5000)), undefined);
  assert.deepEqual({ ...gate.counters, lastError: undefined }, { accepted: 1, invalid: 3, rateLimited: 0, lastError: undefined });
  assert.match(gate.counters.lastError ?? '', /too large/);
});

test('a flood is cut to the configured rate and recovers afterwards', () => {
  let now = 0;
  const gate = new InputGate(100, () => now);
  let accepted = 0;
  for (let i = 0; i < 1000; i++) if (gate.admit(key())) accepted++;
  assert.equal(accepted, 25, 'the burst allowance (a quarter second) passes, the rest is dropped');
  assert.equal(gate.counters.rateLimited, 975);
  now += 1000; // one second later the bucket has refilled to its burst size
  accepted = 0;
  for (let i = 0; i < 100; i++) if (gate.admit(key())) accepted++;
  assert.equal(accepted, 25);
});

test('a steady stream at the allowed rate is never dropped', () => {
  let now = 0;
  const gate = new InputGate(100, () => now);
  for (let i = 0; i < 500; i++) {
    now += 10;
    assert.ok(gate.admit(key()), `event ${i} dropped`);
  }
});

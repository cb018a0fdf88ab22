import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSessionState, nextSessionState, InvalidTransitionError } from './sessionState.ts';

test('a session goes preparing → ready → streaming → ended, keeping the first reason', () => {
  let s = initialSessionState(1000);
  assert.equal(s.phase, 'preparing');
  s = nextSessionState(s, { type: 'encoder-ready', atMs: 1100 });
  assert.equal(s.phase, 'ready');
  s = nextSessionState(s, { type: 'viewer-connected', atMs: 1500 });
  assert.equal(s.phase, 'streaming');
  assert.equal(s.viewers, 1);
  assert.equal(s.streamingSinceMs, 1500);
  s = nextSessionState(s, { type: 'viewer-connected', atMs: 2500 });
  assert.equal(s.viewers, 2);
  assert.equal(s.streamingSinceMs, 1500, 'the play clock starts with the first viewer only');
  s = nextSessionState(s, { type: 'end', atMs: 3000, reason: 'time-limit' });
  assert.equal(s.phase, 'ended');
  s = nextSessionState(s, { type: 'end', atMs: 3100, reason: 'user-left' });
  assert.equal(s.endReason, 'time-limit');
  assert.equal(s.endedAtMs, 3000);
});

test('a viewer cannot connect before the encoder is ready, nor after the end', () => {
  const preparing = initialSessionState(0);
  assert.throws(() => nextSessionState(preparing, { type: 'viewer-connected', atMs: 1 }), InvalidTransitionError);
  const ended = nextSessionState(preparing, { type: 'end', atMs: 2, reason: 'start-failed' });
  assert.equal(ended.endReason, 'start-failed');
  assert.throws(() => nextSessionState(ended, { type: 'viewer-connected', atMs: 3 }), InvalidTransitionError);
  assert.throws(() => nextSessionState(ended, { type: 'encoder-ready', atMs: 3 }), InvalidTransitionError);
});

test('encoder-ready is accepted once', () => {
  const ready = nextSessionState(initialSessionState(0), { type: 'encoder-ready', atMs: 1 });
  assert.throws(() => nextSessionState(ready, { type: 'encoder-ready', atMs: 2 }), InvalidTransitionError);
});

test('viewer count never goes below zero', () => {
  let s = nextSessionState(initialSessionState(0), { type: 'encoder-ready', atMs: 1 });
  s = nextSessionState(s, { type: 'viewer-left', atMs: 2 });
  assert.equal(s.viewers, 0);
});

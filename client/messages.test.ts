import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endText } from './messages.ts';
import { endNotice } from './phone/phoneMessages.ts';
import { endMessage, endWords, isEdgeGoneReason, isPhoneStoppedReason } from '../protocol/endReasons.ts';
import { EndReason } from '../protocol/errors.ts';

test('every end reason has words for a game and a phone; the page shows what the edge sends', () => {
  for (const reason of Object.values(EndReason)) {
    for (const kind of ['game', 'phone'] as const) {
      const w = endWords(reason, kind);
      assert.ok(w && w.title && w.detail, `${reason} (${kind})`);
      assert.deepEqual(endText(reason, endMessage(reason, kind), kind), w);
    }
  }
  assert.notEqual(endMessage(EndReason.sourceFailed, 'phone'), endMessage(EndReason.sourceFailed, 'game'));
});

test('an unknown reason still gets a screen, and a stopped phone is described by its reason, not the edge', () => {
  assert.equal(endWords('toString'), undefined);
  assert.deepEqual(endText('from-a-newer-edge', 'It ended.'), { title: 'Session ended', detail: 'It ended.' });
  assert.equal(endNotice('idle', 'whatever the edge said').detail, endMessage(EndReason.idle, 'phone'));
  assert.equal(endNotice('source-failed', 'Its own words').detail, 'Its own words');
});

test('which reasons mean the edge went away, and which that a phone stopped', () => {
  assert.deepEqual(Object.values(EndReason).filter(isEdgeGoneReason), ['edge-lost', 'edge-shutdown']);
  assert.deepEqual(Object.values(EndReason).filter(isPhoneStoppedReason), ['stopped', 'grace-expired', 'idle']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getProfile, PROFILES, PROFILE_NAMES } from './profiles.ts';
import { netemArgs } from '../support/netns.ts';
import { must } from '../../protocol/must.ts';

test('the four profiles of the issue, with their figures', () => {
  assert.deepEqual(PROFILE_NAMES, ['lan', 'wifi', '4g', 'bad', 'cap4m']);
  assert.equal(PROFILES.lan.impairment, undefined);
  assert.deepEqual(PROFILES.wifi.impairment, { delayMs: 20, jitterMs: 5, lossPercent: 0.5, limitPackets: 1000 });
  assert.deepEqual(PROFILES['4g'].impairment, { delayMs: 60, jitterMs: 20, lossPercent: 1, rateKbit: 8000, limitPackets: 1000 });
  assert.deepEqual(PROFILES.bad.impairment, { delayMs: 120, jitterMs: 30, lossPercent: 3, rateKbit: 3000, limitPackets: 1000 });
});

test('tc netem arguments for each impaired profile', () => {
  assert.deepEqual(netemArgs(must(PROFILES.wifi.impairment, 'PROFILES.wifi.impairment')), ['netem', 'limit', '1000', 'delay', '20ms', '5ms', 'loss', '0.5%']);
  assert.deepEqual(netemArgs(must(PROFILES['4g'].impairment, "PROFILES['4g'].impairment")), [
    'netem',
    'limit',
    '1000',
    'delay',
    '60ms',
    '20ms',
    'loss',
    '1%',
    'rate',
    '8000kbit',
  ]);
  assert.deepEqual(netemArgs(must(PROFILES.bad.impairment, 'PROFILES.bad.impairment')), [
    'netem',
    'limit',
    '1000',
    'delay',
    '120ms',
    '30ms',
    'loss',
    '3%',
    'rate',
    '3000kbit',
  ]);
});

test('netem options leave out what a profile does not impair, and print plain decimals', () => {
  assert.deepEqual(netemArgs({ delayMs: 0, jitterMs: 0, lossPercent: 0, limitPackets: 50 }), ['netem', 'limit', '50']);
  assert.deepEqual(netemArgs({ delayMs: 10, jitterMs: 0, lossPercent: 0.0001, limitPackets: 1000 }), [
    'netem',
    'limit',
    '1000',
    'delay',
    '10ms',
    'loss',
    '0.0001%',
  ]);
});

test('unknown profile names are refused with the known ones listed', () => {
  assert.equal(getProfile('4g').name, '4g');
  assert.throws(() => getProfile('3g'), /unknown network profile '3g' \(known: lan, wifi, 4g, bad, cap4m\)/);
  assert.throws(() => getProfile('toString'), /unknown network profile/);
});

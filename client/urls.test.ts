import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grantOf, locationHint, parseRoute, placementApiPath, playApiPath, resumeApiPath, toWebSocketUrl, watchApiPath } from './urls.ts';

const SID = '0f8fad5b-d9cb-469f-a165-70867728950e';

test('routes: play links and watch sessions, nothing else', () => {
  assert.deepEqual(parseRoute('/play/demo'), { kind: 'play', linkId: 'demo' });
  assert.deepEqual(parseRoute('/play/demo_1-x/'), { kind: 'play', linkId: 'demo_1-x' });
  assert.deepEqual(parseRoute(`/watch/${SID}`), { kind: 'watch', sessionId: SID });
  assert.equal(parseRoute('/watch/not-a-uuid'), undefined);
  assert.equal(parseRoute('/play/'), undefined);
  assert.equal(parseRoute('/play/a/b'), undefined);
  assert.equal(parseRoute('/play/%E0%A4%A'), undefined, 'bad escape');
  assert.equal(parseRoute('/play/a%20b'), undefined, 'not a slug');
  assert.equal(parseRoute('/'), undefined);
});

test('signalling URLs resolve against the page and switch to ws/wss', () => {
  assert.equal(toWebSocketUrl('/edge/signal?session=x', 'http://h:8080/play/demo'), 'ws://h:8080/edge/signal?session=x');
  assert.equal(toWebSocketUrl('/edge/signal?session=x', 'https://h/play/demo'), 'wss://h/edge/signal?session=x');
  assert.equal(toWebSocketUrl('ws://edge-2:9000/edge/signal?session=x&ticket=t', 'https://h/play/demo'), 'ws://edge-2:9000/edge/signal?session=x&ticket=t');
  assert.equal(toWebSocketUrl('http://edge-2:9000/s', 'https://h/'), 'ws://edge-2:9000/s');
  assert.equal(watchApiPath(SID), `/api/sessions/${SID}/watch`);
  assert.equal(playApiPath('demo'), '/api/play/demo');
});

test('broker API paths escape their ids', () => {
  assert.equal(placementApiPath('p-1'), '/api/placements/p-1');
  assert.equal(placementApiPath('a/b?c'), '/api/placements/a%2Fb%3Fc');
  assert.equal(resumeApiPath(SID), `/api/sessions/${SID}/resume`);
});

test('location hint: both coordinates, in range, or nothing', () => {
  assert.deepEqual(locationHint('?lat=52.5&lon=13.4'), { lat: 52.5, lon: 13.4 });
  assert.deepEqual(locationHint('?stats=1&lon=-122.3&lat=-33.9'), { lat: -33.9, lon: -122.3 });
  assert.equal(locationHint(''), undefined);
  assert.equal(locationHint('?lat=52.5'), undefined);
  assert.equal(locationHint('?lat=&lon='), undefined);
  assert.equal(locationHint('?lat=91&lon=0'), undefined);
  assert.equal(locationHint('?lat=0&lon=181'), undefined);
  assert.equal(locationHint('?lat=north&lon=0'), undefined);
  assert.equal(locationHint('?lat=Infinity&lon=0'), undefined);
});

test('the spectator grant is read from the fragment only', () => {
  assert.equal(grantOf('#grant=abc.def'), 'abc.def');
  assert.equal(grantOf('#x=1&grant=g'), 'g');
  assert.equal(grantOf(''), undefined);
  assert.equal(grantOf('#grant='), undefined);
  assert.equal(grantOf(`#grant=${'a'.repeat(5000)}`), undefined, 'absurdly long: not a grant');
});

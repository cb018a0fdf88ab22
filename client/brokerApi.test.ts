import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readApiError, startSession } from './brokerApi.ts';

type Call = { url: string; init: RequestInit };

const fakeFetch = (status: number, body: string, calls: Call[] = []) => async (url: string, init: RequestInit): Promise<Response> => {
  calls.push({ url, init });
  return new Response(body, { status, headers: { 'content-type': 'application/json' } });
};

const OK = {
  sessionId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  titleId: 'paddle-demo',
  signalUrl: '/edge/signal?session=0f8fad5b-d9cb-469f-a165-70867728950e',
  edgeId: 'edge-1',
  playSeconds: 900,
  video: { width: 1280, height: 720, fps: 30, codec: 'H264', encoder: 'libx264' },
};

test('201: posts {} to /api/play/<link> and returns the session', async () => {
  const calls: Call[] = [];
  const r = await startSession('demo', fakeFetch(201, JSON.stringify(OK), calls));
  assert.deepEqual(r, { ok: true, session: OK });
  assert.equal(calls[0]?.url, '/api/play/demo');
  assert.equal(calls[0]?.init.method, 'POST');
  assert.equal(calls[0]?.init.body, '{}');
});

test('4xx/5xx with {code, message} pass the code and message through', async () => {
  const r = await startSession('nope', fakeFetch(404, JSON.stringify({ code: 'unknown-link', message: 'No such link: nope' })));
  assert.deepEqual(r, { ok: false, error: { code: 'unknown-link', message: 'No such link: nope', status: 404 } });
});

test('non-JSON errors, bad bodies and network failures get page codes', async () => {
  const html = await startSession('x', fakeFetch(503, '<html>busy</html>'));
  assert.equal(html.ok, false);
  if (!html.ok) assert.equal(html.error.code, 'no-capacity');
  const bad = await startSession('x', fakeFetch(201, JSON.stringify({ sessionId: 1 })));
  assert.equal(!bad.ok && bad.error.code, 'bad-response');
  const down = await startSession('x', async () => {
    throw new TypeError('fetch failed');
  });
  assert.equal(!down.ok && down.error.code, 'network');
  assert.equal(readApiError(500, null).code, 'internal');
});

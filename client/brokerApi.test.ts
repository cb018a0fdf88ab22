import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postJson, readApiError } from './brokerApi.ts';

type Call = { url: string; init: RequestInit };

const fakeFetch =
  (status: number, body: string, calls: Call[] = []) =>
  async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
const readName = (v: unknown): string | undefined =>
  typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : undefined;

test('2xx: posts the body as JSON and returns what the reader accepts', async () => {
  const calls: Call[] = [];
  const r = await postJson('/api/x', { a: 1 }, readName, fakeFetch(201, '{"name":"n"}', calls));
  assert.deepEqual(r, { ok: true, value: 'n' });
  assert.equal(calls[0]?.url, '/api/x');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.body, '{"a":1}');
  assert.equal((calls[0].init.headers as Record<string, string>)['content-type'], 'application/json');
  assert.ok(calls[0].init.signal instanceof AbortSignal, 'calls time out');
});

test('4xx/5xx with {code, message} pass the code, message and status through', async () => {
  const r = await postJson('/api/play/nope', {}, readName, fakeFetch(404, JSON.stringify({ code: 'unknown-link', message: 'No such link: nope' })));
  assert.deepEqual(r, { ok: false, error: { code: 'unknown-link', message: 'No such link: nope', status: 404 } });
  const gone = await postJson('/api/play/old', {}, readName, fakeFetch(410, JSON.stringify({ code: 'link-expired', message: 'Expired.' })));
  assert.deepEqual(gone, { ok: false, error: { code: 'link-expired', message: 'Expired.', status: 410 } });
});

test('non-JSON errors, unusable answers and network failures get page codes', async () => {
  const html = await postJson('/x', {}, readName, fakeFetch(503, '<html>busy</html>'));
  assert.equal(!html.ok && html.error.code, 'no-capacity');
  const bad = await postJson('/x', {}, readName, fakeFetch(200, JSON.stringify({ name: 1 })));
  assert.equal(!bad.ok && bad.error.code, 'bad-response');
  const down = await postJson('/x', {}, readName, async () => {
    throw new TypeError('fetch failed');
  });
  assert.equal(!down.ok && down.error.code, 'network');
  assert.equal(readApiError(500, null).code, 'internal');
  assert.equal(readApiError(410, 'nope').code, 'gone');
  assert.equal(readApiError(429, {}).code, 'rate-limited');
  assert.equal(readApiError(400, { code: '' }).code, 'bad-request');
});

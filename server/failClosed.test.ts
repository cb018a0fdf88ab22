import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from './logging.ts';
import { failClosed, faultCounts } from './failClosed.ts';
import { parseRequestTarget } from './upgradeRouter.ts';
import { must } from '../protocol/must.ts';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(JSON.parse(String(chunk))), cb()) });
  return { log: createLogger('debug', sink), lines };
}

test('a handler that throws is closed for that client only, counted, and logged with its stack once per power of ten', () => {
  const { log, lines } = capturingLogger();
  const closed: string[] = [];
  const handle = failClosed(
    log,
    'test-boundary',
    (who: string) => {
      if (who.startsWith('bad')) throw new Error(`cannot handle ${who}`);
    },
    () => closed.push('closed'),
  );
  handle('good');
  for (let i = 0; i < 12; i++) handle(`bad-${i}`);
  assert.equal(closed.length, 12);
  assert.equal(faultCounts().get('test-boundary'), 12);
  const logged = lines.filter((l) => l.boundary === 'test-boundary');
  assert.deepEqual(
    logged.map((l) => l.count),
    [1, 10],
  );
  assert.match(String((must(logged[0], 'logged[0]').err as { stack: string }).stack), /cannot handle bad-0/);
});

test('a rejected promise from an async handler is caught the same way', async () => {
  const { log } = capturingLogger();
  let faulted: unknown;
  failClosed(
    log,
    'test-async',
    async () => {
      throw new Error('later');
    },
    (err) => (faulted = err),
  )();
  await new Promise((r) => setImmediate(r));
  assert.match(String(faulted), /later/);
});

test('request targets: URLs parse, targets that are not URLs (or absurdly long) do not', () => {
  assert.equal(parseRequestTarget('/edge/signal?session=x')?.pathname, '/edge/signal');
  assert.equal(parseRequestTarget('http://[/'), undefined);
  assert.equal(parseRequestTarget('http://'), undefined);
  assert.equal(parseRequestTarget(undefined), undefined);
  assert.equal(parseRequestTarget(`/${'a'.repeat(9000)}`), undefined);
});

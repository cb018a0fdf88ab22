import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CdpCall, InputJob } from './inputMapper.ts';
import { InputQueue } from './inputQueue.ts';

/** A fake page: records calls and answers each when the test says so. */
function fakePage() {
  const sent: string[] = [];
  const answers: Array<(fail?: Error) => void> = [];
  const send = (call: CdpCall) =>
    new Promise<void>((resolve, reject) => {
      sent.push(call.method === 'Runtime.evaluate' ? call.params.expression : `${call.method} ${JSON.stringify(call.params)}`);
      answers.push((err) => (err ? reject(err) : resolve()));
    });
  const answer = async (err?: Error) => {
    answers.shift()?.(err);
    await new Promise((r) => setImmediate(r));
  };
  return { sent, send, answer, pending: () => answers.length };
}

const job = (ts: number, text: string, coalesce?: InputJob['coalesce']): InputJob => ({
  ts,
  calls: [
    { method: 'Runtime.evaluate', params: { expression: `ts ${ts}` } },
    { method: 'Input.insertText', params: { text } },
  ],
  ...(coalesce ? { coalesce } : {}),
});

test('one command at a time, each after the previous answer, in order', async () => {
  const page = fakePage();
  const q = new InputQueue(page.send, () => undefined);
  q.push(job(1, 'a'));
  q.push(job(2, 'b'));
  assert.deepEqual(page.sent, ['ts 1'], 'the event waits for its setInputTs to be answered');
  await page.answer();
  assert.deepEqual(page.sent, ['ts 1', 'Input.insertText {"text":"a"}']);
  await page.answer();
  assert.equal(page.sent.at(-1), 'ts 2', 'the next setInputTs waits for the previous event');
  await page.answer();
  await page.answer();
  assert.equal(page.pending(), 0);
  assert.deepEqual(q.stats, { sent: 4, coalesced: 0, dropped: 0, errors: 0 });
});

test('a waiting move is replaced by a newer one; a move behind another kind is kept', async () => {
  const page = fakePage();
  const q = new InputQueue(page.send, () => undefined);
  q.push(job(1, 'start'));
  q.push(job(2, 'm1', 'touchMove'));
  q.push(job(3, 'm2', 'touchMove'));
  q.push(job(4, 'm3', 'touchMove'));
  q.push(job(5, 'end'));
  q.push(job(6, 'm4', 'touchMove'));
  for (let i = 0; i < 8; i++) await page.answer();
  assert.deepEqual(
    page.sent.filter((s) => s.startsWith('ts')),
    ['ts 1', 'ts 4', 'ts 5', 'ts 6'],
  );
  assert.equal(q.stats.coalesced, 2);
});

test('a failed command is counted and reported; the rest still go', async () => {
  const page = fakePage();
  const errors: string[] = [];
  const q = new InputQueue(page.send, (err, call) => errors.push(`${call.method}: ${err.message}`));
  q.push(job(1, 'a'));
  q.push(job(2, 'b'));
  await page.answer(new Error('navigating'));
  await page.answer();
  await page.answer();
  await page.answer();
  assert.deepEqual(errors, ['Runtime.evaluate: navigating']);
  assert.equal(q.stats.errors, 1);
  assert.equal(q.stats.sent, 3);
});

test('bounded: a page that stops answering makes new jobs drop; clear and close drop the rest', async () => {
  const page = fakePage();
  const q = new InputQueue(page.send, () => undefined, 3);
  for (let i = 1; i <= 6; i++) q.push(job(i, 'x'));
  assert.equal(q.waiting, 3, 'job 1 in flight, 3 waiting');
  assert.equal(q.stats.dropped, 2);
  q.clear();
  assert.equal(q.stats.dropped, 5);
  q.close();
  q.push(job(7, 'x'));
  assert.equal(q.stats.dropped, 6);
  await page.answer();
  await page.answer();
  assert.equal(page.sent.length, 1, 'nothing more is sent after close');
});

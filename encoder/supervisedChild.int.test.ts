// The contract every child of an edge relies on (encoder/supervisedChild.ts), with real processes (sh, sleep).
import { groupMembers } from '../server/procStat.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { ChildStartError, SupervisedChild, type ChildExit, type SupervisedChildOptions } from './supervisedChild.ts';
import { waitFor } from './testSupport.ts';
import { must } from '../protocol/must.ts';

const logger = pino({ level: 'silent' });
const sh = (script: string, o: Partial<SupervisedChildOptions> = {}) => new SupervisedChild({ name: 'sh', command: 'sh', args: ['-c', script], logger, ...o });

test('readiness: a stderr line resolves ready; the child runs in its own group', async () => {
  const c = sh('echo starting >&2; sleep 0.1; echo READY >&2; exec sleep 30', { readiness: { line: (l) => l === 'READY', timeoutMs: 3000 } });
  await c.ready;
  assert.equal(c.isReady, true);
  assert.deepEqual(groupMembers(must(c.pid, 'c.pid')), [c.pid], 'the leader of its own group');
  assert.notEqual(c.pid, process.pid);
  await c.stop();
  assert.deepEqual(groupMembers(must(c.pid, 'c.pid')), []);
});

test('readiness: a missed deadline rejects ready and stops the child, without a death', async () => {
  const c = sh('exec sleep 30', { readiness: { timeoutMs: 200 } });
  let died = false;
  c.onDied(() => (died = true));
  await assert.rejects(c.ready, (err: unknown) => err instanceof ChildStartError && /not ready in 200 ms/.test(err.message));
  const exit = await c.exited;
  assert.equal(exit.signal, 'SIGTERM');
  assert.equal(died, false, 'failed to start is not died later');
  assert.deepEqual(groupMembers(must(c.pid, 'c.pid')), []);
});

test('an exit before ready rejects ready with the code and the stderr tail', async () => {
  const c = sh('echo boom >&2; exit 3', { readiness: {} });
  await assert.rejects(c.ready, (err: unknown) => {
    assert.ok(err instanceof ChildStartError);
    assert.equal(err.message, 'exited with code 3');
    assert.equal(err.exit.code, 3);
    assert.deepEqual(err.exit.stderrTail, ['boom']);
    return true;
  });
});

test('a command that does not exist: ready rejects; a child without readiness reports it as its death', async () => {
  const gated = new SupervisedChild({ name: 'x', command: '/nonexistent/x', args: [], logger, readiness: {} });
  await assert.rejects(gated.ready, /spawn \/nonexistent\/x ENOENT/);
  await assert.rejects(gated.spawned);
  const ungated = new SupervisedChild({ name: 'x', command: '/nonexistent/x', args: [], logger });
  const death = await new Promise<ChildExit>((resolve) => ungated.onDied(resolve));
  assert.match(death.spawnError?.message ?? '', /ENOENT/);
  await ungated.stop(); // nothing to stop: resolves
});

test('the stderr ring keeps the last N lines; died fires once, and late listeners hear it too', async () => {
  const c = sh('for i in 1 2 3 4 5 6 7 8 9 10; do echo "line $i" >&2; done; printf "no newline" >&2; exit 0', { stderrLines: 4 });
  const deaths: ChildExit[] = [];
  c.onDied((d) => deaths.push(d));
  await c.exited;
  c.onDied((d) => deaths.push(d));
  assert.equal(deaths.length, 2, 'one report per listener');
  assert.equal(deaths[0], deaths[1]);
  assert.equal(must(deaths[0], 'deaths[0]').code, 0);
  assert.deepEqual(must(deaths[0], 'deaths[0]').stderrTail, ['line 8', 'line 9', 'line 10', 'no newline']);
  assert.deepEqual(c.stderrTail, must(deaths[0], 'deaths[0]').stderrTail);
});

test('a child killed after ready is a death with the signal; stop() afterwards is no second report', async () => {
  const c = sh('exec sleep 30');
  const deaths: ChildExit[] = [];
  c.onDied((d) => deaths.push(d));
  await c.spawned;
  process.kill(must(c.pid, 'c.pid'), 'SIGKILL');
  await c.exited;
  await c.stop();
  assert.equal(deaths.length, 1);
  assert.equal(must(deaths[0], 'deaths[0]').signal, 'SIGKILL');
});

test('stop(grace): SIGTERM to the group, SIGKILL after the grace to a group that ignores it; nothing is left', async () => {
  const c = sh('trap "" TERM; sleep 30 & while :; do sleep 0.05; done', { readiness: {} });
  let died = false;
  c.onDied(() => (died = true));
  c.markReady();
  await waitFor(() => groupMembers(must(c.pid, 'c.pid')).length >= 2, 3000, 'the background sleep');
  const t0 = performance.now();
  await Promise.all([c.stop(300), c.stop(5000)]);
  const ms = performance.now() - t0;
  assert.ok(ms >= 280 && ms < 2000, `stopped after the grace of the first call, took ${Math.round(ms)} ms`);
  assert.equal(c.exit?.signal, 'SIGKILL');
  assert.equal(died, false, 'an exit asked for is no death');
  await waitFor(() => groupMembers(must(c.pid, 'c.pid')).length === 0, 2000, 'the whole group gone');
});

test('a member that outlives its leader is killed with it', async () => {
  // sh exits on SIGTERM; the sleep it started ignores SIGTERM and would run on.
  const c = sh('(trap "" TERM; exec sleep 30) & wait');
  await waitFor(() => groupMembers(must(c.pid, 'c.pid')).length >= 2, 3000, 'the background sleep');
  const t0 = performance.now();
  await c.stop(5000);
  assert.ok(performance.now() - t0 < 2000, 'no need to wait for the grace: the leader exited');
  assert.equal(c.exit?.signal, 'SIGTERM');
  await waitFor(() => groupMembers(must(c.pid, 'c.pid')).length === 0, 2000, 'the straggler gone');
});

test('the group is recorded while it lives, and the record removed once it is gone', async () => {
  const live = new Map<number, { command: string; paths: string[] }>();
  const registry = {
    record: (g: { pgid: number; command: string; paths: string[] }) => {
      live.set(g.pgid, g);
      return () => live.delete(g.pgid);
    },
  };
  const c = sh('exec sleep 30', { registry, leftoverPaths: ['/tmp/edgeplay-x'] });
  await c.spawned;
  assert.deepEqual(live.get(must(c.pid, 'c.pid')), { pgid: c.pid, command: 'sh', paths: ['/tmp/edgeplay-x'] });
  await c.stop();
  assert.equal(live.size, 0);
});

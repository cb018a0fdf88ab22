// An edge killed with SIGKILL leaves its children running; its next start kills them (server/edge/leftoverGroups.ts).
import { groupMembers } from '../procStat.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { LeftoverGroups } from './leftoverGroups.ts';
import { must } from '../../protocol/must.ts';

const logger = pino({ level: 'silent' });

async function until<T>(what: string, f: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A stand-in edge: records one child group (a shell and its sleep) plus a temp dir, then waits to be killed. */
const fakeEdge = (dataDir: string, leftDir: string) => `
import { pino } from 'pino';
import { LeftoverGroups } from './server/edge/leftoverGroups.ts';
import { SupervisedChild } from './encoder/supervisedChild.ts';
const children = new LeftoverGroups(${JSON.stringify(dataDir)}, 'edge-a', pino({ level: 'silent' }));
new SupervisedChild({ name: 'sh', command: 'sh', args: ['-c', 'sleep 60 & wait'], logger: pino({ level: 'silent' }), registry: children, leftoverPaths: [${JSON.stringify(leftDir)}] });
setInterval(() => {}, 1000);
`;

test('the next start kills the groups of an edge killed with SIGKILL, and removes their files', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'edgeplay-leftover-test-'));
  const leftDir = mkdtempSync(join(tmpdir(), 'edgeplay-session-'));
  const edge = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', fakeEdge(dataDir, leftDir)], { stdio: 'ignore' });
  const recordDir = join(dataDir, 'edge-children', 'edge-a');
  const pgid = await until('the record', () => {
    const f = existsSync(recordDir) ? readdirSync(recordDir)[0] : undefined;
    return f ? Number(f.replace('.json', '')) : undefined;
  });
  await until('the shell and its sleep', () => (groupMembers(pgid).length >= 2 ? true : undefined));
  edge.kill('SIGKILL');
  await new Promise((r) => edge.once('exit', r));
  await new Promise((r) => setTimeout(r, 300));
  const left = groupMembers(pgid).length;
  assert.ok(left >= 2, 'SIGKILL of the edge stops none of its children');

  // Another edge id on the same data dir has nothing to clean.
  assert.deepEqual(await new LeftoverGroups(dataDir, 'edge-b', logger).clean(), { groups: 0, processes: 0, paths: 0 });
  const report = await new LeftoverGroups(dataDir, 'edge-a', logger).clean();
  assert.deepEqual(report, { groups: 1, processes: left, paths: 1 });
  assert.deepEqual(groupMembers(pgid), [], 'nothing of the old run is left');
  assert.equal(existsSync(leftDir), false, "the child's temp dir is removed");
  assert.deepEqual(readdirSync(recordDir), []);
});

test("a live edge's groups, and a group whose pid was reused, are left alone", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'edgeplay-leftover-test-'));
  const mine = new LeftoverGroups(dataDir, 'edge-a', logger);
  const sleeper = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  await new Promise((r) => sleeper.once('spawn', r));
  try {
    mine.record({ pgid: must(sleeper.pid, 'sleeper.pid'), command: 'sleep', paths: [] });
    assert.equal((await new LeftoverGroups(dataDir, 'edge-a', logger).clean()).groups, 0, 'its edge (this process) still runs');
    // The same pid recorded by a dead edge, but with another start time: the pid was reused by someone else.
    const file = join(dataDir, 'edge-children', 'edge-a', `${sleeper.pid}.json`);
    const rec = JSON.parse(readFileSync(file, 'utf8')) as { leaderStart: number; owner: { pid: number; start: number } };
    writeFileSync(file, JSON.stringify({ ...rec, leaderStart: rec.leaderStart - 1, owner: { pid: rec.owner.pid, start: rec.owner.start - 1 } }));
    assert.equal((await new LeftoverGroups(dataDir, 'edge-a', logger).clean()).groups, 0);
    assert.deepEqual(groupMembers(must(sleeper.pid, 'sleeper.pid')), [sleeper.pid]);
    assert.equal(existsSync(file), false, 'the stale record is dropped');
  } finally {
    sleeper.kill('SIGKILL');
  }
});

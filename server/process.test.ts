import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const processModule = fileURLToPath(new URL('./process.ts', import.meta.url));
const loggingModule = fileURLToPath(new URL('./logging.ts', import.meta.url));

/** Runs a tiny program that installs the fault policy, then faults as `fault` says. */
function runFaulting(fault: string) {
  const program = `
    const { installFaultPolicy, stopOnSignals } = await import(${JSON.stringify(processModule)});
    const { createLogger } = await import(${JSON.stringify(loggingModule)});
    const logger = createLogger('info');
    installFaultPolicy(logger);
    stopOnSignals(logger, async () => { console.log('CLOSED-CLEANLY'); });
    setTimeout(() => { ${fault} }, 10);
    setTimeout(() => {}, 10_000);`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { encoding: 'utf8', timeout: 20_000 });
}

test('an uncaught exception (a bug) is logged with its stack, the process closes cleanly and exits 70', () => {
  const r = runFaulting(`throw new Error('a bug in our code')`);
  assert.equal(r.status, 70, r.stderr);
  assert.match(r.stdout, /"level":60.*uncaught exception/);
  assert.match(r.stdout, /a bug in our code.*\\n\s+at /s);
  assert.match(r.stdout, /CLOSED-CLEANLY/);
});

test('an unhandled rejection is treated the same way', () => {
  const r = runFaulting(`Promise.reject(new Error('nobody awaited this'))`);
  assert.equal(r.status, 70, r.stderr);
  assert.match(r.stdout, /nobody awaited this.*unhandled promise rejection/);
  assert.match(r.stdout, /CLOSED-CLEANLY/);
});

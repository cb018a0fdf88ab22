/**
 * One product stack per spec file: booted before its tests, stopped after
 * them, and its output attached to any test that fails.
 */
import { test } from '@playwright/test';
import { startStack, type RunningStack } from './stack.ts';

export function useStack(env: Record<string, string>): RunningStack {
  let current: RunningStack | undefined;
  test.beforeAll(async () => {
    current = await startStack(env);
  });
  test.afterAll(async () => {
    await current?.stop();
  });
  test.afterEach(async ({}, info) => {
    if (current && info.status !== info.expectedStatus) await info.attach('server-output', { body: current.output().slice(-20_000) });
  });
  const started = (): RunningStack => {
    if (!current) throw new Error('the stack is not running (used outside a test?)');
    return current;
  };
  return {
    get baseUrl() {
      return started().baseUrl;
    },
    get demoUrl() {
      return started().demoUrl;
    },
    get process() {
      return started().process;
    },
    output: () => started().output(),
    stop: () => started().stop(),
  };
}

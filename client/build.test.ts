import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildClient } from './build.ts';

test('the player bundle builds into one browser script without Node-only code', async () => {
  const { js } = await buildClient({ sourcemap: 'none' });
  assert.ok(js.length > 1000);
  assert.match(js, /requestVideoFrameCallback/);
  assert.doesNotMatch(js, /\bimport\s*\(|\brequire\(|\bBuffer\.|process\.env/);
  const { js: mapped, sourceMap } = await buildClient({ sourcemap: 'external' });
  assert.ok(sourceMap && JSON.parse(sourceMap).sources.length > 5);
  assert.ok(mapped.length > 1000);
});

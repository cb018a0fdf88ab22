import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPhoneApp, readPhoneAppFiles } from '../build.ts';

test('the phone app bundles into one browser script without Node-only code', async () => {
  const { js } = await buildPhoneApp({ sourcemap: 'none' });
  assert.ok(js.length > 1000);
  assert.match(js, /edgeplayPhone/);
  assert.match(js, /requestVideoFrameCallback/, 'the stamp meter is in');
  assert.doesNotMatch(js, /\bimport\s*\(|\brequire\(|\bBuffer\.|process\.env/);
});

test('the page loads the bundle and style sheet the server serves, and has every element the script looks up', async () => {
  const { html, css } = await readPhoneAppFiles();
  assert.match(html, /src="\/client\/phone\.js"/);
  assert.match(html, /href="\/client\/phone\.css"/);
  assert.match(html, /user-scalable=no/);
  assert.ok(css.includes('touch-action: none'));
  const { js } = await buildPhoneApp({ sourcemap: 'none' });
  const ids = new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
  const looked = [...js.matchAll(/byId\(\s*\w+,\s*"([^"]+)"/g)].map((m) => m[1]);
  assert.ok(looked.length > 20, `found ${looked.length} lookups`);
  for (const id of looked) assert.ok(ids.has(id), `phone.html lacks #${id}`);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPhoneShell } from './build.ts';
import { must } from '../../protocol/must.ts';

test('the shell builds into the files the edge serves, with no external references', async () => {
  const files = await buildPhoneShell({ sourcemap: 'none' });
  assert.deepEqual([...files.keys()].sort(), ['help.html', 'index.html', 'pages.css', 'shell.css', 'shell.js', 'start.html']);
  const js = String(must(files.get('shell.js'), "files.get('shell.js')").body);
  assert.match(must(files.get('shell.js'), "files.get('shell.js')").contentType, /^text\/javascript/);
  assert.match(js, /phoneShell/);
  assert.doesNotMatch(js, /\bimport\s*\(|\brequire\(|\bBuffer\.|process\.env/);
  const index = String(must(files.get('index.html'), "files.get('index.html')").body);
  assert.match(index, /src="shell\.js"/);
  assert.match(index, /href="shell\.css"/);
  for (const [name, f] of files) {
    // Nothing fetched from elsewhere: no absolute http(s) addresses in what the shell loads.
    if (name !== 'shell.js') assert.doesNotMatch(String(f.body), /(src|href)="https?:/, name);
  }
});

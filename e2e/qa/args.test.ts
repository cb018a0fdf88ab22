import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCli, UsageError } from './args.ts';
import { effectiveProfile } from './profileChoice.ts';
import { must } from '../../protocol/must.ts';

test('a demo link with options', () => {
  assert.deepEqual(parseCli(['http://localhost:8080/play/demo', '--seconds', '10', '--profile', 'wifi', '--out', 'r']), {
    mode: 'run',
    target: 'http://localhost:8080/play/demo',
    seconds: 10,
    profile: 'wifi',
    outDir: 'r',
    video: { width: 1280, height: 720, fps: 30 },
    shaper: 'auto',
    inputs: true,
  });
});

test('--local, or the URL "local", boots the local demo at the size asked for', () => {
  const a = parseCli(['--local', '--size', '640x360', '--fps', '60', '--bitrate', '2500', '--no-inputs']);
  assert.ok(a.mode === 'run');
  assert.equal(a.target, 'local');
  assert.deepEqual(a.video, { width: 640, height: 360, fps: 60, bitrateKbps: 2500 });
  assert.equal(a.inputs, false);
  const b = parseCli(['local']);
  assert.ok(b.mode === 'run' && b.target === 'local' && b.seconds === 30 && b.profile === 'lan');
});

test('--compare takes two files', () => {
  assert.deepEqual(parseCli(['--compare', 'a.json', 'b.json']), { mode: 'compare', a: 'a.json', b: 'b.json' });
  assert.throws(() => parseCli(['--compare', 'a.json']), UsageError);
});

test('mistakes get a clear message', () => {
  assert.throws(() => parseCli([]), /give a demo link, a phone URL, or --local/);
  assert.throws(() => parseCli(['ftp://x']), /not an http\(s\) URL/);
  assert.throws(() => parseCli(['local', '--profile', '5g']), /unknown profile '5g'/);
  assert.throws(() => parseCli(['local', '--seconds', '0']), /--seconds must be a whole number/);
  assert.throws(() => parseCli(['local', '--size', 'big']), /--size must look like 1280x720/);
  assert.throws(() => parseCli(['local', '--nope']), UsageError);
});

test('shaping applies to the local demo only, and only where namespaces can be made', () => {
  const can = () => undefined;
  const cannot = () => 'creating network namespaces needs root';
  assert.equal(effectiveProfile({ target: 'local', profile: 'bad' }, can).profile.name, 'bad');
  assert.equal(effectiveProfile({ target: 'local', profile: 'lan' }, cannot).note, undefined);
  const remote = effectiveProfile({ target: 'https://edge.example/play/x', profile: '4g' }, can);
  assert.equal(remote.profile.name, 'lan');
  assert.match(must(remote.note, 'remote.note'), /applies only to the local demo/);
  const noRoot = effectiveProfile({ target: 'local', profile: 'wifi' }, cannot);
  assert.equal(noRoot.profile.name, 'lan');
  assert.match(must(noRoot.note, 'noRoot.note'), /cannot apply network profile 'wifi': creating network namespaces needs root; measured on lan instead/);
});

test('--title picks the local demo title; a malformed one is a usage error', () => {
  const a = parseCli(['--local', '--title', 'motion-bench']);
  assert.equal(a.mode === 'run' && a.video.titleId, 'motion-bench');
  assert.throws(() => parseCli(['--local', '--title', '../etc']), /--title must be a catalog id/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveFfmpegPath } from './ffmpegPath.ts';

test('FFMPEG_PATH wins over everything', () => {
  const r = resolveFfmpegPath({ FFMPEG_PATH: '/opt/ff/ffmpeg' }, { loadFfmpegStatic: () => '/static/ffmpeg', exists: () => true });
  assert.deepEqual(r, { path: '/opt/ff/ffmpeg', source: 'FFMPEG_PATH' });
});

test('empty FFMPEG_PATH is ignored', () => {
  const r = resolveFfmpegPath({ FFMPEG_PATH: ' ' }, { loadFfmpegStatic: () => undefined });
  assert.deepEqual(r, { path: 'ffmpeg', source: 'PATH' });
});

test('ffmpeg-static is used when installed and its binary exists', () => {
  const r = resolveFfmpegPath({}, { loadFfmpegStatic: () => '/static/ffmpeg', exists: (p) => p === '/static/ffmpeg' });
  assert.deepEqual(r, { path: '/static/ffmpeg', source: 'ffmpeg-static' });
});

test('ffmpeg-static installed without its binary falls back to PATH', () => {
  const r = resolveFfmpegPath({}, { loadFfmpegStatic: () => '/static/ffmpeg', exists: () => false });
  assert.deepEqual(r, { path: 'ffmpeg', source: 'PATH' });
});

test('without the optional package (the real lookup) falls back to PATH', () => {
  // ffmpeg-static is an optional dependency that is normally not installed here.
  const r = resolveFfmpegPath({}, { exists: () => false });
  assert.deepEqual(r, { path: 'ffmpeg', source: 'PATH' });
});

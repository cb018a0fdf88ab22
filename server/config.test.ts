import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, DEFAULT_CONFIG, ConfigError } from './config.ts';

test('defaults work without any environment', () => {
  const c = loadConfig({});
  assert.deepEqual(c, DEFAULT_CONFIG);
  assert.equal(c.port, 8080);
});

test('environment overrides defaults', () => {
  const c = loadConfig({ PORT: '9000', VIDEO_WIDTH: '640', VIDEO_HEIGHT: '360', VIDEO_FPS: '30', ICE_PORT_RANGE: '40000-40199', ENCODER: 'libx264' });
  assert.equal(c.port, 9000);
  assert.deepEqual([c.edge.video.width, c.edge.video.height, c.edge.video.fps], [640, 360, 30]);
  assert.deepEqual(c.edge.icePortRange, [40000, 40199]);
  assert.equal(c.edge.encoder, 'libx264');
});

test('bad values are refused with the variable named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be an integer/);
  assert.throws(() => loadConfig({ VIDEO_WIDTH: '641' }), /even/);
  assert.throws(() => loadConfig({ ENCODER: 'magic' }), ConfigError);
  assert.throws(() => loadConfig({ ICE_PORT_RANGE: '5-4' }), /ICE_PORT_RANGE/);
});

test('a config file is merged and unknown keys are rejected', () => {
  const c = loadConfig({ EDGEPLAY_CONFIG: 'x.json' }, () => JSON.stringify({ edge: { maxSessions: 9 } }));
  assert.equal(c.edge.maxSessions, 9);
  assert.equal(c.edge.video.fps, DEFAULT_CONFIG.edge.video.fps);
  assert.throws(() => loadConfig({ EDGEPLAY_CONFIG: 'x.json' }, () => '{"edge":{"maxSesions":9}}'), /unknown config key 'edge.maxSesions'/);
  assert.throws(() => loadConfig({ EDGEPLAY_CONFIG: 'x.json' }, () => '{'), /cannot read config file/);
});

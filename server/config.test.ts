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
  assert.throws(() => loadConfig({ DEMO_TITLE: 'no-such-title' }), /DEMO_TITLE must be one of paddle-demo, motion-bench/);
  assert.throws(() => loadConfig({ MOTION_BENCH_SEED: '-1' }), /MOTION_BENCH_SEED/);
  assert.throws(() => loadConfig({ MOTION_BENCH_SEED: '1.5' }), /MOTION_BENCH_SEED/);
  assert.throws(() => loadConfig({ JOIN_TIMEOUT_MS: '10' }), /JOIN_TIMEOUT_MS/);
  assert.throws(() => loadConfig({ PENDING_PLAYS_PER_ADDRESS: '0' }), /PENDING_PLAYS_PER_ADDRESS/);
});

test('the printed demo link can play the motion benchmark, with its seed', () => {
  const c = loadConfig({ DEMO_TITLE: 'motion-bench-heavy', MOTION_BENCH_SEED: '42' });
  assert.deepEqual([c.demo.titleId, c.demo.motionBenchSeed], ['motion-bench-heavy', 42]);
  assert.equal(loadConfig({}).demo.titleId, 'paddle-demo', 'players get the demo game by default');
});

test('a config file is merged and unknown keys are rejected', () => {
  const c = loadConfig({ EDGEPLAY_CONFIG: 'x.json' }, () => JSON.stringify({ edge: { maxSessions: 9 } }));
  assert.equal(c.edge.maxSessions, 9);
  assert.equal(c.edge.video.fps, DEFAULT_CONFIG.edge.video.fps);
  assert.throws(() => loadConfig({ EDGEPLAY_CONFIG: 'x.json' }, () => '{"edge":{"maxSesions":9}}'), /unknown config key 'edge.maxSesions'/);
  assert.throws(() => loadConfig({ EDGEPLAY_CONFIG: 'x.json' }, () => '{'), /cannot read config file/);
});

test('fleet settings come from the environment and secrets never reach the log', async () => {
  const { describeConfig } = await import('./config.ts');
  const c = loadConfig({
    BROKER_URL: 'http://b:8080',
    FLEET_SECRET: 'topsecret',
    EDGE_LAT: '48.8',
    EDGE_LON: '2.3',
    EDGE_TIER: 'enterprise',
    PUBLISHER_KEYS: 'acme:0123456789abcdef0123',
    LOCAL_EDGE: 'false',
  });
  assert.equal(c.fleet.brokerUrl, 'http://b:8080');
  assert.deepEqual(c.fleet.location, { lat: 48.8, lon: 2.3 });
  assert.equal(c.localEdge, false);
  const logged = JSON.stringify(describeConfig(c));
  assert.ok(!logged.includes('topsecret') && !logged.includes('0123456789abcdef0123'));
  assert.throws(() => loadConfig({ EDGE_LAT: '91' }), /EDGE_LAT/);
  assert.throws(() => loadConfig({ EDGE_TIER: 'gold' }), /EDGE_TIER/);
  assert.throws(() => loadConfig({ PUBLISHER_KEYS: 'acme:short' }), /PUBLISHER_KEYS/);
});

test('TURN: off by default; URLs, secret and lifetime from the environment; the secret never reaches the log', async () => {
  const { describeConfig } = await import('./config.ts');
  assert.deepEqual(loadConfig({}).turn.urls, [], 'no relay unless configured');
  const c = loadConfig({
    TURN_URLS: 'turn:relay.example:3478?transport=udp, turns:relay.example:443?transport=tcp',
    TURN_SECRET: 'relay-secret-0123456789',
    TURN_TTL_SECONDS: '900',
  });
  assert.deepEqual(c.turn.urls, ['turn:relay.example:3478?transport=udp', 'turns:relay.example:443?transport=tcp']);
  assert.equal(c.turn.ttlSeconds, 900);
  assert.equal(c.turn.local, false);
  assert.ok(!JSON.stringify(describeConfig(c)).includes('relay-secret-0123456789'));
  assert.equal(loadConfig({ TURN: 'local' }).turn.local, true, 'a local coturn needs nothing else');
  assert.throws(() => loadConfig({ TURN_URLS: 'turn:relay.example:3478' }), /TURN_URLS needs TURN_SECRET/);
  assert.throws(() => loadConfig({ TURN_URLS: 'http://relay.example', TURN_SECRET: 'relay-secret-0123456789' }), /TURN_URLS entries/);
  assert.throws(() => loadConfig({ TURN_URLS: 'turn:r', TURN_SECRET: 'short' }), /TURN_SECRET/);
  assert.throws(() => loadConfig({ TURN_TTL_SECONDS: '5' }), /TURN_TTL_SECONDS/);
});

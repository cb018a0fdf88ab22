import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PCM_CHUNK_BYTES,
  RECORDER_STREAM_NAME,
  findOnPath,
  parecArgs,
  programPulseEnv,
  pulseDaemonArgs,
  pulseDaemonEnv,
  recorderCreatedMarker,
  sinkClockRestartCommands,
} from './pulseArgs.ts';

test('20 ms of 48 kHz s16le stereo is 3840 bytes', () => {
  assert.equal(PCM_CHUNK_BYTES, 3840);
});

test('the daemon loads only a 48 kHz null sink, the session socket and the command socket, with no script, no autoexit, no module loading after', () => {
  const args = pulseDaemonArgs({ socketPath: '/s/native', cliSocketPath: '/s/cli', sinkName: 'snd' });
  assert.equal(args[0], '-n');
  for (const flag of ['--daemonize=no', '--exit-idle-time=-1', '--system=no', '--disable-shm=yes', '--use-pid-file=no', '--log-level=info']) {
    assert.ok(args.includes(flag), flag);
  }
  const modules = args.flatMap((a, i) => (args[i - 1] === '-L' ? [a] : []));
  assert.deepEqual(modules, [
    'module-null-sink sink_name=snd rate=48000 channels=2 format=s16le',
    'module-native-protocol-unix socket=/s/native auth-anonymous=1 auth-cookie-enabled=0',
    'module-cli-protocol-unix socket=/s/cli',
  ]);
  // Disallowing must come after the -L modules, or they would not load.
  assert.equal(args.at(-1), '--disallow-module-loading');
});

test("the daemon's environment keeps every path inside the session directory and reads no daemon.conf", () => {
  const env = pulseDaemonEnv('/tmp/p1', '/usr/bin:/bin');
  assert.equal(env.PULSE_CONFIG, '/dev/null');
  assert.equal(env.PATH, '/usr/bin:/bin');
  for (const key of ['HOME', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME', 'PULSE_RUNTIME_PATH', 'PULSE_STATE_PATH']) {
    assert.ok(env[key]?.startsWith('/tmp/p1'), key);
  }
  assert.match(env.DBUS_SESSION_BUS_ADDRESS ?? '', /^unix:path=\/tmp\/p1\//);
  assert.equal(
    Object.keys(env).some((k) => k === 'DISPLAY'),
    false,
    'no DISPLAY: D-Bus could autolaunch a bus through X11',
  );
});

test('the program gets an explicit server and sink', () => {
  assert.deepEqual(programPulseEnv('/tmp/p1/native', 'snd'), { PULSE_SERVER: 'unix:/tmp/p1/native', PULSE_SINK: 'snd' });
});

test("the recorder reads the sink's monitor as raw 48 kHz s16le stereo, named so the daemon's log shows it", () => {
  const args = parecArgs({ socketPath: '/s/native', sinkName: 'snd', latencyMs: 20 });
  for (const a of ['--server=unix:/s/native', '--device=snd.monitor', '--raw', '--format=s16le', '--rate=48000', '--channels=2', '--latency-msec=20']) {
    assert.ok(args.includes(a), a);
  }
  assert.ok(args.includes(`--stream-name=${RECORDER_STREAM_NAME}`));
  const logLine = `I: [pulseaudio] source-output.c: Created output 1 "${RECORDER_STREAM_NAME}" on snd.monitor with sample spec s16le 2ch 48000Hz`;
  assert.ok(logLine.includes(recorderCreatedMarker('snd')));
  assert.equal(logLine.includes(recorderCreatedMarker('other')), false);
});

test('the clock restart suspends, then resumes the sink (never "exit", which would stop the daemon)', () => {
  assert.deepEqual(sinkClockRestartCommands('snd'), ['suspend-sink snd 1', 'suspend-sink snd 0']);
});

test('findOnPath finds a file in the first PATH entry holding it, and nothing on an empty PATH', () => {
  assert.equal(findOnPath('sh', '/nonexistent-dir:/bin'), '/bin/sh');
  assert.equal(findOnPath('sh', ''), undefined);
  assert.equal(findOnPath('sh', undefined), undefined);
});

/**
 * Pure pieces of a session's private PulseAudio: the daemon's and the
 * recorder's command lines, the environments they and the program get, the
 * commands that restart the sink's clock.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** 48 kHz s16le stereo, as the AudioSource port and the Opus encoder expect. */
export const PCM_RATE_HZ = 48_000;
export const PCM_CHANNELS = 2;
export const PCM_BYTES_PER_MS = (PCM_RATE_HZ * PCM_CHANNELS * 2) / 1000; // 192
/** One Opus frame: 20 ms = 3840 bytes. */
export const PCM_CHUNK_BYTES = 20 * PCM_BYTES_PER_MS;

export const DEFAULT_SINK_NAME = 'edgeplay';

/** The line pulseaudio writes (at log level info) once every module is loaded and it serves clients. */
export const PULSE_READY_LINE = 'Daemon startup complete.';

/** media.name of the recorder's stream, so the daemon's log line for it can be recognised. */
export const RECORDER_STREAM_NAME = 'edgeplay-session-audio';

export type PulseDaemonArgsOptions = { socketPath: string; cliSocketPath: string; sinkName: string };

export function pulseDaemonArgs(o: PulseDaemonArgsOptions): string[] {
  return [
    // -n: no default.pa script; only the two modules below are loaded.
    '-n',
    // In the foreground so the process group can stop it; never exit on idle (the program may be quiet for minutes).
    '--daemonize=no',
    '--exit-idle-time=-1',
    '--use-pid-file=no',
    // Explicitly a per-user instance: as root it warns "not intended to be run as root" and carries on.
    '--system=no',
    // No shared memory between sessions' clients and daemons; no rtkit/dbus for realtime priority.
    '--disable-shm=yes',
    '--realtime=no',
    '--high-priority=no',
    // info: needed for the readiness line (PULSE_READY_LINE); the stream of lines stays small (one per client).
    '--log-target=stderr',
    '--log-level=info',
    '-L',
    `module-null-sink sink_name=${o.sinkName} rate=${PCM_RATE_HZ} channels=${PCM_CHANNELS} format=s16le`,
    // Anonymous auth on a socket inside the session's 0700 directory: only this edge's user reaches it.
    '-L',
    `module-native-protocol-unix socket=${o.socketPath} auth-anonymous=1 auth-cookie-enabled=0`,
    // The text command socket the sink uses to restart its clock (see sinkClockRestartCommands); never given to the program.
    '-L',
    `module-cli-protocol-unix socket=${o.cliSocketPath}`,
    // After the two modules above, clients (the program) cannot load more (e.g. a network sink).
    '--disallow-module-loading',
  ];
}

/**
 * The daemon's whole environment: everything it could read or write (runtime
 * dir, state, user config, cookie) points into the session's directory;
 * PULSE_CONFIG=/dev/null skips every daemon.conf; a D-Bus address that
 * cannot exist stops it from autolaunching a bus.
 */
export function pulseDaemonEnv(dir: string, pathEnv: string): Record<string, string> {
  return {
    PATH: pathEnv,
    HOME: dir,
    XDG_RUNTIME_DIR: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_STATE_HOME: join(dir, 'state'),
    PULSE_CONFIG: '/dev/null',
    PULSE_RUNTIME_PATH: join(dir, 'runtime'),
    PULSE_STATE_PATH: join(dir, 'state'),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-dbus')}`,
  };
}

/** What a program needs to play into the session's sink. An explicit server also means libpulse never autospawns a daemon. */
export function programPulseEnv(socketPath: string, sinkName: string): Record<string, string> {
  return { PULSE_SERVER: `unix:${socketPath}`, PULSE_SINK: sinkName };
}

/**
 * The daemon's log line (level info) once the recorder's stream exists on the
 * monitor: from then on the sink renders in the recorder's 20 ms blocks.
 */
export function recorderCreatedMarker(sinkName: string): string {
  return `"${RECORDER_STREAM_NAME}" on ${sinkName}.monitor`;
}

/**
 * Why the sink's clock is restarted once the recorder is attached: a null
 * sink renders one block ahead, and its block is its maximum latency (2 s)
 * until some stream asks for less. The 2 s block rendered at startup keeps
 * its deadline when the recorder arrives, so without a restart the monitor
 * gives nothing for up to 2 s, and a program writing on its own clock in
 * that time is heard up to 2 s late for good (measured: 2 s). A new program
 * stream cannot fix it: a rewind reaches back one (20 ms) block only.
 * Suspending and resuming restarts the clock at "now" with the recorder's
 * 20 ms block (measured: first chunk 60-90 ms after the daemon's spawn).
 */
export function sinkClockRestartCommands(sinkName: string): string[] {
  return [`suspend-sink ${sinkName} 1`, `suspend-sink ${sinkName} 0`];
}

export type ParecArgsOptions = { socketPath: string; sinkName: string; latencyMs: number };

/** Records the sink's monitor as raw 48 kHz s16le stereo on stdout. */
export function parecArgs(o: ParecArgsOptions): string[] {
  return [
    `--server=unix:${o.socketPath}`,
    `--device=${o.sinkName}.monitor`,
    '--raw',
    '--format=s16le',
    `--rate=${PCM_RATE_HZ}`,
    `--channels=${PCM_CHANNELS}`,
    // The fragment size the server sends in: it is also the null sink's render block, so it sets the capture latency.
    `--latency-msec=${o.latencyMs}`,
    '--client-name=edgeplay-recorder',
    `--stream-name=${RECORDER_STREAM_NAME}`,
  ];
}

/** The first directory on PATH holding a file named `name`, or undefined. */
export function findOnPath(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * Issue 18.1: one unauthenticated request used to kill `npm start` and
 * `npm run edge` (an upgrade whose target is not a URL threw in the upgrade
 * handler). Both entry points run here as an operator starts them; garbage
 * upgrade targets are sent over raw sockets, and each process must answer
 * them with an HTTP error and go on serving.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startEntry, type Started } from '../e2e/support/processes.ts';
import { must } from '../protocol/must.ts';

const SECRET = 'hostile-upgrade-test-secret';
const QUIET = { LOG_LEVEL: 'warn', VIDEO_WIDTH: '320', VIDEO_HEIGHT: '180', VIDEO_FPS: '15', WARM_ENCODERS: '0' };
let stack: Started;
let edge: Started;
let stackPort: number;
let edgePort: number;

/** Request targets that are not URLs, or not ones anybody serves. */
const HOSTILE_TARGETS = ['http://[/', 'http://[::1', '//', 'http://', '%', '/%zz', '*', `/${'a'.repeat(9000)}`, 'http://x:99999/', '/edge/signal/../../x'];

/** Sends one raw upgrade request; resolves with the status line (or '' if the socket was closed unanswered). */
function rawUpgrade(port: number, target: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = () => resolve(reply.split('\r\n')[0] ?? '');
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (d) => (reply += d.toString('latin1')));
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
  });
}

before(async () => {
  stack = await startEntry({
    entry: 'server/main.ts',
    env: { ...QUIET, PORT: '0', HOST: '127.0.0.1', FLEET_SECRET: SECRET },
    ready: /Play the demo: (http\S+)/,
    timeoutMs: 60_000,
  });
  stackPort = Number(new URL(must(stack.match[1], 'stack.match[1]')).port);
  edge = await startEntry({
    entry: 'server/edgeMain.ts',
    env: { ...QUIET, PORT: '0', HOST: '127.0.0.1', EDGE_ID: 'hostile-edge', FLEET_SECRET: SECRET, BROKER_URL: `http://127.0.0.1:${stackPort}` },
    ready: /listening on (http\S+),/,
    timeoutMs: 60_000,
  });
  edgePort = Number(new URL(must(edge.match[1], 'edge.match[1]')).port);
});
after(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when the set-up hook failed
  await edge?.stop();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when the set-up hook failed
  await stack?.stop();
});

for (const [name, port, page] of [
  ['npm start (broker + local edge)', () => stackPort, '/play/demo'],
  ['npm run edge (stand-alone edge)', () => edgePort, '/edge/health'],
] as const) {
  test(`${name}: garbage upgrade targets get an HTTP error and the process goes on serving`, async () => {
    for (const target of HOSTILE_TARGETS) {
      const status = await rawUpgrade(port(), target);
      assert.match(status, /^HTTP\/1\.1 (400|404|414|431)/, `target ${target.slice(0, 40)} got "${status}"`);
    }
    // The first target, exactly as in the issue, a second time: still alive.
    assert.match(await rawUpgrade(port(), 'http://[/'), /^HTTP\/1\.1 400/);
    const res = await fetch(`http://127.0.0.1:${port()}${page}`);
    assert.equal(res.status, 200);
    const child = name.startsWith('npm start') ? stack : edge;
    assert.equal(child.process.exitCode, null, `exited:\n${child.output().slice(-2000)}`);
    assert.doesNotMatch(child.output(), /uncaught|Invalid URL/);
  });
}

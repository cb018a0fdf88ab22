import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { InputEvent } from '../../../protocol/index.ts';
import { CdpClient } from './cdpClient.ts';
import { devToolsActivePortFile, parseDevToolsActivePort } from './chromiumArgs.ts';
import { PhoneSource } from './phoneSource.ts';

// A modest size to spare the 2 cores; the default 720x1280 was checked and measured by hand.
const W = 360;
const H = 640;
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ffmpegPath = process.env.FFMPEG_PATH ?? 'ffmpeg';
const shellHtml = readFileSync(new URL('./fixtures/shell.html', import.meta.url));

type Entry = {
  type: string;
  inputTs: number;
  touches?: number;
  changed?: number;
  ids?: number[];
  changedIds?: number[];
  x?: number;
  y?: number;
  key?: string;
  code?: string;
  keyCode?: number;
  action?: string;
  value?: string;
};
type ShellState = {
  log: Entry[];
  inputTs: number;
  note: string | null;
  value: string;
  focused: string;
  hasFocus: boolean;
  ua: string;
  mobile?: boolean;
  maxTouchPoints: number;
  width: number;
  height: number;
  dpr: number;
  name: string | null;
};

let server: Server;
let otherServer: Server;
/** Every phone loads the shell from one fixed origin, mapped to whichever server is given (PHONE_SHELL_ORIGIN). */
const shellUrl = 'http://phone.edgeplay.localhost/phone-shell/index.html?name=Ada';
let shellServer: string;
let otherShellServer: string;
const dirs: string[] = [];
const sources: PhoneSource[] = [];

async function shellServerOn(): Promise<[Server, string]> {
  const srv = createServer((req, res) => {
    if (!req.url?.startsWith('/phone-shell/index.html')) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end(shellHtml);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return [srv, `127.0.0.1:${(srv.address() as { port: number }).port}`];
}

before(async () => {
  [server, shellServer] = await shellServerOn();
  // A second server on another port: an edge restarted on a new port must not lose its phones' data.
  [otherServer, otherShellServer] = await shellServerOn();
});

after(async () => {
  await Promise.all(sources.map((s) => s.stop()));
  server.close();
  otherServer.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
const pgrep = (pattern: string): string[] => {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // exit code 1: nothing matched
  }
};

function newDataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'edgeplay-phone-test-'));
  dirs.push(d);
  return d;
}

function phone(dataDir: string, onFrame: (f: Buffer) => void = () => undefined, server = shellServer): PhoneSource {
  const src = new PhoneSource({ dataDir, shellUrl, shellServer: server, instanceName: 'Ada', width: W, height: H, fps: 15, ffmpegPath, chromiumPath, logger });
  sources.push(src);
  src.start((f) => onFrame(f));
  return src;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const state = async (src: PhoneSource) => (await src.evaluate('window.phoneShell.state()')) as ShellState;
/** `ready` means attached and capturing; the shell's script may still be loading. */
const shellLoaded = async (src: PhoneSource) => {
  await src.ready;
  await waitFor('the shell script', async () => (await src.evaluate('!!window.phoneShell')) || undefined);
};

/** Distinct, increasing, plausible client timestamps, so each logged event can be matched to the ts it saw. */
let lastTs = Date.now();
const ts = () => ++lastTs;

async function stopAndCheckGone(src: PhoneSource, dataDir: string): Promise<number> {
  const pids = src.pids();
  assert.ok(pids.length >= 3, 'Xvfb, Chromium and ffmpeg (and PulseAudio when installed)');
  const t0 = Date.now();
  await src.stop();
  const ms = Date.now() - t0;
  for (const pid of pids) await waitFor(`pid ${pid} to exit`, () => !alive(pid) || undefined, 3000);
  assert.deepEqual(pgrep(dataDir), [], `processes still running on ${dataDir}`);
  return ms;
}

test('a phone: frames at its size, mobile emulation, touch, multi-touch, text, keys, nav, stamps, persistence and isolation', async () => {
  const dataDir = newDataDir();
  let frames = 0;
  let badSize = 0;
  const a = phone(dataDir, (f) => {
    frames++;
    if (f.length !== (W * H * 3) / 2) badSize++;
  });
  a.applyInput({ t: 'touch', ts: ts(), phase: 'start', id: 0, x: 0.5, y: 0.5 });
  assert.equal(a.stats.inputDropped, 1, 'input before the page is attached is dropped and counted');
  await shellLoaded(a);
  await waitFor('a few frames', () => frames >= 3 || undefined);
  assert.equal(badSize, 0, 'every frame is a 360x640 yuv420p picture');

  const s0 = await state(a);
  assert.equal(s0.width, W);
  assert.equal(s0.height, H);
  assert.equal(s0.dpr, 1);
  assert.equal(s0.maxTouchPoints, 5);
  assert.match(s0.ua, /Android.*Edgeplay.*Mobile/);
  assert.equal(s0.mobile, true, 'user-agent client hints say mobile');
  assert.equal(s0.name, 'Ada');
  assert.equal(s0.note, null, 'a fresh profile');

  const send = (ev: InputEvent) => a.applyInput(ev);
  const entries = async (type: string, n = 1) =>
    waitFor(`${n} ${type}`, async () => {
      const found = (await state(a)).log.filter((e) => e.type === type);
      return found.length >= n ? found : undefined;
    });

  // One finger at the centre: a touchstart there; it lands on the text field, which takes the focus.
  const tap = ts();
  send({ t: 'touch', ts: tap, phase: 'start', id: 0, x: 0.5, y: 0.5 });
  send({ t: 'touch', ts: ts(), phase: 'end', id: 0, x: 0.5, y: 0.5 });
  const [start] = await entries('touchstart');
  assert.equal(start?.touches, 1);
  assert.ok(Math.abs((start.x ?? 0) - W / 2) <= 1 && Math.abs((start.y ?? 0) - H / 2) <= 1, `touch at ${start.x},${start.y}`);
  assert.equal(start.inputTs, tap, 'setInputTs(ts) ran before the touch with that ts reached the page');
  await waitFor('the text field focused by the tap', async () => (await state(a)).focused === 'note' || undefined);

  // Two fingers: the second start is a two-finger touch; lifting one leaves one.
  send({ t: 'touch', ts: ts(), phase: 'start', id: 1, x: 0.25, y: 0.2 });
  const second = ts();
  send({ t: 'touch', ts: second, phase: 'start', id: 2, x: 0.75, y: 0.8 });
  send({ t: 'touch', ts: ts(), phase: 'move', id: 1, x: 0.3, y: 0.25 });
  send({ t: 'touch', ts: ts(), phase: 'end', id: 1, x: 0.3, y: 0.25 });
  send({ t: 'touch', ts: ts(), phase: 'move', id: 9, x: 0.1, y: 0.1 }); // unknown finger: ignored
  send({ t: 'touch', ts: ts(), phase: 'end', id: 2, x: 0.75, y: 0.8 });
  const starts = await entries('touchstart', 3);
  assert.equal(starts[2]?.touches, 2, 'two fingers down reach the page as one two-finger touch');
  assert.equal(starts[2].inputTs, second);
  assert.ok(Math.abs((starts[2].x ?? 0) - 0.75 * W) <= 1, 'the changed touch is the second finger');
  const ends = await entries('touchend', 3);
  assert.deepEqual(starts[2].ids, [1, 2], "the page sees the player's finger ids");
  assert.deepEqual(
    ends.slice(1).map((e) => [e.changedIds, e.ids]),
    [
      [[1], [2]],
      [[2], []],
    ],
    'the lifted finger is the one lifted; the other stays',
  );

  // Text into the focused field, then keys: Backspace, and Shift+A typing "A".
  const typed = ts();
  send({ t: 'text', ts: typed, text: 'hello' });
  for (const [code, down] of [
    ['Backspace', true],
    ['Backspace', false],
    ['ShiftLeft', true],
    ['KeyA', true],
    ['KeyA', false],
    ['ShiftLeft', false],
  ] as const) {
    send({ t: 'key', ts: ts(), code, down });
  }
  await waitFor('the typed note', async () => (await state(a)).value === 'hellA' || undefined);
  const s1 = await state(a);
  assert.equal(s1.note, 'hellA', 'the shell saved the note to localStorage');
  const input = s1.log.find((e) => e.type === 'input');
  assert.equal(input?.inputTs, typed, 'setInputTs ran before the text');
  const keyA = s1.log.find((e) => e.type === 'keydown' && e.code === 'KeyA');
  assert.deepEqual([keyA?.key, keyA?.keyCode], ['A', 65]);

  // System navigation goes to the shell.
  const nav = ts();
  send({ t: 'nav', ts: nav, action: 'home' });
  const [navEntry] = await entries('nav');
  assert.deepEqual([navEntry?.action, navEntry?.inputTs], ['home', nav]);

  // Every event the page logged saw its own ts or a later one, never an earlier one.
  const s2 = await state(a);
  const sent = new Set<number>();
  for (let t = tap; t <= lastTs; t++) sent.add(t);
  for (const e of s2.log) assert.ok(e.inputTs >= tap && sent.has(e.inputTs), `${e.type} saw ts ${e.inputTs}`);
  // One job per discrete event, each after the previous was acknowledged: every one saw a newer ts than the one before.
  const discrete = s2.log.filter((e) => ['touchstart', 'touchend', 'keydown', 'keyup', 'nav'].includes(e.type)).map((e) => e.inputTs);
  assert.equal(discrete.length, 3 + 3 + 6 + 1, 'touchstarts, touchends, keys, nav');
  discrete.forEach((t, i) => i > 0 && assert.ok(t > (discrete[i - 1] ?? 0), `event ${i} saw ts ${t} after ${discrete[i - 1]}`));
  assert.equal(a.stats.inputErrors, 0);

  // Graceful stop, then the same data directory again, served from another port: the note is still there.
  const stopMs = await stopAndCheckGone(a, dataDir);
  assert.ok(stopMs < 4000, `graceful stop took ${stopMs} ms`);
  const again = phone(dataDir, undefined, otherShellServer);
  const other = phone(newDataDir());
  await Promise.all([shellLoaded(again), shellLoaded(other)]);
  assert.equal((await state(again)).note, 'hellA', 'localStorage survived the stop and a new server port (profile in the data dir, fixed origin)');
  assert.equal((await state(other)).note, null, 'another data dir is another phone');
  const shared = again.pids().filter((p) => other.pids().includes(p));
  assert.deepEqual(shared, [], 'no process shared between the two phones');
  await stopAndCheckGone(again, dataDir);
});

test('a crashed shell page is reloaded as a phone; a killed Chromium fails the source and leaves nothing behind', async () => {
  const dataDir = newDataDir();
  const src = phone(dataDir);
  await shellLoaded(src);
  const failed: string[] = [];
  src.onFailed((r) => failed.push(r));

  // Crash the renderer from a second DevTools client, as a bug in the shell would.
  const endpoint = parseDevToolsActivePort(readFileSync(devToolsActivePortFile(join(dataDir, 'chromium')), 'utf8'));
  assert.ok(endpoint);
  const probe = await CdpClient.connect(`ws://127.0.0.1:${endpoint.port}${endpoint.browserPath}`);
  try {
    const { targetInfos } = await probe.send('Target.getTargets', {});
    const page = targetInfos.find((t) => t.type === 'page');
    assert.ok(page);
    const { sessionId } = await probe.send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
    await probe.send('Page.crash', {}, { sessionId }).catch(() => undefined); // answered with an error: the page is gone
  } finally {
    probe.close();
  }
  await waitFor('the crash to be seen', () => src.stats.pageCrashes === 1 || undefined);
  const s = await waitFor('the reloaded shell', async () => (await state(src).catch(() => undefined)) ?? undefined, 8000);
  assert.deepEqual([s.width, s.maxTouchPoints], [W, 5], 'the reloaded page is still a phone');
  assert.deepEqual(failed, []);

  // Now kill Chromium itself.
  const pids = src.pids();
  const chromium = pids.find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--user-data-dir'));
  assert.ok(chromium);
  process.kill(chromium, 'SIGKILL');
  await waitFor('the failure', () => failed[0]);
  assert.match(String(failed.at(0)), /program exited|DevTools connection/);
  await src.stop();
  for (const pid of pids) await waitFor(`pid ${pid} to exit`, () => !alive(pid) || undefined, 3000);
  await waitFor('no process on the data dir', () => pgrep(dataDir).length === 0 || undefined, 3000);
});

test('stopped before it started: nothing runs, stopping twice is one stop, ready rejects', async () => {
  const src = new PhoneSource({ dataDir: newDataDir(), shellUrl, instanceName: 'Ada', width: W, height: H, fps: 15, ffmpegPath, chromiumPath, logger });
  const first = src.stop();
  assert.equal(src.stop(), first);
  await first;
  src.start(() => assert.fail('no frame expected'));
  await assert.rejects(src.ready);
  assert.deepEqual(src.pids(), []);
  assert.throws(() => new PhoneSource({ dataDir: 'relative/dir', shellUrl, instanceName: 'x', fps: 15, ffmpegPath, logger }), /absolute/);
});

/**
 * A cloud-phone instance as a session's frame source: the phone shell web
 * app in Chromium (kiosk window = the whole screen), run as the program of a
 * ProgramSource (own Xvfb, x11grab capture, process group, crash and hang
 * watch), and driven over the DevTools protocol: mobile emulation on the
 * page, and the player's input replayed as real touch, key and mouse events.
 *
 * The instance's data is Chromium's profile in `<dataDir>/chromium`, so what
 * the phone keeps (notes in localStorage, IndexedDB, cookies) survives a
 * stop. That needs a graceful stop: Browser.close makes Chromium flush its
 * storage; a SIGTERM to the group would also kill the storage service
 * process that holds unwritten data.
 *
 * No stamp is drawn over the capture: the shell draws the latency stamp
 * itself, so measured latency includes Chromium's rendering and the capture.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import type { InputEvent } from '../../../protocol/index.ts';
import type { AudioSource, FrameSource } from '../../edge/ports.ts';
import type { ChildGroupRegistry } from '../../../encoder/supervisedChild.ts';
import { ProgramSource } from '../x11/programSource.ts';
import { CdpClient } from './cdpClient.ts';
import {
  buildChromiumArgs,
  devToolsActivePortFile,
  mobileUserAgent,
  mobileUserAgentMetadata,
  parseChromiumVersion,
  parseDevToolsActivePort,
} from './chromiumArgs.ts';
import { InputMapper, type CdpCall } from './inputMapper.ts';
import { InputQueue } from './inputQueue.ts';
import { applyPhonePrefs } from './profilePrefs.ts';
import { ShellPages } from './shellPages.ts';

export type PhoneSourceOptions = {
  /** The instance's persistent directory (absolute); Chromium's profile lives in `<dataDir>/chromium`. */
  dataDir: string;
  /** The phone shell page (`…/phone-shell/index.html?name=…`). */
  shellUrl: string;
  /**
   * "host:port" that serves the shell when `shellUrl`'s host is a fixed name
   * (PHONE_SHELL_ORIGIN): Chromium maps that name there, so the phone's origin,
   * and with it its data, does not depend on the edge's port.
   */
  shellServer?: string;
  instanceName: string;
  width?: number;
  height?: number;
  fps: number;
  ffmpegPath: string;
  logger: Logger;
  chromiumPath?: string;
  /** How long Chromium may take to open DevTools and show a page (default 20 s). */
  startTimeoutMs?: number;
  /** How long a graceful stop waits for Chromium to exit before it is killed (default 3 s). */
  closeTimeoutMs?: number;
  /** Where every process group of the instance is recorded while it lives (the edge's leftovers). */
  children?: ChildGroupRegistry;
};

export type PhoneSourceStats = {
  /** Input events that arrived before the page was attached, or while stopping. */
  inputDropped: number;
  inputSent: number;
  inputCoalesced: number;
  inputErrors: number;
  pageCrashes: number;
};

/** Full Chromium versions learnt from DevTools, by binary: the next start's user agent names the right one. */
const knownVersions = new Map<string, string>();
/** Used only until a version is known (a fresh profile on the first start of a process); DevTools then sets the exact one. */
const FALLBACK_MAJOR = 156;
const INPUT_TIMEOUT_MS = 2000;

export class PhoneSource implements FrameSource {
  /** Resolves when the first frame is captured and the shell page is attached and emulated; rejects if the source fails first. */
  readonly ready: Promise<void>;
  private readonly inner: ProgramSource;
  private readonly width: number;
  private readonly height: number;
  private readonly chromiumPath: string;
  private readonly userDataDir: string;
  private readonly mapper: InputMapper;
  private readonly queue: InputQueue;
  private readonly log: Logger;
  private cdp: CdpClient | undefined;
  private pages: ShellPages | undefined;
  private started = false;
  private stopping: Promise<void> | undefined;
  private failure: string | undefined;
  private readonly failedHandlers: Array<(reason: string) => void> = [];
  private inputDropped = 0;
  private startedAtMs = 0;
  private firstFrameMs: number | undefined;
  private firstFrame!: () => void;
  private attached!: () => void;
  private notReady!: (err: Error) => void;
  /** Set while stopping: a failure ProgramSource reports then is part of the stop. */
  private closingBrowser = false;

  constructor(private readonly o: PhoneSourceOptions) {
    if (!isAbsolute(o.dataDir)) throw new Error(`phone dataDir must be absolute, got ${JSON.stringify(o.dataDir)}`);
    this.width = o.width ?? 720;
    this.height = o.height ?? 1280;
    this.chromiumPath = o.chromiumPath ?? '/usr/bin/chromium';
    this.userDataDir = join(o.dataDir, 'chromium');
    this.log = o.logger.child({ module: 'phone-source', instance: o.instanceName });
    const frame = new Promise<void>((resolve) => (this.firstFrame = resolve));
    const page = new Promise<void>((resolve) => (this.attached = resolve));
    const failed = new Promise<never>((_, reject) => (this.notReady = reject));
    this.ready = Promise.race([Promise.all([frame, page]).then(() => undefined), failed]);
    this.ready.catch(() => undefined); // nobody has to wait for it: not an unhandled rejection

    const args = buildChromiumArgs({
      shellUrl: o.shellUrl,
      userDataDir: this.userDataDir,
      // One pixel more than the screen: Chromium under X shrinks a window the size of the screen by
      // 1 px (measured: 359x639 for 360x640), leaving a black row and column. Emulation sets the exact viewport.
      width: this.width + 1,
      height: this.height + 1,
      userAgent: mobileUserAgent(majorOf(this.guessVersion())),
      asRoot: process.getuid?.() === 0,
      ...(o.shellServer ? { hostRules: `MAP ${new URL(o.shellUrl).hostname} ${o.shellServer}` } : {}),
    });
    this.inner = new ProgramSource({
      program: { command: this.chromiumPath, args },
      width: this.width,
      height: this.height,
      fps: o.fps,
      ffmpegPath: o.ffmpegPath,
      logger: o.logger.child({ instance: o.instanceName }),
      stamp: false,
      children: o.children,
    });
    this.inner.onFailed((reason) => {
      if (this.closingBrowser) return;
      this.fail(reason);
    });
    this.mapper = new InputMapper({ width: this.width, height: this.height });
    this.queue = new InputQueue(
      (call) => this.sendToPage(call),
      (err, call) => this.log.debug({ err: err.message, method: call.method }, 'input command failed'),
    );
  }

  /** The phone's sound (ProgramSource's PulseAudio sink), once ProgramSource has one. */
  get audio(): AudioSource | undefined {
    return (this.inner as { audio?: AudioSource }).audio;
  }

  /** Xvfb, Chromium (the leader of its process group), the capture, and PulseAudio's when there is sound. */
  pids(): number[] {
    return this.inner.pids();
  }

  get stats(): PhoneSourceStats {
    const q = this.queue.stats;
    return {
      inputDropped: this.inputDropped + q.dropped,
      inputSent: q.sent,
      inputCoalesced: q.coalesced,
      inputErrors: q.errors,
      pageCrashes: this.pages?.crashCount ?? 0,
    };
  }

  onFailed(cb: (reason: string) => void): void {
    this.failedHandlers.push(cb);
    if (this.failure !== undefined) cb(this.failure);
  }

  start(onFrame: (frame: Buffer, producedAtMs: number) => void): void {
    if (this.started) throw new Error('PhoneSource started twice');
    this.started = true;
    if (this.stopping) return;
    try {
      mkdirSync(this.userDataDir, { recursive: true, mode: 0o700 });
      // A port file left by a killed Chromium would point us at a dead (or someone else's) port.
      rmSync(devToolsActivePortFile(this.userDataDir), { force: true });
      // Singleton locks of a killed run (another host name in a new container) make Chromium refuse its own profile.
      for (const f of ['SingletonLock', 'SingletonSocket', 'SingletonCookie']) rmSync(join(this.userDataDir, f), { force: true });
      applyPhonePrefs(this.userDataDir);
    } catch (err) {
      return this.fail(`could not prepare the profile: ${(err as Error).message}`);
    }
    this.startedAtMs = Date.now();
    this.inner.start((frame, at) => {
      if (this.firstFrameMs === undefined) {
        this.firstFrameMs = at - this.startedAtMs;
        this.firstFrame();
      }
      onFrame(frame, at);
    });
    this.connect().catch((err: Error) => this.fail(`could not drive Chromium: ${err.message}`));
  }

  applyInput(ev: InputEvent): void {
    if (this.stopping || this.failure !== undefined || !this.pages?.sessionId) return void this.inputDropped++;
    const job = this.mapper.map(ev);
    if (job) this.queue.push(job);
  }

  /** The player left: lift what they held down, or the next tap would arrive as a second finger. */
  releaseInput(): void {
    if (this.stopping || this.failure !== undefined || !this.pages?.sessionId) return;
    const calls = this.mapper.releaseAll();
    if (calls.length > 0) this.queue.push({ ts: 0, calls });
  }

  /** Evaluates an expression in the shell page and returns its value (for the edge and tests). */
  async evaluate(expression: string): Promise<unknown> {
    const sessionId = this.pages?.sessionId;
    if (!this.cdp || !sessionId) throw new Error('the shell page is not attached');
    const r = await this.cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, { sessionId });
    if (r.exceptionDetails) throw new Error(`page threw: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  }

  /**
   * Graceful: Browser.close (Chromium writes its profile out and exits), up to
   * `closeTimeoutMs`; then ProgramSource stops the process group, capture and
   * Xvfb. Chromium's exit meanwhile is no failure. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const t0 = Date.now();
      this.queue.close();
      let graceful = false;
      if (this.cdp?.isOpen) {
        this.closingBrowser = true;
        const gone = this.inner.expectExit();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.o.closeTimeoutMs ?? 3000)));
        try {
          await this.cdp.send('Browser.close', {}, { timeoutMs: 1000 });
          graceful = await Promise.race([gone.then(() => true), timeout.then(() => false)]);
        } catch (err) {
          this.log.warn({ err: (err as Error).message }, 'Browser.close failed');
        } finally {
          clearTimeout(timer);
        }
      }
      this.closingBrowser = true;
      this.cdp?.close();
      await this.inner.stop();
      this.notReady(new Error(this.failure ?? 'stopped before ready'));
      this.log.info({ graceful, ms: Date.now() - t0 }, 'phone stopped');
    })();
    return this.stopping;
  }

  private async connect(): Promise<void> {
    const deadline = Date.now() + (this.o.startTimeoutMs ?? 20_000);
    const portFile = devToolsActivePortFile(this.userDataDir);
    let endpoint: { port: number; browserPath: string } | undefined;
    while (!endpoint) {
      if (this.stopping || this.failure !== undefined) return;
      if (Date.now() > deadline) throw new Error(`no DevToolsActivePort after ${this.o.startTimeoutMs ?? 20_000} ms`);
      endpoint = parseDevToolsActivePort(await readFile(portFile, 'utf8').catch(() => ''));
      if (!endpoint) await new Promise((r) => setTimeout(r, 25));
    }
    const devToolsMs = Date.now() - this.startedAtMs;
    const cdp = await CdpClient.connect(`ws://127.0.0.1:${endpoint.port}${endpoint.browserPath}`);
    if (this.stopping || this.failure !== undefined) {
      cdp.close();
      return;
    }
    this.cdp = cdp;
    cdp.onClose((why) => this.fail(why));
    const { product } = await cdp.send('Browser.getVersion', {});
    const version = parseChromiumVersion(product);
    if (version) knownVersions.set(this.chromiumPath, version);
    this.pages = await ShellPages.attach(
      cdp,
      {
        emulation: {
          width: this.width,
          height: this.height,
          userAgent: mobileUserAgent(majorOf(version)),
          userAgentMetadata: version ? mobileUserAgentMetadata(version) : undefined,
        },
        logger: this.log,
        onGiveUp: (why) => this.fail(why),
        onChange: () => {
          // The page that gets input changed: what the old one had held down means nothing to it.
          this.queue.clear();
          this.mapper.releaseAll();
        },
      },
      Math.max(1000, deadline - Date.now()),
    );
    this.attached();
    // Cold start in parts: when the picture came, when Chromium opened DevTools, when the page became a phone.
    const attachedMs = Date.now() - this.startedAtMs;
    this.log.info({ pids: this.pids(), version, firstFrameMs: this.firstFrameMs, devToolsMs, attachedMs }, 'phone running');
  }

  private sendToPage(call: CdpCall): Promise<unknown> {
    const sessionId = this.pages?.sessionId;
    if (!this.cdp || !sessionId) return Promise.reject(new Error('no page'));
    // CdpCall pairs each method with its parameters; send's signature cannot follow that pairing through a union.
    const send = this.cdp.send.bind(this.cdp) as (m: string, p: unknown, o: { sessionId: string; timeoutMs: number }) => Promise<unknown>;
    return send(call.method, call.params, { sessionId, timeoutMs: INPUT_TIMEOUT_MS });
  }

  /** Best guess before DevTools answers: this process learnt it, or the profile's "Last Version" file says it. */
  private guessVersion(): string | undefined {
    const known = knownVersions.get(this.chromiumPath);
    if (known) return known;
    try {
      return parseChromiumVersion(readFileSync(join(this.userDataDir, 'Last Version'), 'utf8'));
    } catch {
      return undefined;
    }
  }

  private fail(reason: string): void {
    if (this.failure !== undefined || this.stopping) return;
    this.failure = reason;
    this.log.warn({ reason }, 'phone failed');
    this.notReady(new Error(reason));
    for (const h of this.failedHandlers) h(reason);
    void this.stop();
  }
}

function majorOf(version: string | undefined): number {
  const major = Number(version?.split('.')[0]);
  return Number.isInteger(major) && major > 0 ? major : FALLBACK_MAJOR;
}

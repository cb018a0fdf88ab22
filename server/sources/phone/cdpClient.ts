/**
 * A small Chrome DevTools Protocol client over one WebSocket (the browser
 * endpoint), with flattened sessions: a command or event for a page carries
 * that page's `sessionId` (Target.attachToTarget with `flatten: true`), so
 * one socket serves the browser and all its pages, in order.
 *
 * Only the commands and events Edgeplay uses are typed (CdpCommands,
 * CdpEvents); the shapes follow https://chromedevtools.github.io/devtools-protocol/.
 * Every command has a timeout; `post()` is the hot-path variant that does not
 * wait for the answer but still reports failures to one error callback.
 */
import WebSocket from 'ws';

export type TargetInfo = { targetId: string; type: string; title: string; url: string; attached: boolean; browserContextId?: string };
export type TouchPoint = { x: number; y: number; id: number; radiusX?: number; radiusY?: number; force?: number };
export type RemoteObject = { type: string; subtype?: string; value?: unknown; description?: string };
export type ExceptionDetails = { text: string; exception?: RemoteObject };
export type UserAgentMetadata = {
  brands: Array<{ brand: string; version: string }>;
  fullVersionList: Array<{ brand: string; version: string }>;
  platform: string;
  platformVersion: string;
  architecture: string;
  model: string;
  mobile: boolean;
};
export type MouseButton = 'none' | 'left' | 'middle' | 'right' | 'back' | 'forward';

type Cmd<P, R> = { params: P; result: R };
type Empty = Record<string, never>;

/** Commands we send, with their parameters and results. */
export type CdpCommands = {
  'Browser.getVersion': Cmd<Empty, { protocolVersion: string; product: string; userAgent: string; jsVersion: string }>;
  'Browser.close': Cmd<Empty, Empty>;
  'Target.getTargets': Cmd<Empty, { targetInfos: TargetInfo[] }>;
  'Target.setDiscoverTargets': Cmd<{ discover: boolean }, Empty>;
  'Target.attachToTarget': Cmd<{ targetId: string; flatten: true }, { sessionId: string }>;
  'Runtime.evaluate': Cmd<
    { expression: string; returnByValue?: boolean; awaitPromise?: boolean; userGesture?: boolean },
    { result: RemoteObject; exceptionDetails?: ExceptionDetails }
  >;
  'Page.reload': Cmd<{ ignoreCache?: boolean }, Empty>;
  /** Crashes the renderer (tests of crash recovery). */
  'Page.crash': Cmd<Empty, Empty>;
  'Emulation.setDeviceMetricsOverride': Cmd<{ width: number; height: number; deviceScaleFactor: number; mobile: boolean }, Empty>;
  'Emulation.setTouchEmulationEnabled': Cmd<{ enabled: boolean; maxTouchPoints?: number }, Empty>;
  'Emulation.setFocusEmulationEnabled': Cmd<{ enabled: boolean }, Empty>;
  'Emulation.setUserAgentOverride': Cmd<{ userAgent: string; platform?: string; acceptLanguage?: string; userAgentMetadata?: UserAgentMetadata }, Empty>;
  'Input.dispatchTouchEvent': Cmd<{ type: 'touchStart' | 'touchMove' | 'touchEnd' | 'touchCancel'; touchPoints: TouchPoint[]; modifiers?: number }, Empty>;
  'Input.dispatchKeyEvent': Cmd<
    {
      type: 'keyDown' | 'rawKeyDown' | 'keyUp' | 'char';
      modifiers?: number;
      text?: string;
      unmodifiedText?: string;
      code?: string;
      key?: string;
      windowsVirtualKeyCode?: number;
      nativeVirtualKeyCode?: number;
      location?: number;
      autoRepeat?: boolean;
    },
    Empty
  >;
  'Input.insertText': Cmd<{ text: string }, Empty>;
  'Input.dispatchMouseEvent': Cmd<
    {
      type: 'mousePressed' | 'mouseReleased' | 'mouseMoved' | 'mouseWheel';
      x: number;
      y: number;
      modifiers?: number;
      button?: MouseButton;
      buttons?: number;
      clickCount?: number;
      deltaX?: number;
      deltaY?: number;
      pointerType?: 'mouse' | 'pen';
    },
    Empty
  >;
};

/** Events we listen to. */
export type CdpEvents = {
  'Target.targetCreated': { targetInfo: TargetInfo };
  'Target.targetInfoChanged': { targetInfo: TargetInfo };
  'Target.targetDestroyed': { targetId: string };
  'Target.targetCrashed': { targetId: string; status: string; errorCode: number };
  'Target.detachedFromTarget': { sessionId: string; targetId?: string };
};

export type CdpMethod = keyof CdpCommands;
export type CdpParams<M extends CdpMethod> = CdpCommands[M]['params'];
export type CdpResult<M extends CdpMethod> = CdpCommands[M]['result'];

/** A command the browser answered with an error, or one that got no answer in time. */
export class CdpError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly code?: number,
  ) {
    super(`${method}: ${message}`);
    this.name = 'CdpError';
  }
}

type Pending = { method: string; resolve: (r: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
type Handler = (params: unknown, sessionId: string | undefined) => void;

export type CdpClientOptions = { timeoutMs?: number; connectTimeoutMs?: number };

export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly closeHandlers: Array<(why: string) => void> = [];
  private closedWhy: string | undefined;
  private readonly timeoutMs: number;

  private constructor(
    private readonly ws: WebSocket,
    o: CdpClientOptions,
  ) {
    this.timeoutMs = o.timeoutMs ?? 5000;
    ws.on('message', (data) => this.receive(String(data)));
    ws.on('error', () => undefined); // 'close' follows and says it
    ws.on('close', (code, reason) => this.closed(`DevTools connection closed (${code}${reason.length ? ` ${String(reason)}` : ''})`));
  }

  /** Opens the browser endpoint (`ws://127.0.0.1:PORT/devtools/browser/<id>`). */
  static connect(url: string, o: CdpClientOptions = {}): Promise<CdpClient> {
    return new Promise((resolve, reject) => {
      // No compression: Chromium's endpoint does not offer it, and every event is small.
      const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`DevTools connection timed out after ${o.connectTimeoutMs ?? 5000} ms`));
      }, o.connectTimeoutMs ?? 5000);
      ws.once('open', () => {
        clearTimeout(timer);
        ws.removeAllListeners('error');
        resolve(new CdpClient(ws, o));
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`DevTools connection failed: ${err.message}`));
      });
    });
  }

  get isOpen(): boolean {
    return this.closedWhy === undefined;
  }

  send<M extends CdpMethod>(method: M, params: CdpParams<M>, o: { sessionId?: string; timeoutMs?: number } = {}): Promise<CdpResult<M>> {
    if (this.closedWhy !== undefined) return Promise.reject(new CdpError(method, this.closedWhy));
    const id = this.nextId++;
    const message: Record<string, unknown> = { id, method, params };
    if (o.sessionId) message.sessionId = o.sessionId;
    return new Promise((resolve, reject) => {
      const timeoutMs = o.timeoutMs ?? this.timeoutMs;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CdpError(method, `no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
      this.ws.send(JSON.stringify(message));
    });
  }

  /** Sends without waiting: the next command goes out at once, in order; a failure reaches `onError`. */
  post<M extends CdpMethod>(method: M, params: CdpParams<M>, sessionId: string | undefined, onError: (err: Error) => void): void {
    this.send(method, params, { sessionId }).catch(onError);
  }

  /** Subscribes to an event (from any session; the handler gets the sessionId). Returns the unsubscribe. */
  on<E extends keyof CdpEvents>(event: E, handler: (params: CdpEvents[E], sessionId: string | undefined) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler);
    return () => set.delete(handler as Handler);
  }

  /** Called once when the socket closes for any reason other than close(). */
  onClose(cb: (why: string) => void): void {
    this.closeHandlers.push(cb);
  }

  close(): void {
    if (this.closedWhy !== undefined) return;
    this.closedWhy = 'DevTools connection closed by us';
    this.closeHandlers.length = 0;
    this.rejectAll(this.closedWhy);
    this.ws.terminate();
  }

  private receive(text: string): void {
    let msg: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { code?: number; message?: string }; sessionId?: string };
    try {
      msg = JSON.parse(text);
    } catch {
      return; // Chromium sends only JSON; anything else is not ours to act on
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return; // answered after its timeout
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error) p.reject(new CdpError(p.method, msg.error.message ?? 'error', msg.error.code));
      else p.resolve(msg.result ?? {});
      return;
    }
    if (!msg.method) return;
    for (const h of this.handlers.get(msg.method) ?? []) {
      try {
        h(msg.params ?? {}, msg.sessionId);
      } catch (err) {
        // Fail closed: the instance this browser shows stops (its source reports the reason), the edge goes on.
        this.closed(`handling ${msg.method} failed: ${(err as Error).message}`);
        this.ws.terminate();
        return;
      }
    }
  }

  private closed(why: string): void {
    if (this.closedWhy !== undefined) return;
    this.closedWhy = why;
    this.rejectAll(why);
    for (const cb of this.closeHandlers) cb(why);
  }

  private rejectAll(why: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new CdpError(p.method, why));
      this.pending.delete(id);
    }
  }
}

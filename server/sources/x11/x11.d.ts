/** The few parts of the `x11` npm package (no bundled types) that xtestInput.ts uses. */
declare module 'x11' {
  import type { EventEmitter } from 'node:events';

  export interface XScreen {
    root: number;
    pixel_width: number;
    pixel_height: number;
  }
  export interface XDisplay {
    client: XClient;
    screen: XScreen[];
    min_keycode: number;
    max_keycode: number;
  }

  export interface XTestExt {
    KeyPress: number;
    KeyRelease: number;
    ButtonPress: number;
    ButtonRelease: number;
    MotionNotify: number;
    FakeInput(type: number, detail: number, time: number, window: number, x: number, y: number): void;
  }

  export interface XClient extends EventEmitter {
    require(name: 'xtest', cb: (err: Error | null, ext: XTestExt) => void): void;
    GetKeyboardMapping(first: number, count: number, cb: (err: Error | null, rows: number[][]) => void): void;
    sync(cb: (err: Error | null) => void): void;
    terminate(): void;
  }

  export function createClient(options: { display?: string }, cb: (err: Error | null, display: XDisplay) => void): XClient;
}

// Helpers shared by this folder's integration tests (not exported from index.ts).

/** Polls until pred() is true; rejects after timeoutMs so no test can hang. */
import { must } from '../protocol/must.ts';
export async function waitFor(pred: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!pred()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A yuv420p frame: a grey background with a bright bar that moves with n, so P-frames carry data. */
export function patternFrame(width: number, height: number, n: number): Buffer {
  const frame = Buffer.alloc((width * height * 3) / 2, 128);
  frame.fill(60, 0, width * height);
  const barX = (n * 8) % width;
  for (let y = 0; y < height; y++) frame.fill(230, y * width + barX, y * width + Math.min(width, barX + 16));
  return frame;
}

/** Pushes frames at fps until stopped or maxFrames is reached; remembers when the first one was accepted. */
export function startFeeder(
  push: (frame: Buffer) => boolean,
  o: { width: number; height: number; fps: number; maxFrames: number },
): { stop: () => void; firstPushAt: () => number | undefined } {
  let n = 0;
  let firstPushAt: number | undefined;
  const frames = [0, 1, 2, 3].map((i) => patternFrame(o.width, o.height, i * 5));
  const timer = setInterval(() => {
    if (n >= o.maxFrames) return clearInterval(timer);
    const at = performance.now();
    // Rotate through prebuilt frames: a frame may still be in flight when the next is pushed.
    if (push(must(frames[n++ % frames.length], 'frames[n++ % frames.length]'))) firstPushAt ??= at;
  }, 1000 / o.fps);
  return { stop: () => clearInterval(timer), firstPushAt: () => firstPushAt };
}

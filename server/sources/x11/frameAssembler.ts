/**
 * Cuts ffmpeg's rawvideo byte stream into whole frames. A pipe delivers
 * chunks of any size (64 KiB by default), so a frame usually spans several
 * chunks and a chunk may hold the end of one frame and the start of the next.
 */
export type FrameSink = (frame: Buffer) => void;

/**
 * With `reuse`, frames are filled into a small ring of reused buffers. A fresh 1.4 MB
 * buffer per 720x1280 frame (80 MB/s of short-lived external memory per
 * phone) had V8 spending a third of a core in full garbage collections.
 * Reuse is safe because a frame handed out is done with within two more:
 * each encoder writes at most one frame at a time and drops the rest
 * (FfmpegProcess.writeFrame), and at most two encoders of a session take
 * frames around a keyframe switch.
 */
export const FRAME_RING_SIZE = 4;

/** `reuse`: only for consumers that are done with a frame within two more (video encoders); audio chunks may be queued and get fresh buffers. */
export type FrameAssemblerOptions = { reuse?: boolean };

export class FrameAssembler {
  private readonly ring: Buffer[] | undefined;
  private next = 0;
  private current: Buffer;
  private filled = 0;
  /** Whole frames handed out so far. */
  frames = 0;

  constructor(
    readonly frameSize: number,
    private readonly sink: FrameSink,
    o: FrameAssemblerOptions = {},
  ) {
    if (!Number.isInteger(frameSize) || frameSize <= 0) throw new RangeError(`frame size must be a positive integer, got ${frameSize}`);
    this.ring = o.reuse ? Array.from({ length: FRAME_RING_SIZE }, () => Buffer.allocUnsafe(frameSize)) : undefined;
    this.current = this.ring?.[0] ?? Buffer.allocUnsafe(frameSize);
  }

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(this.frameSize - this.filled, chunk.length - at);
      chunk.copy(this.current, this.filled, at, at + n);
      this.filled += n;
      at += n;
      if (this.filled === this.frameSize) {
        const done = this.current;
        this.next = (this.next + 1) % FRAME_RING_SIZE;
        this.current = this.ring?.[this.next] ?? Buffer.allocUnsafe(this.frameSize);
        this.filled = 0;
        this.frames++;
        this.sink(done);
      }
    }
  }

  /** Bytes of an incomplete frame held back. */
  get pending(): number {
    return this.filled;
  }
}

/** Bytes of one yuv420p frame; chroma planes round up as ffmpeg lays them out. */
export function yuv420pFrameSize(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/**
 * Cuts ffmpeg's rawvideo byte stream into whole frames. A pipe delivers
 * chunks of any size (64 KiB by default), so a frame usually spans several
 * chunks and a chunk may hold the end of one frame and the start of the next.
 */
export type FrameSink = (frame: Buffer) => void;

export class FrameAssembler {
  private current: Buffer;
  private filled = 0;
  /** Whole frames handed out so far. */
  frames = 0;

  constructor(readonly frameSize: number, private readonly sink: FrameSink) {
    if (!Number.isInteger(frameSize) || frameSize <= 0) throw new RangeError(`frame size must be a positive integer, got ${frameSize}`);
    this.current = Buffer.allocUnsafe(frameSize);
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
        // A fresh buffer per frame: the encoder may still be writing the
        // previous one to its stdin when the next frame completes.
        this.current = Buffer.allocUnsafe(this.frameSize);
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

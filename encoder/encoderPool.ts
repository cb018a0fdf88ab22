/**
 * Warm encoders, spawned ahead of need. ffmpeg's start-up costs 100-200 ms
 * of CPU; on a 2-core edge, paying it while a player waits for the first
 * picture (alongside ICE, DTLS and the page itself) delays that picture by
 * hundreds of ms. A pool keeps a few idle encoders of the edge's one video
 * configuration; a new session takes them and the pool refills a moment
 * later, after that session's start-up burst.
 */
import type { Logger } from 'pino';
import { EncoderSlot, type EncoderSlotOptions } from './encoderSlot.ts';

export type EncoderPoolOptions = {
  size: number;
  slot: EncoderSlotOptions;
  logger: Logger;
  /** Wait after a take before refilling (default 1500 ms). */
  refillDelayMs?: number;
};

export class EncoderPool {
  private readonly idle = new Set<EncoderSlot>();
  private spawning = 0;
  private refillTimer?: NodeJS.Timeout;
  private closed = false;
  private consecutiveFailures = 0;

  constructor(private readonly o: EncoderPoolOptions) {}

  /** Fills the pool; resolves when it is full (or spawning failed). */
  async fill(): Promise<void> {
    const missing = this.o.size - this.idle.size - this.spawning;
    await Promise.all(Array.from({ length: Math.max(0, missing) }, () => this.spawnOne()));
  }

  /** A warm encoder, or undefined when none is ready (the caller spawns one itself). */
  take(): EncoderSlot | undefined {
    let slot: EncoderSlot | undefined;
    for (const s of this.idle) {
      this.idle.delete(s);
      if (s.idle) {
        slot = s;
        break;
      }
      void s.close();
    }
    this.scheduleRefill();
    return slot;
  }

  get size(): number {
    return this.idle.size;
  }

  get pids(): number[] {
    return [...this.idle].flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
  }

  private scheduleRefill(): void {
    if (this.closed || this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      void this.fill();
    }, this.o.refillDelayMs ?? 1500);
  }

  private async spawnOne(): Promise<void> {
    if (this.closed || this.consecutiveFailures >= 3) return;
    this.spawning++;
    try {
      const slot = await EncoderSlot.spawn(this.o.slot);
      this.consecutiveFailures = 0;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may run during the await
      if (this.closed) {
        await slot.close();
        return;
      }
      this.idle.add(slot);
      // An idle encoder that dies (killed, out of memory) simply leaves the pool.
      slot.proc.on('exit', () => this.idle.delete(slot));
    } catch (err) {
      this.consecutiveFailures++;
      this.o.logger.warn({ err: (err as Error).message }, 'warm encoder failed to spawn');
    } finally {
      this.spawning--;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refillTimer);
    const slots = [...this.idle];
    this.idle.clear();
    await Promise.all(slots.map((s) => s.close()));
  }
}

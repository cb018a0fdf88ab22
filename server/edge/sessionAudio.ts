/**
 * A session's sound: audio source → Opus encoder → every connected viewer.
 *
 * Audio failing does not end the session: the game is still playable
 * without its sound effects, while ending it would throw the player out
 * over the lesser stream. The failure is logged and the audio stops
 * (encoder closed, source stopped), so nothing is left running.
 * No keyframes or generations: any Opus packet decodes on its own, so a
 * viewer simply gets every packet from the moment it is connected.
 */
import type { Logger } from 'pino';
import type { AudioEncoder, AudioSource, Viewer } from './ports.ts';

export type SessionAudioOptions = {
  source: AudioSource;
  encoder: AudioEncoder;
  logger: Logger;
  viewers: () => Iterable<Viewer>;
};

export class SessionAudio {
  private state: 'idle' | 'running' | 'feeding' | 'failed' | 'closed' = 'idle';
  private readonly log: Logger;
  packetsForwarded = 0;

  constructor(private readonly o: SessionAudioOptions) {
    this.log = o.logger.child({ module: 'sessionAudio' });
  }

  /** Starts the encoder; never rejects (a failure only turns the audio off). */
  async start(): Promise<void> {
    const { encoder } = this.o;
    encoder.onFailed((err) => this.fail(err.message));
    encoder.onRtp((packet) => this.forward(packet));
    try {
      await encoder.start();
      if (this.state === 'idle') this.state = 'running';
    } catch (err) {
      this.fail(`did not start: ${(err as Error).message}`);
    }
  }

  /**
   * Starts the sound with the first viewer, as the video does: the encoder
   * then stamps from the first sample a viewer can hear.
   */
  feed(): void {
    if (this.state !== 'running') return;
    this.state = 'feeding';
    this.o.source.start((pcm) => {
      if (this.state === 'feeding') this.o.encoder.pushPcm(pcm);
    });
  }

  pids(): number[] {
    return this.state === 'closed' ? [] : this.o.encoder.pids();
  }

  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    this.state = 'closed';
    this.o.source.stop();
    return this.o.encoder.close().catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'audio encoder close failed'));
  }

  private forward(packet: Buffer): void {
    for (const v of this.o.viewers()) {
      if (v.isConnected) v.writeAudioRtp(packet);
    }
    this.packetsForwarded++;
  }

  private fail(why: string): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    this.state = 'failed';
    this.log.warn({ err: why }, 'audio failed; the session goes on without sound');
    this.o.source.stop();
    void this.o.encoder.close().catch(() => undefined);
  }
}

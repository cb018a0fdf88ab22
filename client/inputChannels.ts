/**
 * Sends input events on the edge's data channels (INPUT_CHANNELS), chosen
 * per event by channelFor; drops events while the channel is not open or is
 * backed up. Remembers each sent event's `ts` for input-to-photon matching.
 */
import { channelFor, encodeInputEvent } from '../protocol/input.ts';
import type { InputEvent } from '../protocol/input.ts';
import type { EdgeplayHook } from './hook.ts';
import type { SentInputLog } from './samples.ts';

/** Lossy-channel events (moves, pad states) are dropped once this much is queued: newer ones supersede them. */
const FAST_MAX_BUFFERED = 64 * 1024;
/** Even reliable events are dropped past this, rather than queueing without bound on a stalled link. */
const RELIABLE_MAX_BUFFERED = 1024 * 1024;

export class InputSender {
  private readonly channels = new Map<string, RTCDataChannel>();

  constructor(
    private readonly hook: EdgeplayHook,
    private readonly sent: SentInputLog,
  ) {}

  add(ch: RTCDataChannel): void {
    this.channels.set(ch.label, ch);
    ch.addEventListener('close', () => {
      if (this.channels.get(ch.label) === ch) this.channels.delete(ch.label);
    });
  }

  send(ev: InputEvent): boolean {
    const label = channelFor(ev);
    const ch = this.channels.get(label);
    const limit = ev.t === 'move' || ev.t === 'pad' ? FAST_MAX_BUFFERED : RELIABLE_MAX_BUFFERED;
    if (!ch || ch.readyState !== 'open' || ch.bufferedAmount > limit) {
      this.hook.inputsDropped++;
      return false;
    }
    try {
      ch.send(encodeInputEvent(ev));
    } catch {
      this.hook.inputsDropped++;
      return false;
    }
    this.sent.remember(ev.ts);
    this.hook.inputsSent++;
    return true;
  }

  closeAll(): void {
    for (const ch of this.channels.values()) ch.close();
    this.channels.clear();
  }
}

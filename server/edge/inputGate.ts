/**
 * Everything a session's player sends over its data channels passes here
 * first, both channels and every player socket together: one validation
 * (protocol/input.ts) and one budget per session, so a broken or hostile
 * client costs at most a bounded amount of work and degrades only its own
 * session.
 *
 * The budget: events per second, bytes per second, and how many keys,
 * buttons and touches may be held down at once (a real keyboard holds a
 * handful; a script can claim thousands, and a game walks its held set on
 * every step). Over budget, events are dropped and counted, never logged one
 * by one. A session that keeps sending at more than twice its budget for
 * `abuseEndSeconds` in a row is abusive: its owner ends it.
 */
import { parseInputMessage, type InputEvent } from '../../protocol/index.ts';

export type InputBudget = {
  eventsPerSecond: number;
  bytesPerSecond: number;
  /** Keys, mouse buttons and touches held down at once. */
  maxHeld: number;
  /** Seconds in a row at more than twice the budget before the session is ended. */
  abuseEndSeconds: number;
};

export type InputGateCounters = {
  accepted: number;
  invalid: number;
  /** Dropped over the events-per-second budget. */
  rateLimited: number;
  /** Dropped over the bytes-per-second budget. */
  bytesLimited: number;
  /** Presses dropped because `maxHeld` were already down. */
  heldLimited: number;
  lastError?: string;
};

export type LimitKind = 'events' | 'bytes' | 'held';

export type InputGateEvents = {
  /** The first time an event is dropped over budget (once per gate): tell the player, log it. */
  limited?(what: LimitKind): void;
  /** Over twice the budget for `abuseEndSeconds` seconds in a row (once per gate). */
  abusive?(offered: { eventsPerSecond: number; bytesPerSecond: number }): void;
};

export class TokenBucket {
  private tokens: number;
  private lastMs: number;
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }
  take(nowMs: number, cost = 1): boolean {
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}

/** What an event holds down or lets go of, as one key in the held set; undefined for events that hold nothing. */
function heldChange(ev: InputEvent): { id: string; down: boolean } | undefined {
  switch (ev.t) {
    case 'key':
      return { id: `k${ev.code}`, down: ev.down };
    case 'button':
      return { id: `b${ev.button}`, down: ev.down };
    case 'touch':
      if (ev.phase === 'move') return undefined;
      return { id: `t${ev.id}`, down: ev.phase === 'start' };
    default:
      return undefined;
  }
}

export class InputGate {
  readonly counters: InputGateCounters = { accepted: 0, invalid: 0, rateLimited: 0, bytesLimited: 0, heldLimited: 0 };
  private readonly events: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly held = new Set<string>();
  private limitedOnce = false;
  private abusiveOnce = false;
  /** The current one-second window of offered load, and how many windows in a row were over twice the budget. */
  private window = { startMs: 0, events: 0, bytes: 0 };
  private abusiveWindows = 0;

  constructor(
    private readonly budget: InputBudget,
    private readonly now: () => number,
    private readonly on: InputGateEvents = {},
  ) {
    const t = now();
    // A burst of a quarter second absorbs a gamepad plus a fast mouse at once.
    this.events = new TokenBucket(budget.eventsPerSecond, Math.max(10, budget.eventsPerSecond / 4), t);
    this.bytes = new TokenBucket(budget.bytesPerSecond, Math.max(4096, budget.bytesPerSecond / 4), t);
    this.window.startMs = t;
  }

  /** Returns the event to apply, or undefined when the message is dropped. O(1) per message. */
  admit(raw: string | Uint8Array): InputEvent | undefined {
    const nowMs = this.now();
    const size = typeof raw === 'string' ? raw.length : raw.byteLength;
    this.account(nowMs, size);
    if (!this.events.take(nowMs)) {
      this.drop('events');
      return;
    }
    if (!this.bytes.take(nowMs, size)) {
      this.drop('bytes');
      return;
    }
    const parsed = parseInputMessage(raw);
    if (!parsed.ok) {
      this.counters.invalid++;
      this.counters.lastError = parsed.error;
      return undefined;
    }
    const change = heldChange(parsed.value);
    if (change?.down && !this.held.has(change.id)) {
      if (this.held.size >= this.budget.maxHeld) {
        this.drop('held');
        return;
      }
      this.held.add(change.id);
    } else if (change && !change.down) {
      this.held.delete(change.id);
    }
    this.counters.accepted++;
    return parsed.value;
  }

  /** The player left: whatever they held is released (the source is told separately). */
  releaseAll(): void {
    this.held.clear();
  }

  get heldCount(): number {
    return this.held.size;
  }

  private drop(what: LimitKind): undefined {
    if (what === 'events') this.counters.rateLimited++;
    else if (what === 'bytes') this.counters.bytesLimited++;
    else this.counters.heldLimited++;
    if (!this.limitedOnce) {
      this.limitedOnce = true;
      this.on.limited?.(what);
    }
    return undefined;
  }

  /** Counts offered load per second (dropped or not): the abuse rule looks at what the client sends. */
  private account(nowMs: number, size: number): void {
    const w = this.window;
    if (nowMs - w.startMs >= 1000) {
      const over = w.events > 2 * this.budget.eventsPerSecond || w.bytes > 2 * this.budget.bytesPerSecond;
      this.abusiveWindows = over ? this.abusiveWindows + 1 : 0;
      if (this.abusiveWindows >= this.budget.abuseEndSeconds && !this.abusiveOnce) {
        this.abusiveOnce = true;
        this.on.abusive?.({ eventsPerSecond: w.events, bytesPerSecond: w.bytes });
      }
      // A second or more with nothing sent since that window breaks the streak.
      if (nowMs - w.startMs >= 2000) this.abusiveWindows = 0;
      this.window = { startMs: nowMs, events: 0, bytes: 0 };
    }
    this.window.events++;
    this.window.bytes += size;
  }
}

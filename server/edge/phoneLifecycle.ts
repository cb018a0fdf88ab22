/**
 * The timers of one running phone instance on the edge, driven by the pure
 * rules of sessions/phone/instanceLifecycle.ts: the session tells it when the
 * app connects, drops or sends input; it calls `onDue` once when the grace
 * period after a drop or the idle limit runs out.
 *
 * One timer, armed for nextDueAtMs. Input does not re-arm it (that could be
 * 500 times a second): when it fires early because input came since, dueAction
 * says "nothing yet" and the timer is armed again for the new due time.
 */
import {
  dueAction,
  initialInstanceState,
  nextDueAtMs,
  nextInstanceState,
  type InstanceEvent,
  type InstanceLimits,
  type InstanceRunState,
} from '../../sessions/index.ts';

export type PhoneDueReason = 'grace-expired' | 'idle';

export class PhoneLifecycle {
  private state: InstanceRunState;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: InstanceLimits,
    private readonly onDue: (reason: PhoneDueReason) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.state = nextInstanceState(initialInstanceState(this.now()), { type: 'start', atMs: this.now() });
  }

  get snapshot(): InstanceRunState {
    return this.state;
  }

  /** The program is up: from now on the grace period covers the wait for the app. */
  started(): void {
    this.apply({ type: 'started', atMs: this.now() });
  }
  connected(): void {
    this.apply({ type: 'connected', atMs: this.now() });
  }
  disconnected(): void {
    this.apply({ type: 'disconnected', atMs: this.now() });
  }
  input(): void {
    this.state = nextInstanceState(this.state, { type: 'input', atMs: this.now() });
  }
  stopped(): void {
    this.apply({ type: 'stop', atMs: this.now() });
  }

  private apply(e: InstanceEvent): void {
    this.state = nextInstanceState(this.state, e);
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const at = nextDueAtMs(this.state, this.limits);
    if (at === undefined) return;
    this.timer = setTimeout(() => this.check(), Math.max(0, at - this.now()));
    this.timer.unref();
  }

  private check(): void {
    const due = dueAction(this.state, this.now(), this.limits);
    if (!due) return this.arm();
    this.state = nextInstanceState(this.state, { type: 'stop', atMs: this.now(), reason: due.reason });
    this.arm();
    this.onDue(due.reason);
  }
}

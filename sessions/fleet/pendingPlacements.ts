/**
 * Plays started from a public link but not yet watched. Anyone can start a
 * play without an account, and each one makes an edge start a game and its
 * encoders, so the broker bounds how many may be pending at once: per
 * client address and overall. A play stops being pending when its player's
 * connection is up, when its placement fails, or when its hold runs out (the
 * placement's lifetime plus the edge's join window: by then the edge has
 * ended a session nobody joined).
 *
 * Pure: a clock is passed in. O(1) amortised per call: holds are all the
 * same length, so entries expire in the order they were added.
 */
export type PendingLimits = { perAddress: number; total: number; holdMs: number };

export type PendingRefusal = { ok: false; scope: 'address' | 'total'; retryAfterSeconds: number };

type Entry = { address: string; expiresAtMs: number; sessionId?: string };

export class PendingPlacements {
  /** In insertion order, which is expiry order. */
  private readonly entries = new Map<string, Entry>();
  private readonly byAddress = new Map<string, number>();
  private readonly bySession = new Map<string, string>();

  constructor(
    private readonly limits: PendingLimits,
    private readonly now: () => number,
  ) {}

  /** Records a new pending play for `address` under `placementId`, or says when to try again. */
  add(address: string, placementId: string): { ok: true } | PendingRefusal {
    const now = this.now();
    this.expire(now);
    const mine = this.byAddress.get(address) ?? 0;
    if (mine >= this.limits.perAddress) return { ok: false, scope: 'address', retryAfterSeconds: this.retryAfter(now, address) };
    if (this.entries.size >= this.limits.total) return { ok: false, scope: 'total', retryAfterSeconds: this.retryAfter(now) };
    this.entries.set(placementId, { address, expiresAtMs: now + this.limits.holdMs });
    this.byAddress.set(address, mine + 1);
    return { ok: true };
  }

  /** The placement became a session: it stays pending until its player connects. */
  placed(placementId: string, sessionId: string): void {
    const e = this.entries.get(placementId);
    if (!e) return;
    e.sessionId = sessionId;
    this.bySession.set(sessionId, placementId);
  }

  /** The placement failed or was refused: no longer pending. */
  release(placementId: string): void {
    const e = this.entries.get(placementId);
    if (!e) return;
    this.entries.delete(placementId);
    if (e.sessionId) this.bySession.delete(e.sessionId);
    const n = (this.byAddress.get(e.address) ?? 1) - 1;
    if (n > 0) this.byAddress.set(e.address, n);
    else this.byAddress.delete(e.address);
  }

  /** The session's player is connected (the play is watched), or the session ended: no longer pending. */
  settled(sessionId: string): void {
    const placementId = this.bySession.get(sessionId);
    if (placementId) this.release(placementId);
  }

  get size(): number {
    this.expire(this.now());
    return this.entries.size;
  }

  private expire(now: number): void {
    for (const [id, e] of this.entries) {
      if (e.expiresAtMs > now) break;
      this.release(id);
    }
  }

  /** Seconds until the oldest hold (of `address`, or of anyone) runs out. */
  private retryAfter(now: number, address?: string): number {
    for (const e of this.entries.values()) {
      if (address === undefined || e.address === address) return Math.max(1, Math.ceil((e.expiresAtMs - now) / 1000));
    }
    return 1;
  }
}

// Wrong join codes, counted per client address: a few tries, then 429 until the oldest wrong try is old enough.
// Pure: the clock is passed in.

export interface JoinAttemptLimits {
  /** Wrong codes allowed per address within the window. */
  maxWrong: number;
  windowMs: number;
}

export const DEFAULT_JOIN_LIMITS: JoinAttemptLimits = { maxWrong: 5, windowMs: 5 * 60_000 };

export class JoinAttempts {
  private readonly wrong = new Map<string, number[]>();

  constructor(private readonly limits: JoinAttemptLimits = DEFAULT_JOIN_LIMITS) {}

  /** How long this address must wait before it may try again, 0 when it may try now. */
  retryAfterMs(address: string, now: number): number {
    const times = this.recent(address, now);
    if (times.length < this.limits.maxWrong) return 0;
    return times[times.length - this.limits.maxWrong]! + this.limits.windowMs - now;
  }

  recordWrong(address: string, now: number): void {
    const times = this.recent(address, now);
    times.push(now);
    this.wrong.set(address, times);
  }

  /** A right code forgives the address's wrong ones (a typo then the right code is the usual case). */
  recordRight(address: string): void {
    this.wrong.delete(address);
  }

  /** Addresses tracked; old entries are dropped as they are read, and by prune(). */
  get size(): number {
    return this.wrong.size;
  }

  prune(now: number): void {
    for (const address of [...this.wrong.keys()])
      if (this.recent(address, now).length === 0) this.wrong.delete(address);
  }

  private recent(address: string, now: number): number[] {
    const times = (this.wrong.get(address) ?? []).filter((t) => now - t < this.limits.windowMs);
    if (times.length === 0) this.wrong.delete(address);
    else this.wrong.set(address, times);
    return times;
  }
}

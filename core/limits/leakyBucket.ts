// A leaky bucket (as a queue), for contrast with the token bucket: requests drain out at one steady pace, one every
// 1/rate, and wait their turn; a request that would wait longer than the queue holds is refused. Go's
// go.uber.org/ratelimit (Take sleeps until the next slot) is this shape without the queue limit.
import type { Clock } from '../budget/rateBudget.js';

export interface LeakyBucketOptions {
  /** Requests let through per second, evenly spaced. */
  perSecond: number;
  /** Requests that may wait in the bucket at once (0: only a request that finds its slot free passes). */
  capacity: number;
  clock: Clock;
}

/** What the bucket decided for one request: pass after `delayMs`, or refuse (the bucket is full). */
export type LeakDecision = { accepted: true; delayMs: number } | { accepted: false; delayMs: 0 };

export class LeakyBucket {
  /** When the last accepted request leaves the bucket (its slot). */
  private lastSlot = -Infinity;
  private readonly gapMs: number;
  readonly capacity: number;
  private readonly clock: Clock;

  constructor(options: LeakyBucketOptions) {
    if (!(options.perSecond > 0) || !Number.isFinite(options.perSecond))
      throw new RangeError(`perSecond must be a finite number > 0, got ${options.perSecond}`);
    if (!(options.capacity >= 0) || !Number.isInteger(options.capacity))
      throw new RangeError(`capacity must be an integer ≥ 0, got ${options.capacity}`);
    this.gapMs = 1000 / options.perSecond;
    this.capacity = options.capacity;
    this.clock = options.clock;
  }

  /** Offers one request: it leaves at its slot (now or after the queue ahead of it), or is refused when full. */
  offer(now = this.clock()): LeakDecision {
    const slot = Math.max(now, this.lastSlot + this.gapMs);
    // A request that must wait takes a place in the queue; one whose slot is free now passes straight through.
    if (slot > now && this.waiting(now) >= this.capacity) return { accepted: false, delayMs: 0 };
    this.lastSlot = slot;
    return { accepted: true, delayMs: slot - now };
  }

  /** Requests accepted but not yet let out at `now` (the water in the bucket). */
  waiting(now = this.clock()): number {
    if (this.lastSlot <= now) return 0;
    return Math.ceil((this.lastSlot - now) / this.gapMs - 1e-9);
  }
}

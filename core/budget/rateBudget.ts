// Rate budgets: the lab's one way to say "so many a second, with bursts up to so many" (a token bucket). Every
// budget reads an injected millisecond clock, so core never reads a host clock itself: the server passes its
// once-per-turn clock (server/events/turnClock.ts), the browser performance.now, a test a number it moves by hand.

/** Milliseconds, monotonic (turnNow, performance.now, Date.now, a test's fake). */
export type Clock = () => number;

export interface RateBudgetOptions {
  /** Tokens added per second. */
  perSecond: number;
  /** Tokens it holds at most (and starts with). */
  burst: number;
  clock: Clock;
}

/**
 * The tokens a bucket holds at `now` that held `tokens` at `last`: the arithmetic every budget shares. Exported for
 * budgets kept inline on a hot object (a goroutine, a connection), where an object per bucket would cost; a clock
 * that goes backwards adds nothing.
 */
export function refill(tokens: number, last: number, now: number, perSecond: number, burst: number): number {
  return Math.min(burst, tokens + (Math.max(0, now - last) * perSecond) / 1000);
}

export class RateBudget {
  private tokens: number;
  private last: number;
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly clock: Clock;

  constructor(options: RateBudgetOptions) {
    this.perSecond = options.perSecond;
    this.burst = options.burst;
    this.clock = options.clock;
    this.tokens = options.burst;
    this.last = options.clock();
  }

  /** Takes `cost` tokens if the budget holds them; false, taking nothing, if not (a request refused). */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /**
   * Takes `cost` tokens even into debt (bytes that already moved) and returns the milliseconds until the debt is
   * paid: a limiter that slows a sender down instead of refusing it.
   */
  owe(cost: number): number {
    this.refill();
    this.tokens -= cost;
    return this.debtMs();
  }

  /** Milliseconds until the budget is out of debt (0 when it is not in debt). */
  delay(): number {
    this.refill();
    return this.debtMs();
  }

  /** Full again, from now (a new run). */
  reset(): void {
    this.tokens = this.burst;
    this.last = this.clock();
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = refill(this.tokens, this.last, now, this.perSecond, this.burst);
    if (now > this.last) this.last = now;
  }

  private debtMs(): number {
    return this.tokens >= 0 ? 0 : (-this.tokens / this.perSecond) * 1000;
  }
}

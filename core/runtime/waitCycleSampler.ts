// Samples a busy runtime's wait cycles for its listener. A goroutine serving a busy socket blocks, is woken and
// runs again thousands of times a second; each cycle is three events (block, unblock, run). The sampler lets each
// goroutine report at most `perGoroutine` cycles a second and all goroutines together at most `total`, always as
// whole cycles (a reported block is followed by its unblock and run). A cycle left out never becomes an event: the
// runtime asks before building one, so sampling costs a few comparisons, not three objects.
import { RateBudget, refill } from '../budget/rateBudget.js';

export interface WaitCycleSampling {
  /** Cycles a second each goroutine may report (its bucket holds as many). */
  perGoroutine: number;
  /** Cycles a second all goroutines together may report. */
  total: number;
  /** Milliseconds; a clock read once per event-loop turn is plenty (default performance.now). */
  now?: () => number;
}

/** Per-goroutine sampling state, a rate budget kept inline on the goroutine itself (no lookup per cycle). */
export interface CycleBudget {
  /** Tokens left; NaN until the goroutine's first block. */
  cycleTokens: number;
  cycleLast: number;
}

export class WaitCycleSampler {
  /** Cycles left out since the run started. */
  skipped = 0;
  private readonly perGoroutine: number;
  private readonly now: () => number;
  private readonly total: RateBudget;

  constructor(options: WaitCycleSampling) {
    this.perGoroutine = options.perGoroutine;
    this.now = options.now ?? (() => performance.now());
    this.total = new RateBudget({ perSecond: options.total, burst: options.total, clock: this.now });
  }

  /** True when the cycle starting with this block is reported. */
  admit(g: CycleBudget): boolean {
    const now = this.now();
    if (Number.isNaN(g.cycleTokens)) {
      g.cycleTokens = this.perGoroutine;
      g.cycleLast = now;
    }
    g.cycleTokens = refill(g.cycleTokens, g.cycleLast, now, this.perGoroutine, this.perGoroutine);
    g.cycleLast = now;
    if (g.cycleTokens < 1 || !this.total.take()) {
      this.skipped++;
      return false;
    }
    g.cycleTokens -= 1;
    return true;
  }
}

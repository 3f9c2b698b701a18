// Decides whether the pool's goroutine events still go to browsers: all of them while the rate stays under a
// budget per second (a rate budget holding one second's worth), none once it runs out (until reset), so a timeline
// never shows half a hand-off.
import { RateBudget, type Clock } from '@core/budget/rateBudget.js';

export class GoEventBudget {
  private readonly budget: RateBudget;
  /** Events not sent since the budget was exceeded. */
  suppressed = 0;
  streaming = true;

  constructor(
    readonly perSecond: number,
    clock: Clock,
  ) {
    this.budget = new RateBudget({ perSecond, burst: perSecond, clock });
  }

  /** True if the event may be sent now. The first call that exceeds the budget turns streaming off. */
  allow(): boolean {
    if (this.streaming && this.budget.take()) return true;
    this.streaming = false;
    this.suppressed++;
    return false;
  }

  /** Streams again (a new run or a new configuration). */
  reset(): void {
    this.streaming = true;
    this.suppressed = 0;
    this.budget.reset();
  }
}

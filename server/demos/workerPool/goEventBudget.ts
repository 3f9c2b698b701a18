// Decides whether the pool's goroutine events still go to browsers: all of them while the rate stays under a
// budget per second, none once a second exceeds it (until reset), so a timeline never shows half a hand-off.
export class GoEventBudget {
  private windowStart = 0;
  private inWindow = 0;
  /** Events not sent since the budget was exceeded. */
  suppressed = 0;
  streaming = true;

  constructor(readonly perSecond: number) {}

  /** True if the event at `now` (ms) may be sent. The first call that exceeds the budget turns streaming off. */
  allow(now: number): boolean {
    if (!this.streaming) {
      this.suppressed++;
      return false;
    }
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (++this.inWindow > this.perSecond) {
      this.streaming = false;
      this.suppressed++;
      return false;
    }
    return true;
  }

  /** Streams again (a new run or a new configuration). */
  reset(now: number): void {
    this.streaming = true;
    this.suppressed = 0;
    this.windowStart = now;
    this.inWindow = 0;
  }
}

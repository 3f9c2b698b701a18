// A run's clock and timers. 'real': timers are host timers (setTimeout). 'virtual': time stands still while any
// goroutine can run and jumps to the next timer when the runtime says all are blocked (like the Go playground).
import { RuntimeTimer, TimerQueue } from './timerQueue.js';

export class RunClock {
  private readonly timers = new TimerQueue();
  private timerSeq = 0;
  private virtualNow = 0;
  private readonly origin = performance.now();
  private hostTimer: ReturnType<typeof setTimeout> | null = null;
  private hostTimerAt = Infinity;
  private closed = false;

  /** afterHostTimer: called after a host timer fired its due timers (the runtime checks whether all are stuck). */
  constructor(
    readonly mode: 'real' | 'virtual',
    private readonly afterHostTimer: () => void,
  ) {}

  /** Milliseconds since the run's clock started. */
  now(): number {
    return this.mode === 'virtual' ? this.virtualNow : performance.now() - this.origin;
  }

  /** Timers still to fire. */
  get pending(): number {
    return this.timers.size;
  }

  add(ms: number, fire: () => void): RuntimeTimer {
    const t = new RuntimeTimer(this.now() + Math.max(0, ms), ++this.timerSeq, fire);
    if (!this.closed) this.schedule(t);
    return t;
  }

  reset(t: RuntimeTimer, ms: number): void {
    this.timers.remove(t);
    t.when = this.now() + Math.max(0, ms);
    if (!this.closed) this.schedule(t);
  }

  stop(t: RuntimeTimer): boolean {
    const removed = this.timers.remove(t);
    if (removed) this.armHostTimer();
    return removed;
  }

  /** Virtual time jumps to the next timer and fires every timer then due; false when there is none. */
  advance(): boolean {
    const next = this.timers.peek();
    if (next === undefined) return false;
    if (next.when > this.virtualNow) this.virtualNow = next.when;
    this.fireDue(this.virtualNow);
    return true;
  }

  /** The run is over: no timer fires any more. */
  close(): void {
    this.closed = true;
    this.timers.clear();
    if (this.hostTimer !== null) clearTimeout(this.hostTimer);
    this.hostTimer = null;
    this.hostTimerAt = Infinity;
  }

  private schedule(t: RuntimeTimer): void {
    this.timers.push(t);
    this.armHostTimer();
  }

  private armHostTimer(): void {
    if (this.mode === 'virtual') return;
    const next = this.timers.peek();
    const at = next === undefined ? Infinity : next.when;
    if (at === this.hostTimerAt) return;
    if (this.hostTimer !== null) clearTimeout(this.hostTimer);
    this.hostTimer = null;
    this.hostTimerAt = at;
    if (at === Infinity) return;
    this.hostTimer = setTimeout(this.onHostTimer, Math.max(0, at - this.now()));
  }

  private readonly onHostTimer = (): void => {
    this.hostTimer = null;
    this.hostTimerAt = Infinity;
    this.fireDue(this.now());
    this.armHostTimer();
    this.afterHostTimer();
  };

  private fireDue(now: number): void {
    for (;;) {
      if (this.closed) return;
      const t = this.timers.peek();
      // Host timers may fire a fraction of a millisecond early; anything due within that slack fires.
      if (t === undefined || t.when > now + 0.5) return;
      this.timers.pop();
      t.fire();
    }
  }
}

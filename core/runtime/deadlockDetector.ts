// Deadlock detection: when every goroutine is blocked with no timer or I/O pending, the run is over ("all
// goroutines are asleep"); with a virtual clock and timers pending, time jumps to the next timer instead.
import type { RunClock } from './runClock.js';

/** What the detector reads of a run, and how it ends one. */
export interface StuckRun {
  readonly stopped: boolean;
  readonly live: number;
  readonly blocked: number;
  readonly io: number;
  readonly detectDeadlock: boolean;
  readonly runClock: RunClock;
  /** Ends the run with Go's deadlock report. */
  deadlocked(): void;
}

export class DeadlockDetector {
  private advanceScheduled = false;
  private confirmScheduled = false;

  constructor(private readonly run: StuckRun) {}

  /** Called whenever every goroutine might be blocked. */
  check(): void {
    const r = this.run;
    if (r.stopped || r.blocked !== r.live || r.io !== 0) return;
    if (r.runClock.pending > 0) {
      if (r.runClock.mode === 'virtual' && !this.advanceScheduled) {
        this.advanceScheduled = true;
        queueMicrotask(this.advanceVirtualTime);
      }
      return;
    }
    if (r.live === 0 || !r.detectDeadlock || this.confirmScheduled) return;
    // Confirm once the current job and its microtasks are done: outside code may still be about to send.
    this.confirmScheduled = true;
    setTimeout(this.confirm, 0);
  }

  private isStuck(): boolean {
    const r = this.run;
    return !r.stopped && r.live > 0 && r.blocked === r.live && r.io === 0;
  }

  private readonly advanceVirtualTime = (): void => {
    this.advanceScheduled = false;
    const r = this.run;
    if (r.stopped || r.blocked !== r.live || r.io !== 0) return;
    r.runClock.advance();
    this.check();
  };

  private readonly confirm = (): void => {
    this.confirmScheduled = false;
    if (!this.isStuck()) return;
    if (this.run.runClock.pending > 0) return this.check();
    this.run.deadlocked();
  };
}

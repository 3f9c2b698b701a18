// Keeps a busy runtime's events small enough to watch and to send: spawns, exits and everything else pass, while
// each goroutine's block → unblock → run cycles are reported at most `perSecond` times a second, always as whole
// cycles (a reported block is always followed by its unblock and run), and all goroutines together at most
// `totalPerSecond` cycles, so a hundred busy connections cost the page no more than a few. Used where goroutines wait
// on real sockets.
import type { LabEventBody } from '../protocol/events.js';
import { TokenBucket } from '../ws/tokenBucket.js';
import { turnNow } from './turnClock.js';

interface CycleBudget {
  tokens: number;
  last: number;
  started: boolean;
  /** A reported block whose unblock and run must be reported too. */
  open: boolean;
}

export class GoroutineEventBudget {
  private readonly byGoroutine = new Map<number, CycleBudget>();
  /** Block cycles left out since the start. */
  skipped = 0;

  private readonly total: TokenBucket;

  constructor(
    private readonly perSecond = 20,
    private readonly now: () => number = turnNow,
    totalPerSecond = 500,
  ) {
    this.total = new TokenBucket(totalPerSecond, totalPerSecond, now());
  }

  admit(e: LabEventBody): boolean {
    switch (e.kind) {
      case 'go.spawn':
        this.byGoroutine.set(e.gid, { tokens: this.perSecond, last: this.now(), started: false, open: false });
        return true;
      case 'go.exit':
        this.byGoroutine.delete(e.gid);
        return true;
      case 'go.run': {
        const b = this.byGoroutine.get(e.gid);
        if (!b) return true;
        if (!b.started) return (b.started = true);
        if (!b.open) return false;
        b.open = false;
        return true;
      }
      case 'go.block': {
        const b = this.byGoroutine.get(e.gid);
        if (!b) return true;
        const now = this.now();
        b.tokens = Math.min(this.perSecond, b.tokens + ((now - b.last) * this.perSecond) / 1000);
        b.last = now;
        if (b.tokens < 1 || !this.total.take(now)) {
          this.skipped++;
          return false;
        }
        b.tokens -= 1;
        b.open = true;
        return true;
      }
      case 'go.unblock': {
        const b = this.byGoroutine.get(e.gid);
        return !b || b.open;
      }
      default:
        return true;
    }
  }
}

// Samples a runtime's wait cycles on the listener's side, for a listener that must also count what it leaves out
// (the snippet worker's forwarder). Spawns, exits and everything else pass; each goroutine's block → unblock → run
// cycles pass by the runtime's own WaitCycleSampler rules (a few whole cycles a second per goroutine, and a total).
// Where nothing needs counting, give the runtime `sampleWaitCycles` instead: it then never builds the events.
import type { LabEventBody } from '../protocol/events.js';
import { WaitCycleSampler, type CycleBudget } from '../runtime/waitCycleSampler.js';

interface GoroutineCycles extends CycleBudget {
  started: boolean;
  /** A reported block whose unblock and run must be reported too. */
  open: boolean;
}

export class GoroutineEventBudget {
  private readonly byGoroutine = new Map<number, GoroutineCycles>();
  private readonly sampler: WaitCycleSampler;

  constructor(perSecond: number, now: () => number, totalPerSecond = 500) {
    this.sampler = new WaitCycleSampler({ perGoroutine: perSecond, total: totalPerSecond, now });
  }

  /** Block cycles left out since the start. */
  get skipped(): number {
    return this.sampler.skipped;
  }

  admit(e: LabEventBody): boolean {
    switch (e.kind) {
      case 'go.spawn':
        this.byGoroutine.set(e.gid, { cycleTokens: NaN, cycleLast: 0, started: false, open: false });
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
        b.open = this.sampler.admit(b);
        return b.open;
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

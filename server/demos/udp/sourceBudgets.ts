// A rate budget per UDP source address, and one for all sources together, so one client's flood cannot take the echo
// server from everyone; pure (the clock is injected), bounded in the sources it remembers.
import { RateBudget, type Clock } from '../../../core/budget/rateBudget.js';

export interface SourceBudgetOptions {
  /** Datagrams a second one source may send, and its burst. */
  perSource: { perSecond: number; burst: number };
  /** Datagrams a second all sources together may send, and their burst. */
  total: { perSecond: number; burst: number };
  /** Sources remembered at most; the least recently seen is forgotten first (it starts again with a full budget). */
  maxSources: number;
  clock: Clock;
}

export type BudgetVerdict = 'ok' | 'overSource' | 'overTotal';

export class SourceBudgets {
  private readonly budgets = new Map<string, RateBudget>();
  private readonly total: RateBudget;

  constructor(private readonly options: SourceBudgetOptions) {
    this.total = new RateBudget({ ...options.total, clock: options.clock });
  }

  get sources(): number {
    return this.budgets.size;
  }

  /** Whether a datagram from `source` may be answered now; takes from its budget (and the total) when it may. */
  take(source: string): BudgetVerdict {
    let budget = this.budgets.get(source);
    if (budget) {
      // Map order is insertion order: moving a source to the end keeps the oldest-seen first in line to be forgotten.
      this.budgets.delete(source);
    } else {
      budget = new RateBudget({ ...this.options.perSource, clock: this.options.clock });
      if (this.budgets.size >= this.options.maxSources) {
        const oldest = this.budgets.keys().next().value;
        if (oldest !== undefined) this.budgets.delete(oldest);
      }
    }
    this.budgets.set(source, budget);
    if (!budget.take()) return 'overSource';
    return this.total.take() ? 'ok' : 'overTotal';
  }
}

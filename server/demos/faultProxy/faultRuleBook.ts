// Who set which fault, and which connections it reaches. A rule belongs to its holder (a page's /ws session, or a
// snippet's control connection) and is cleared with it; it reaches only connections its caller owns: the page's own
// clients and its machine's snippet dials, plus connections from outside the lab (nc, Go programs) when the caller
// is on the lab's machine. Another student's connections are never reached. Pure; refusals carry stable codes.
import {
  MAX_RULES,
  MAX_RULES_PER_OWNER,
  type FaultRuleSpec,
  type FaultRuleView,
} from '../../../core/protocol/demos/faultProxy.js';
import { LabError } from '../../../core/protocol/errors.js';
import type { PipeRule } from './faultPipe.js';

/** Who sets a rule, as far as reaching connections goes. */
export interface FaultCaller {
  /** Connection owners this caller owns (connectionOwners values: `page:<session>`, `machine:<address>`). */
  owns: readonly string[];
  /** May reach connections from outside the lab (true for callers on the lab's own machine). */
  outside: boolean;
}

/** A proxied connection's owner: a connectionOwners value, or null for one from outside the lab. */
export type ConnOwner = string | null;

export function mayReach(caller: FaultCaller, owner: ConnOwner): boolean {
  return owner === null ? caller.outside : caller.owns.includes(owner);
}

interface StoredRule extends FaultRuleSpec {
  id: string;
  holder: string;
  caller: FaultCaller;
}

export class FaultRuleBook {
  private readonly rules = new Map<string, StoredRule>();
  private nextId = 1;

  /**
   * Adds a rule for `holder`. A rule naming one connection is refused unless the caller may reach it
   * (E_FAULT_NOT_YOURS, the same whether the connection is another's or does not exist).
   */
  add(
    holder: string,
    caller: FaultCaller,
    spec: FaultRuleSpec,
    connOwner: (conn: string) => ConnOwner | undefined,
  ): string {
    if (spec.conn !== 'all') {
      const owner = connOwner(spec.conn);
      if (owner === undefined || !mayReach(caller, owner)) throw new LabError('E_FAULT_NOT_YOURS', spec.conn);
    }
    let held = 0;
    for (const r of this.rules.values()) if (r.holder === holder) held++;
    if (held >= MAX_RULES_PER_OWNER || this.rules.size >= MAX_RULES)
      throw new LabError('E_FAULT_TOO_MANY', `at most ${MAX_RULES_PER_OWNER} rules each`);
    const id = `f${this.nextId++}`;
    this.rules.set(id, { ...spec, id, holder, caller });
    return id;
  }

  /** Clears one of the holder's rules (E_FAULT_NO_SUCH_RULE if it is not theirs), or all of them; returns how many. */
  clear(holder: string, id?: string): number {
    if (id !== undefined) {
      const rule = this.rules.get(id);
      if (!rule || rule.holder !== holder) throw new LabError('E_FAULT_NO_SUCH_RULE', id);
      this.rules.delete(id);
      return 1;
    }
    let n = 0;
    for (const [key, r] of this.rules) {
      if (r.holder !== holder) continue;
      this.rules.delete(key);
      n++;
    }
    return n;
  }

  list(holder: string): FaultRuleView[] {
    return [...this.rules.values()]
      .filter((r) => r.holder === holder)
      .map(({ id, fault, direction, conn, trigger }) =>
        trigger ? { id, fault, direction, conn, trigger } : { id, fault, direction, conn },
      );
  }

  /** The rules acting on one direction of a connection, in the order they were set. */
  rulesFor(conn: string, owner: ConnOwner, dir: 'up' | 'down'): PipeRule[] {
    const out: PipeRule[] = [];
    for (const r of this.rules.values()) {
      if (r.conn !== 'all' && r.conn !== conn) continue;
      if (r.direction !== 'both' && r.direction !== dir) continue;
      if (!mayReach(r.caller, owner)) continue;
      out.push(r.trigger ? { id: r.id, fault: r.fault, trigger: r.trigger } : { id: r.id, fault: r.fault });
    }
    return out;
  }

  get size(): number {
    return this.rules.size;
  }
}

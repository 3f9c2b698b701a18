// How a run ended: the result a caller gets, with Go's report and the goroutines still blocked counted as leaks.
import type { GoroutineInfo, RunStatus } from '../protocol/events/goroutine.js';
import { formatGoroutineDump } from './goroutineDump.js';

/** How a run ended. */
export interface RunResult {
  status: RunStatus;
  /** What Go would print: "panic: send on closed channel\n\ngoroutine 6 [running]:…", the deadlock report, or ''. */
  report: string;
  /** The value the failing goroutine threw (status 'panic' or 'fatal'). */
  error?: unknown;
  /** Every goroutine alive when the run ended (for a deadlock: all of them, all blocked). */
  dump: GoroutineInfo[];
  /** Goroutines still blocked when main returned or the run was stopped. */
  leaks: GoroutineInfo[];
  seed: number;
  /** Goroutines created during the run, main included. */
  goroutines: number;
}

/** The result of a run ending with `status`; `all` is every goroutine alive at the end. */
export function runResult(
  status: RunStatus,
  report: string,
  all: GoroutineInfo[],
  seed: number,
  goroutines: number,
  error?: unknown,
): RunResult {
  let leaks: GoroutineInfo[] = [];
  if (status === 'ok' || status === 'stopped') {
    leaks = all.filter((g) => g.state === 'waiting');
    if (leaks.length > 0) {
      const s = leaks.length === 1 ? '' : 's';
      const leakReport = `goroutine leak: ${leaks.length} goroutine${s} still blocked when the run ended\n\n${formatGoroutineDump(leaks)}`;
      report = report === '' ? leakReport : `${report}\n\n${leakReport}`;
    }
  }
  const result: RunResult = { status, report, dump: all, leaks, seed, goroutines };
  if (error !== undefined) result.error = error;
  return result;
}

/**
 * Whether a run that ended with `status` is halted: a fatal error or a deadlock. In Go the program is gone; here its
 * code may still run a few synchronous lines (a catch block around the fatal call, a host callback), so nothing it
 * does is heard any more.
 */
export function haltsProgram(status: RunStatus): boolean {
  return status === 'fatal' || status === 'deadlock';
}

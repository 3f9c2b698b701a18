// Circuit-breaker demo events (lesson 18): the breaker's own transitions, the upstream's mode, and statistics of the
// two caller paths (direct, and through the breaker) measured by the server. Shared by server and web.
import type { BreakerState } from '../../limits/circuitBreaker.js';
import type { BreakerRunArgs, UpstreamMode } from '../demos/circuitBreaker.js';

export type CallerPath = 'direct' | 'breaker';

/** One path's figures over a statistics window. */
export interface CallerPathStats {
  startedPerSec: number;
  okPerSec: number;
  /** Calls that reached the upstream and failed (error reply, refused, timed out). */
  failedPerSec: number;
  /** Calls the breaker refused without calling (fail fast); always 0 on the direct path. */
  fastFailedPerSec: number;
  /** Calls started and not finished at the end of the window: the callers waiting. */
  waiting: number;
  waitingMax: number;
  /** Latency of the calls that ended in the window, fast failures included; null when none ended. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export type CircuitBreakerEvent =
  | { kind: 'breaker.upstream'; source: 'observed'; mode: UpstreamMode; latencyMs: number; port: number }
  | {
      kind: 'breaker.transition';
      source: 'observed';
      from: BreakerState;
      to: BreakerState;
      reason: 'failures' | 'cool-down-over' | 'probe-failed' | 'probes-succeeded';
      count: number;
    }
  | {
      kind: 'breaker.stats';
      source: 'observed';
      windowMs: number;
      state: BreakerState;
      direct: CallerPathStats;
      breaker: CallerPathStats;
    }
  | { kind: 'breaker.runStart'; source: 'observed'; args: BreakerRunArgs }
  | {
      kind: 'breaker.runEnd';
      source: 'observed';
      stoppedEarly: boolean;
      totals: Record<CallerPath, { ok: number; failed: number; fastFailed: number; maxWaiting: number }>;
    };

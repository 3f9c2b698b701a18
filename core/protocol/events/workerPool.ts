// Worker-pool demo events (lesson 9): the pool's configuration, periodic statistics and load runs. Shared by server
// and web. Goroutine events of the demo's runtime are the runtime's own (events/goroutine.ts).
import type { WorkerPoolConfig } from '../demos/workerPool.js';

/**
 * One statistics window, measured by the server (source 'observed').
 * Latency is server-side: from the moment the request line was read to the moment its reply was written,
 * so it includes the time spent waiting in the jobs queue.
 */
export interface WorkerPoolStats {
  /** Length of the window, in milliseconds. */
  windowMs: number;
  mode: WorkerPoolConfig['mode'];
  workers: number;
  queueCap: number;
  workMs: number;
  /** Jobs in the queue channel (len(jobs)) at the end of the window, and the most seen during it. */
  queueLen: number;
  queueMax: number;
  /** Requests being worked on now, and the most at once during the window. */
  busy: number;
  busyMax: number;
  /** Requests read but not yet answered (queued, waiting to be queued, or being worked on). */
  inFlight: number;
  completed: number;
  completedPerSec: number;
  rejected: number;
  rejectedPerSec: number;
  /** Latency percentiles of the requests completed in the window; null when none completed. */
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** Goroutines alive on the demo's runtime, and open connections. */
  goroutines: number;
  connections: number;
  /** Totals since the pool was (re)configured. */
  totalCompleted: number;
  totalRejected: number;
  /** Whether a load run is going. */
  loadRunning: boolean;
}

export type WorkerPoolEvent =
  /** The pool was (re)started with this configuration; views reset their charts. */
  | { kind: 'workerPool.config'; source: 'observed'; config: WorkerPoolConfig; port: number }
  | ({ kind: 'workerPool.stats'; source: 'observed' } & WorkerPoolStats)
  | {
      kind: 'workerPool.loadStart';
      source: 'observed';
      connections: number;
      durationMs: number;
      ratePerConnection?: number;
    }
  | {
      kind: 'workerPool.loadEnd';
      source: 'observed';
      roundTrips: number;
      perSecond: number;
      seconds: number;
      errors: number;
      stoppedEarly: boolean;
    }
  /**
   * Goroutine events are streamed while they stay under a budget; above it they stop for the rest of the run and
   * the stats events summarise instead (`suppressed` counts what was not sent).
   */
  | { kind: 'workerPool.trace'; source: 'observed'; streaming: boolean; suppressed: number; budgetPerSec: number };

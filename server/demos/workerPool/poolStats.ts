// The worker pool's statistics window: counts completions, rejections and latencies between two snapshots and
// turns them into one stats event (rates, p50/p95). Pure: the server feeds it, tests drive it with numbers.
import type { WorkerPoolStats } from '../../../core/protocol/events/workerPool.js';

/** The q-quantile (0..1) of sorted values by the nearest-rank method; null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Latencies kept per window; beyond it a reservoir sample keeps percentiles honest without unbounded memory. */
const MAX_SAMPLES = 20_000;

export type PoolGauges = Pick<
  WorkerPoolStats,
  | 'mode'
  | 'workers'
  | 'queueCap'
  | 'workMs'
  | 'queueLen'
  | 'busy'
  | 'inFlight'
  | 'goroutines'
  | 'connections'
  | 'loadRunning'
>;

export class PoolStatsWindow {
  private started: number;
  private latencies: number[] = [];
  private seen = 0;
  private completed = 0;
  private rejected = 0;
  private queueMax = 0;
  private busyMax = 0;
  totalCompleted = 0;
  totalRejected = 0;

  constructor(
    now: number,
    private readonly random: () => number = Math.random,
  ) {
    this.started = now;
  }

  completedOne(latencyMs: number): void {
    this.completed++;
    this.totalCompleted++;
    this.seen++;
    if (this.latencies.length < MAX_SAMPLES) this.latencies.push(latencyMs);
    else {
      const i = Math.floor(this.random() * this.seen);
      if (i < MAX_SAMPLES) this.latencies[i] = latencyMs;
    }
  }

  rejectedOne(): void {
    this.rejected++;
    this.totalRejected++;
  }

  /** Called whenever the queue length or the number of busy workers changes, to keep the window's maxima. */
  observe(queueLen: number, busy: number): void {
    if (queueLen > this.queueMax) this.queueMax = queueLen;
    if (busy > this.busyMax) this.busyMax = busy;
  }

  /** Closes the window: the figures since the last snapshot, with the gauges as they are now. Starts a new window. */
  snapshot(now: number, gauges: PoolGauges): WorkerPoolStats {
    const windowMs = Math.max(1e-3, now - this.started);
    const sorted = this.latencies.sort((a, b) => a - b);
    const stats: WorkerPoolStats = {
      windowMs,
      ...gauges,
      queueMax: Math.max(this.queueMax, gauges.queueLen),
      busyMax: Math.max(this.busyMax, gauges.busy),
      completed: this.completed,
      completedPerSec: (this.completed * 1000) / windowMs,
      rejected: this.rejected,
      rejectedPerSec: (this.rejected * 1000) / windowMs,
      p50Ms: quantile(sorted, 0.5),
      p95Ms: quantile(sorted, 0.95),
      maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : null,
      totalCompleted: this.totalCompleted,
      totalRejected: this.totalRejected,
    };
    this.started = now;
    this.latencies = [];
    this.seen = 0;
    this.completed = 0;
    this.rejected = 0;
    this.queueMax = gauges.queueLen;
    this.busyMax = gauges.busy;
    return stats;
  }
}

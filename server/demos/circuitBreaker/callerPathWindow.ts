// Counts one caller path's calls between two statistics ticks (started, ok, failed, failed fast, waiting, latency)
// and turns them into per-second figures and percentiles. Pure.
import type { CallerPathStats } from '../../../core/protocol/events/circuitBreaker.js';

export class CallerPathWindow {
  private started = 0;
  private ok = 0;
  private failed = 0;
  private fastFailed = 0;
  private latencies: number[] = [];
  /** Calls started and not ended: the callers waiting on the upstream now. */
  waiting = 0;
  private waitingMax = 0;
  readonly totals = { ok: 0, failed: 0, fastFailed: 0, maxWaiting: 0 };

  constructor(private startedAt: number) {}

  callStarted(): void {
    this.started++;
    this.waiting++;
    if (this.waiting > this.waitingMax) this.waitingMax = this.waiting;
    if (this.waiting > this.totals.maxWaiting) this.totals.maxWaiting = this.waiting;
  }

  callEnded(ok: boolean, ms: number): void {
    this.waiting--;
    this.latencies.push(ms);
    if (ok) {
      this.ok++;
      this.totals.ok++;
    } else {
      this.failed++;
      this.totals.failed++;
    }
  }

  /** A call the breaker refused without calling: it starts and ends at once. */
  failedFast(ms: number): void {
    this.started++;
    this.fastFailed++;
    this.totals.fastFailed++;
    this.latencies.push(ms);
  }

  close(now: number): CallerPathStats {
    const windowMs = Math.max(1, now - this.startedAt);
    const perSec = (n: number) => (n * 1000) / windowMs;
    const sorted = this.latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    const stats: CallerPathStats = {
      startedPerSec: perSec(this.started),
      okPerSec: perSec(this.ok),
      failedPerSec: perSec(this.failed),
      fastFailedPerSec: perSec(this.fastFailed),
      waiting: this.waiting,
      waitingMax: this.waitingMax,
      p50Ms: pct(0.5),
      p95Ms: pct(0.95),
    };
    this.startedAt = now;
    this.started = this.ok = this.failed = this.fastFailed = 0;
    this.latencies = [];
    this.waitingMax = this.waiting;
    return stats;
  }
}

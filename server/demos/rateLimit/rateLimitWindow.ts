// Counts what the rate-limit server decided between two statistics ticks and turns it into per-second figures.
// Pure: the server feeds it decisions and the global bucket's level; the demo reads a window and starts the next.
import type { RateLimitStats } from '../../../core/protocol/events/rateLimit.js';
import type { GateVerdict } from './requestGate.js';

export class RateLimitWindow {
  private accepted = 0;
  private refusedClient = 0;
  private refusedGlobal = 0;
  private levelMin = Infinity;
  private totalAccepted = 0;
  private totalRefused = 0;

  constructor(private startedAt: number) {}

  record(v: GateVerdict, globalLevel: number): void {
    if (v.accepted) {
      this.accepted++;
      this.totalAccepted++;
    } else {
      if (v.by === 'client') this.refusedClient++;
      else this.refusedGlobal++;
      this.totalRefused++;
    }
    if (globalLevel < this.levelMin) this.levelMin = globalLevel;
  }

  /** The window ending at `now` as figures, and a fresh window from `now` (totals carry on). */
  close(now: number, gauges: { globalLevel: number; targetPerSec: number; connections: number }): RateLimitStats {
    const windowMs = Math.max(1, now - this.startedAt);
    const perSec = (n: number) => (n * 1000) / windowMs;
    const stats: RateLimitStats = {
      windowMs,
      offeredPerSec: perSec(this.accepted + this.refusedClient + this.refusedGlobal),
      acceptedPerSec: perSec(this.accepted),
      refusedClientPerSec: perSec(this.refusedClient),
      refusedGlobalPerSec: perSec(this.refusedGlobal),
      globalLevel: gauges.globalLevel,
      globalLevelMin: Math.min(this.levelMin, gauges.globalLevel),
      targetPerSec: gauges.targetPerSec,
      connections: gauges.connections,
      totalAccepted: this.totalAccepted,
      totalRefused: this.totalRefused,
    };
    this.startedAt = now;
    this.accepted = this.refusedClient = this.refusedGlobal = 0;
    this.levelMin = Infinity;
    return stats;
  }
}

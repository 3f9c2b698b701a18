// Batches events for one consumer (a browser), so the wire carries a few messages per frame, not one per event.
// When the consumer falls behind, high-volume kinds are sampled away and counted; everything else is kept.
import { SAMPLED_KINDS, type LabEvent } from '../../core/protocol/events.js';

export interface EventBatch {
  events: LabEvent[];
  dropped: number;
}

export interface BatcherLimits {
  /** Most events queued of sampled kinds; beyond it they are dropped and counted. */
  maxSampled: number;
  /** Most events queued in all; beyond it the consumer is too slow to keep (see overflowed). */
  maxQueued: number;
  /** Most events per batch handed out by take(). */
  maxBatch: number;
}

export const DEFAULT_BATCHER_LIMITS: BatcherLimits = { maxSampled: 500, maxQueued: 200_000, maxBatch: 5000 };

export class EventBatcher {
  private queue: LabEvent[] = [];
  private sampledQueued = 0;
  private dropped = 0;
  /** True once the consumer let more than maxQueued events pile up. */
  overflowed = false;

  constructor(private readonly limits: BatcherLimits = DEFAULT_BATCHER_LIMITS) {}

  get size(): number {
    return this.queue.length;
  }

  push(event: LabEvent): void {
    if (SAMPLED_KINDS.has(event.kind)) {
      if (this.sampledQueued >= this.limits.maxSampled) {
        this.dropped++;
        return;
      }
      this.sampledQueued++;
    }
    if (this.queue.length >= this.limits.maxQueued) {
      this.overflowed = true;
      this.dropped++;
      return;
    }
    this.queue.push(event);
  }

  /** Takes the oldest events (at most maxBatch) and the count dropped since the last take. */
  take(): EventBatch | null {
    if (this.queue.length === 0 && this.dropped === 0) return null;
    let events: LabEvent[];
    if (this.queue.length <= this.limits.maxBatch) {
      events = this.queue;
      this.queue = [];
    } else {
      events = this.queue.slice(0, this.limits.maxBatch);
      this.queue = this.queue.slice(this.limits.maxBatch);
    }
    let sampled = 0;
    for (const e of events) if (SAMPLED_KINDS.has(e.kind)) sampled++;
    this.sampledQueued -= sampled;
    const dropped = this.dropped;
    this.dropped = 0;
    return { events, dropped };
  }
}

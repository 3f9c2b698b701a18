// The browser's event store: a bounded ring of every event received, with absolute positions, and change
// notifications coalesced to at most one per animation frame (views never render per message).
import type { LabEvent } from '@core/protocol/events';

export type FrameScheduler = (callback: () => void) => void;

const defaultScheduler: FrameScheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
};

export class EventStore {
  private readonly ring: (LabEvent | undefined)[];
  /** Absolute position one past the newest event. */
  private endPos = 0;
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  /** Changes once per notified frame; views use it as their snapshot. */
  version = 0;
  /** Events the server sampled away because this browser fell behind. */
  dropped = 0;

  constructor(
    readonly capacity = 100_000,
    private readonly schedule: FrameScheduler = defaultScheduler,
  ) {
    this.ring = new Array<LabEvent | undefined>(capacity);
  }

  /** Absolute position of the oldest event still held. */
  get start(): number {
    return Math.max(0, this.endPos - this.capacity);
  }

  get end(): number {
    return this.endPos;
  }

  at(pos: number): LabEvent | undefined {
    return pos >= this.start && pos < this.endPos ? this.ring[pos % this.capacity] : undefined;
  }

  append(events: readonly LabEvent[], dropped = 0): void {
    for (const e of events) {
      this.ring[this.endPos % this.capacity] = e;
      this.endPos++;
    }
    this.dropped += dropped;
    if (events.length > 0 || dropped > 0) this.notifySoon();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private notifySoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.version++;
      for (const l of this.listeners) l();
    });
  }
}

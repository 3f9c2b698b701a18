// The event bus: stamps every observation (seq, time, demo), keeps recent history per demo and fans out to listeners.
import type { LabEvent, LabEventBody } from '../../core/protocol/events.js';

export type EventListener = (event: LabEvent) => void;

const wallClockOrigin = performance.timeOrigin;

/** Wall-clock milliseconds with sub-millisecond precision (Date.now() is whole milliseconds). */
export function labNow(): number {
  return wallClockOrigin + performance.now();
}

export class EventBus {
  private seq = 0;
  private readonly listeners = new Set<EventListener>();
  private readonly history = new Map<string, RecentEvents>();

  constructor(private readonly historyPerDemo = 2000) {}

  publish(demo: string, body: LabEventBody): LabEvent {
    const event = body as LabEvent;
    // Stamp in place: producers hand over a fresh object, and a copy per event would be measurable on the echo path.
    event.seq = ++this.seq;
    event.t = labNow();
    event.demo = demo;
    let recent = this.history.get(demo);
    if (!recent) {
      recent = new RecentEvents(this.historyPerDemo);
      this.history.set(demo, recent);
    }
    recent.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The most recent events of one demo, oldest first, for a browser that subscribes late. */
  recent(demo: string): LabEvent[] {
    return this.history.get(demo)?.toArray() ?? [];
  }

  /** Drops the history of a demo that is gone (a snippet's bridge session that ended), so it holds no memory. */
  forget(demo: string): void {
    this.history.delete(demo);
  }

  /** A publisher bound to one demo. */
  forDemo(demo: string): (body: LabEventBody) => LabEvent {
    return (body) => this.publish(demo, body);
  }
}

/** A fixed-size ring of the newest events. */
class RecentEvents {
  private readonly items: LabEvent[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(event: LabEvent): void {
    if (this.items.length < this.capacity) this.items.push(event);
    else this.items[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
  }

  toArray(): LabEvent[] {
    if (this.items.length < this.capacity) return this.items.slice();
    return this.items.slice(this.next).concat(this.items.slice(0, this.next));
  }
}

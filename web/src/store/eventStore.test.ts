import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import { FoldCursor, type Fold } from './eventFold';
import { EventStore } from './eventStore';

let seq = 0;
const ev = (demo = 'echo'): LabEvent => ({ kind: 'demo.started', source: 'observed', seq: ++seq, t: seq, demo });

/** A scheduler the test fires by hand, standing in for requestAnimationFrame. */
function manualFrames() {
  const queue: (() => void)[] = [];
  return {
    schedule: (cb: () => void) => void queue.push(cb),
    fire: () => queue.splice(0).forEach((cb) => cb()),
    pending: () => queue.length,
  };
}

const counter: Fold<{ n: number; seqs: number[] }> = {
  init: () => ({ n: 0, seqs: [] }),
  step: (s, e) => {
    s.n++;
    s.seqs.push(e.seq);
  },
};

describe('EventStore', () => {
  it('notifies at most once per frame however many batches arrive', () => {
    const frames = manualFrames();
    const store = new EventStore(100, frames.schedule);
    let notified = 0;
    store.subscribe(() => notified++);
    store.append([ev(), ev()]);
    store.append([ev()]);
    store.append([], 3);
    expect(frames.pending()).toBe(1);
    frames.fire();
    expect(notified).toBe(1);
    expect(store.version).toBe(1);
    expect(store.end).toBe(3);
    expect(store.dropped).toBe(3);
  });

  it('keeps the newest events when full, with absolute positions', () => {
    const store = new EventStore(3, () => {});
    const events = [ev(), ev(), ev(), ev(), ev()];
    store.append(events);
    expect([store.start, store.end]).toEqual([2, 5]);
    expect(store.at(1)).toBeUndefined();
    expect(store.at(2)).toBe(events[2]);
    expect(store.at(4)).toBe(events[4]);
  });
});

describe('FoldCursor', () => {
  it('steps only through events it has not seen', () => {
    const store = new EventStore(10, () => {});
    const cursor = new FoldCursor(counter, store);
    store.append([ev(), ev()]);
    expect(cursor.catchUp()).toBe(2);
    expect(cursor.catchUp()).toBe(0);
    store.append([ev()]);
    expect(cursor.catchUp()).toBe(1);
    expect(cursor.state.n).toBe(3);
  });

  it('counts events that left the ring before it saw them, and carries on', () => {
    const store = new EventStore(4, () => {});
    const cursor = new FoldCursor(counter, store);
    const events = Array.from({ length: 10 }, () => ev());
    store.append(events);
    cursor.catchUp();
    expect(cursor.missed).toBe(6);
    expect(cursor.state.seqs).toEqual(events.slice(6).map((e) => e.seq));
  });
});

import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../core/protocol/events.js';
import { EventBatcher } from './eventBatcher.js';

let seq = 0;
const data = (): LabEvent => ({
  kind: 'socket.data',
  source: 'observed',
  conn: 'c',
  dir: 'in',
  len: 1,
  b64: 'YQ==',
  clipped: false,
  seq: ++seq,
  t: 0,
  demo: 'echo',
});
const close = (): LabEvent => ({
  kind: 'socket.close',
  source: 'observed',
  conn: 'c',
  reason: 'eof',
  bytesIn: 0,
  bytesOut: 0,
  seq: ++seq,
  t: 0,
  demo: 'echo',
});

describe('EventBatcher', () => {
  it('hands out queued events in order and nothing when empty', () => {
    const b = new EventBatcher();
    expect(b.take()).toBeNull();
    const events = [data(), close(), data()];
    for (const e of events) b.push(e);
    expect(b.take()).toEqual({ events, dropped: 0 });
    expect(b.take()).toBeNull();
  });

  it('samples away data events beyond the limit but keeps every close', () => {
    const b = new EventBatcher({ maxSampled: 2, maxQueued: 100, maxBatch: 100 });
    for (let i = 0; i < 5; i++) b.push(data());
    b.push(close());
    const batch = b.take()!;
    expect(batch.dropped).toBe(3);
    expect(batch.events.map((e) => e.kind)).toEqual(['socket.data', 'socket.data', 'socket.close']);
    // After a take, sampled room is available again.
    b.push(data());
    expect(b.take()!.events).toHaveLength(1);
  });

  it('splits big queues into batches of maxBatch', () => {
    const b = new EventBatcher({ maxSampled: 1000, maxQueued: 1000, maxBatch: 4 });
    for (let i = 0; i < 10; i++) b.push(close());
    expect(b.take()!.events).toHaveLength(4);
    expect(b.take()!.events).toHaveLength(4);
    expect(b.take()!.events).toHaveLength(2);
  });

  it('flags a consumer that lets too much pile up', () => {
    const b = new EventBatcher({ maxSampled: 10, maxQueued: 3, maxBatch: 10 });
    for (let i = 0; i < 3; i++) b.push(close());
    expect(b.overflowed).toBe(false);
    b.push(close());
    expect(b.overflowed).toBe(true);
    expect(b.size).toBe(3);
  });
});

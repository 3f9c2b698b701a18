import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../core/protocol/events.js';
import { EventBus } from './eventBus.js';

describe('EventBus', () => {
  it('stamps events with increasing seq, a time and the demo, and fans out', () => {
    const bus = new EventBus();
    const seen: LabEvent[] = [];
    const off = bus.subscribe((e) => seen.push(e));
    const before = Date.now();
    bus.publish('echo', { kind: 'demo.started', source: 'observed' });
    bus.forDemo('other')({ kind: 'demo.stopped', source: 'observed' });
    off();
    bus.publish('echo', { kind: 'demo.stopped', source: 'observed' });
    expect(seen.map((e) => [e.seq, e.demo, e.kind])).toEqual([
      [1, 'echo', 'demo.started'],
      [2, 'other', 'demo.stopped'],
    ]);
    expect(seen[0]!.t).toBeGreaterThanOrEqual(before - 1);
    expect(seen[0]!.t).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('keeps the newest events per demo for late subscribers', () => {
    const bus = new EventBus(3);
    for (let i = 0; i < 5; i++) bus.publish('echo', { kind: 'demo.started', source: 'observed' });
    bus.publish('other', { kind: 'demo.stopped', source: 'observed' });
    expect(bus.recent('echo').map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(bus.recent('other').map((e) => e.seq)).toEqual([6]);
    expect(bus.recent('none')).toEqual([]);
  });
});

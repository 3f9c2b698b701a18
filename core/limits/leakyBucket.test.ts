import { describe, expect, it } from 'vitest';
import { LeakyBucket } from './leakyBucket.js';
import { TokenBucket } from './tokenBucket.js';

describe('LeakyBucket', () => {
  it('spaces a burst evenly instead of letting it through at once', () => {
    const clock = { now: 0 };
    const b = new LeakyBucket({ perSecond: 10, capacity: 4, clock: () => clock.now });
    const delays = Array.from({ length: 5 }, () => b.offer());
    expect(delays.map((d) => d.accepted)).toEqual([true, true, true, true, true]);
    expect(delays.map((d) => Math.round(d.delayMs))).toEqual([0, 100, 200, 300, 400]);
    expect(b.waiting()).toBe(4);
    expect(b.offer().accepted).toBe(false);
  });

  it('drains: after the queue empties a request passes at once', () => {
    const clock = { now: 0 };
    const b = new LeakyBucket({ perSecond: 10, capacity: 2, clock: () => clock.now });
    b.offer();
    b.offer();
    b.offer();
    expect(b.offer().accepted).toBe(false);
    clock.now += 150;
    expect(b.waiting()).toBe(1);
    clock.now += 1000;
    expect(b.waiting()).toBe(0);
    expect(b.offer()).toEqual({ accepted: true, delayMs: 0 });
  });

  it('capacity 0 passes only requests whose slot is free', () => {
    const clock = { now: 0 };
    const b = new LeakyBucket({ perSecond: 10, capacity: 0, clock: () => clock.now });
    expect(b.offer().accepted).toBe(true);
    expect(b.offer().accepted).toBe(false);
    clock.now += 100;
    expect(b.offer().accepted).toBe(true);
  });

  it('differs from a token bucket of the same rate: same long-run count, but the burst waits', () => {
    const clock = { now: 0 };
    const leaky = new LeakyBucket({ perSecond: 10, capacity: 9, clock: () => clock.now });
    const token = new TokenBucket({ perSecond: 10, burst: 10, clock: () => clock.now });
    const leakyDelays: number[] = [];
    let tokenPassed = 0;
    for (let i = 0; i < 10; i++) {
      const d = leaky.offer();
      if (d.accepted) leakyDelays.push(d.delayMs);
      if (token.allow()) tokenPassed++;
    }
    expect(tokenPassed).toBe(10); // all ten at once
    expect(leakyDelays.length).toBe(10);
    expect(Math.max(...leakyDelays)).toBeCloseTo(900); // the tenth leaves 0.9 s later
  });

  it('rejects nonsense settings', () => {
    expect(() => new LeakyBucket({ perSecond: 0, capacity: 1, clock: () => 0 })).toThrow(RangeError);
    expect(() => new LeakyBucket({ perSecond: 1, capacity: -1, clock: () => 0 })).toThrow(RangeError);
  });
});

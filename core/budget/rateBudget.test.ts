// The one rate budget: bursts, refill on the injected clock, refusal versus debt, a clock that goes backwards.
import { describe, expect, it } from 'vitest';
import { RateBudget, refill } from './rateBudget.js';

function fakeClock(start = 0) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe('RateBudget', () => {
  it('allows a burst, then refills at the rate, never above the burst', () => {
    const c = fakeClock();
    const b = new RateBudget({ perSecond: 2, burst: 3, clock: c.now });
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    c.t = 400;
    expect(b.take()).toBe(false); // 0.8 token
    c.t = 500;
    expect(b.take()).toBe(true); // 1.0 token
    c.t = 10_000;
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
  });

  it('refuses a cost larger than what it holds without taking anything', () => {
    const c = fakeClock();
    const b = new RateBudget({ perSecond: 10, burst: 5, clock: c.now });
    expect(b.take(6)).toBe(false);
    expect(b.take(5)).toBe(true);
  });

  it('goes into debt for bytes already moved and says how long until it is paid', () => {
    const c = fakeClock();
    const b = new RateBudget({ perSecond: 1000, burst: 500, clock: c.now });
    expect(b.owe(500)).toBe(0);
    expect(b.owe(1000)).toBeCloseTo(1000);
    c.t = 500;
    expect(b.delay()).toBeCloseTo(500);
    c.t = 1000;
    expect(b.delay()).toBe(0);
    c.t = 100_000; // a long pause refills only up to the burst
    expect(b.owe(600)).toBeCloseTo(100);
  });

  it('does not refill when the clock goes backwards, nor lose time when it comes back', () => {
    const c = fakeClock(1000);
    const b = new RateBudget({ perSecond: 1, burst: 1, clock: c.now });
    expect(b.take()).toBe(true);
    c.t = 500;
    expect(b.take()).toBe(false);
    c.t = 2000;
    expect(b.take()).toBe(true);
  });

  it('is full again after reset', () => {
    const c = fakeClock();
    const b = new RateBudget({ perSecond: 1, burst: 2, clock: c.now });
    b.take(2);
    expect(b.take()).toBe(false);
    b.reset();
    expect([b.take(), b.take(), b.take()]).toEqual([true, true, false]);
  });
});

describe('refill', () => {
  it('adds the elapsed share of the rate, capped at the burst', () => {
    expect(refill(0, 0, 250, 4, 10)).toBe(1);
    expect(refill(9, 0, 1000, 4, 10)).toBe(10);
    expect(refill(3, 1000, 0, 4, 10)).toBe(3);
  });
});

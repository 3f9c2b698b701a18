import { describe, expect, it } from 'vitest';
import { Backoff, BucketCounter, backoffDelay } from './backoffPolicy';

const opts = { baseMs: 100, capMs: 1000 };

describe('backoffDelay', () => {
  it('never waits without backoff', () => {
    for (let r = 0; r < 20; r++) expect(backoffDelay('none', r, opts, () => 0.99)).toBe(0);
  });

  it('doubles from the base up to the cap, then stays at the cap', () => {
    const waits = Array.from({ length: 8 }, (_, r) => backoffDelay('exponential', r, opts));
    expect(waits).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it('stays finite at the cap however many retries', () => {
    expect(backoffDelay('exponential', 5000, opts)).toBe(1000);
    expect(backoffDelay('jitter', 5000, opts, () => 0.5)).toBe(500);
  });

  it('full jitter draws in [0, the exponential wait): the random value scales the ceiling', () => {
    expect(backoffDelay('jitter', 0, opts, () => 0)).toBe(0);
    expect(backoffDelay('jitter', 2, opts, () => 0.5)).toBe(200);
    expect(backoffDelay('jitter', 2, opts, () => 0.999999)).toBe(399);
    expect(backoffDelay('jitter', 9, opts, () => 0.25)).toBe(250);
  });

  it('jittered waits of many clients spread over the whole range', () => {
    let seed = 7;
    const lcg = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const waits = Array.from({ length: 2000 }, () => backoffDelay('jitter', 4, opts, lcg));
    const below = waits.filter((w) => w < 500).length;
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...waits)).toBeLessThan(1000);
    // Uniform: about half below the middle (wide margin).
    expect(below).toBeGreaterThan(800);
    expect(below).toBeLessThan(1200);
  });

  it('refuses bad arguments', () => {
    expect(() => backoffDelay('exponential', -1, opts)).toThrow(RangeError);
    expect(() => backoffDelay('exponential', 1.5, opts)).toThrow(RangeError);
    expect(() => backoffDelay('jitter', 0, { baseMs: 500, capMs: 100 })).toThrow(RangeError);
    expect(() => backoffDelay('jitter', 0, { baseMs: Number.NaN, capMs: 100 })).toThrow(RangeError);
  });
});

describe('Backoff', () => {
  it('walks the schedule and starts over after reset', () => {
    const b = new Backoff('exponential', { baseMs: 10, capMs: 50 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([10, 20, 40, 50]);
    expect(b.retries).toBe(4);
    b.reset();
    expect(b.next()).toBe(10);
  });

  it('uses the injected random source', () => {
    const draws = [0.1, 0.9];
    const b = new Backoff('jitter', { baseMs: 100, capMs: 1000 }, () => draws.shift() ?? 0);
    expect([b.next(), b.next()]).toEqual([10, 180]);
  });

  it('rejects options it could never use', () => {
    expect(() => new Backoff('none', { baseMs: 10, capMs: 5 })).toThrow(RangeError);
  });
});

describe('BucketCounter', () => {
  it('counts events per bucket and fills quiet buckets with zeros', () => {
    let now = 1000;
    const c = new BucketCounter(100, 1000, () => now);
    c.add();
    c.add();
    now = 1150;
    c.add();
    now = 1420;
    expect(c.series()).toEqual([2, 1, 0, 0, 0]);
  });

  it('stays bounded: late events land in the last bucket', () => {
    let now = 0;
    const c = new BucketCounter(100, 0, () => now, 3);
    now = 10_000;
    c.add();
    expect(c.series()).toEqual([0, 0, 1]);
  });
});

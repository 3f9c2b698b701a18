import { describe, expect, it } from 'vitest';
import { TokenBucket } from './tokenBucket.js';

function bucket(perSecond: number, burst: number) {
  const clock = { now: 1000 };
  return { clock, b: new TokenBucket({ perSecond, burst, clock: () => clock.now }) };
}

describe('TokenBucket.allow (x/time/rate Allow)', () => {
  it('starts full: a burst passes at once, the next is refused', () => {
    const { b } = bucket(10, 5);
    expect(Array.from({ length: 7 }, () => b.allow())).toEqual([true, true, true, true, true, false, false]);
  });

  it('refills at the rate, never above the burst', () => {
    const { clock, b } = bucket(10, 5);
    for (let i = 0; i < 5; i++) b.allow();
    clock.now += 99;
    expect(b.allow()).toBe(false);
    clock.now += 1; // 100 ms at 10/s: one token
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    clock.now += 60_000;
    expect(b.level()).toBe(5);
  });

  it('a refused request takes nothing', () => {
    const { clock, b } = bucket(10, 2);
    b.allow(2);
    clock.now += 50;
    expect(b.allow()).toBe(false);
    clock.now += 50;
    expect(b.allow()).toBe(true);
  });

  it('AllowN takes n at once or none', () => {
    const { b } = bucket(1, 5);
    expect(b.allow(3)).toBe(true);
    expect(b.allow(3)).toBe(false);
    expect(b.level()).toBeCloseTo(2);
  });

  it('Inf allows everything; burst 0 with a finite rate allows nothing', () => {
    expect(Array.from({ length: 1000 }, () => bucket(Infinity, 0).b.allow()).every(Boolean)).toBe(true);
    const { clock, b } = bucket(100, 0);
    clock.now += 10_000;
    expect(b.allow()).toBe(false);
  });

  it('a clock that goes backwards adds nothing', () => {
    const { clock, b } = bucket(10, 1);
    b.allow();
    clock.now -= 5000;
    expect(b.allow()).toBe(false);
  });

  it("says how long until the next token (a refusal's retry-after)", () => {
    const { clock, b } = bucket(4, 2);
    expect(b.delayFor()).toBe(0);
    b.allow(2);
    expect(b.delayFor()).toBeCloseTo(250);
    clock.now += 100;
    expect(b.delayFor()).toBeCloseTo(150);
    expect(b.delayFor(3)).toBe(Infinity);
  });

  it('rejects nonsense settings', () => {
    expect(() => new TokenBucket({ perSecond: -1, burst: 1, clock: () => 0 })).toThrow(RangeError);
    expect(() => new TokenBucket({ perSecond: 1, burst: 1.5, clock: () => 0 })).toThrow(RangeError);
    expect(() => new TokenBucket({ perSecond: NaN, burst: 1, clock: () => 0 })).toThrow(RangeError);
  });
});

describe('TokenBucket.reserve (x/time/rate Reserve)', () => {
  it('goes into debt and says how long to wait, one gap per token', () => {
    const { clock, b } = bucket(10, 2);
    expect(b.reserve().delayFrom(clock.now)).toBe(0);
    expect(b.reserve().delayFrom(clock.now)).toBe(0);
    const third = b.reserve();
    const fourth = b.reserve();
    expect(third.delayFrom(clock.now)).toBeCloseTo(100);
    expect(fourth.delayFrom(clock.now)).toBeCloseTo(200);
    expect(b.level()).toBeCloseTo(-2);
    expect(b.allow()).toBe(false);
  });

  it('refuses n above the burst and takes nothing', () => {
    const { b } = bucket(10, 2);
    const r = b.reserve(3);
    expect(r.ok).toBe(false);
    expect(r.delayFrom(0)).toBe(Infinity);
    expect(b.level()).toBe(2);
  });

  it('cancel before it comes due gives the tokens back; after, it does nothing', () => {
    const { clock, b } = bucket(10, 1);
    b.allow();
    const r = b.reserve();
    r.cancel();
    expect(b.level()).toBeCloseTo(0);
    r.cancel(); // twice is once
    expect(b.level()).toBeCloseTo(0);
    const late = b.reserve();
    clock.now += 200;
    late.cancel();
    expect(b.level()).toBeCloseTo(1);
  });
});

describe('TokenBucket.wait (x/time/rate Wait)', () => {
  function fakeSleep(clock: { now: number }, slept: number[]) {
    return async (ms: number) => {
      slept.push(ms);
      clock.now += ms;
    };
  }

  it('sleeps exactly until its token exists', async () => {
    const { clock, b } = bucket(4, 1);
    const slept: number[] = [];
    expect(await b.wait(fakeSleep(clock, slept))).toBeNull();
    expect(await b.wait(fakeSleep(clock, slept))).toBeNull();
    expect(await b.wait(fakeSleep(clock, slept))).toBeNull();
    expect(slept.map((s) => Math.round(s))).toEqual([250, 250]);
  });

  it('refuses at once when the wait would pass the deadline, and keeps its tokens', async () => {
    const { clock, b } = bucket(1, 1);
    b.allow();
    const slept: number[] = [];
    expect(await b.wait(fakeSleep(clock, slept), { deadline: clock.now + 500 })).toBe('would-pass-deadline');
    expect(slept).toEqual([]);
    expect(b.level()).toBeCloseTo(0);
  });

  it('refuses n above the burst', async () => {
    const { clock, b } = bucket(1, 1);
    expect(await b.wait(fakeSleep(clock, []), { n: 2 })).toBe('exceeds-burst');
  });

  it('a cancelled wait gives its tokens back', async () => {
    const { clock, b } = bucket(1, 1);
    b.allow();
    const abort = new AbortController();
    const result = await b.wait(
      async () => {
        clock.now += 300;
        abort.abort();
      },
      { signal: abort.signal },
    );
    expect(result).toBe('canceled');
    expect(b.level()).toBeCloseTo(0.3);
  });
});

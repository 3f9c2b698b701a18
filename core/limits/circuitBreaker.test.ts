import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerOptions, type BreakerTransition } from './circuitBreaker.js';

function breaker(overrides: Partial<BreakerOptions> = {}) {
  const clock = { now: 10_000 };
  const events: BreakerTransition[] = [];
  const b = new CircuitBreaker({
    failureThreshold: 3,
    windowMs: 1000,
    openMs: 500,
    halfOpenProbes: 2,
    clock: () => clock.now,
    onTransition: (t) => events.push(t),
    ...overrides,
  });
  const call = (ok: boolean) => {
    const ticket = b.allow();
    if (ticket !== null) b.done(ticket, ok);
    return ticket !== null;
  };
  return { clock, events, b, call };
}

describe('CircuitBreaker', () => {
  it('stays closed under successes and fewer failures than the threshold', () => {
    const { b, call, events } = breaker();
    for (let i = 0; i < 100; i++) call(true);
    call(false);
    call(false);
    expect(b.state()).toBe('closed');
    expect(events).toEqual([]);
  });

  it('opens after the threshold of failures in the window and then fails fast', () => {
    const { b, call, events } = breaker();
    call(false);
    call(false);
    call(false);
    expect(b.state()).toBe('open');
    expect(events).toEqual([{ from: 'closed', to: 'open', at: 10_000, count: 3, reason: 'failures' }]);
    expect(call(true)).toBe(false);
    expect(call(true)).toBe(false);
    expect(b.rejected).toBe(2);
  });

  it('counts failures in a sliding window: old failures fall out', () => {
    const { b, call, clock } = breaker();
    call(false);
    call(false);
    clock.now += 1100;
    expect(b.failuresInWindow()).toBe(0);
    call(false);
    call(false);
    expect(b.state()).toBe('closed');
    clock.now += 400;
    call(false);
    expect(b.state()).toBe('open');
  });

  it('goes half-open after the cool-down and lets only the probes through', () => {
    const { b, call, clock, events } = breaker();
    for (let i = 0; i < 3; i++) call(false);
    clock.now += 499;
    expect(b.state()).toBe('open');
    clock.now += 1;
    expect(b.state()).toBe('half-open');
    const p1 = b.allow();
    const p2 = b.allow();
    expect(p1).not.toBeNull();
    expect(p2).not.toBeNull();
    expect(b.allow()).toBeNull(); // probes are out: fail fast
    b.done(p1!, true);
    expect(b.state()).toBe('half-open');
    b.done(p2!, true);
    expect(b.state()).toBe('closed');
    expect(events.map((e) => `${e.from}>${e.to}:${e.reason}`)).toEqual([
      'closed>open:failures',
      'open>half-open:cool-down-over',
      'half-open>closed:probes-succeeded',
    ]);
    // Closed again with a clean window: it takes the full threshold to open once more.
    call(false);
    call(false);
    expect(b.state()).toBe('closed');
  });

  it('a failed probe opens it again for a fresh cool-down', () => {
    const { b, call, clock, events } = breaker();
    for (let i = 0; i < 3; i++) call(false);
    clock.now += 600;
    const probe = b.allow();
    clock.now += 10;
    b.done(probe!, false);
    expect(b.state()).toBe('open');
    expect(events.at(-1)).toMatchObject({ from: 'half-open', to: 'open', reason: 'probe-failed', at: 10_610 });
    clock.now += 499;
    expect(b.state()).toBe('open');
    clock.now += 1;
    expect(b.state()).toBe('half-open');
  });

  it('ignores results of calls let in under an earlier state', () => {
    const { b, call, clock } = breaker();
    const slow = b.allow(); // a call that started while closed
    for (let i = 0; i < 3; i++) call(false);
    clock.now += 600;
    expect(b.state()).toBe('half-open');
    b.done(slow!, false); // ends late: must not count as a failed probe
    expect(b.state()).toBe('half-open');
  });

  it('rejects nonsense settings', () => {
    expect(() => breaker({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => breaker({ windowMs: 0 })).toThrow(RangeError);
    expect(() => breaker({ openMs: Infinity })).toThrow(RangeError);
    expect(() => breaker({ halfOpenProbes: 1.5 })).toThrow(RangeError);
  });
});

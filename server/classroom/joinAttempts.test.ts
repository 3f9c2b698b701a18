import { describe, expect, it } from 'vitest';
import { JoinAttempts } from './joinAttempts.js';

describe('join attempts per address', () => {
  const limits = { maxWrong: 3, windowMs: 60_000 };

  it('lets an address try until it has made maxWrong wrong tries in the window', () => {
    const a = new JoinAttempts(limits);
    for (let i = 0; i < 3; i++) {
      expect(a.retryAfterMs('10.0.0.2', 1000 + i)).toBe(0);
      a.recordWrong('10.0.0.2', 1000 + i);
    }
    const wait = a.retryAfterMs('10.0.0.2', 2000);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it('counts each address on its own', () => {
    const a = new JoinAttempts(limits);
    for (let i = 0; i < 3; i++) a.recordWrong('10.0.0.2', 1000);
    expect(a.retryAfterMs('10.0.0.3', 1000)).toBe(0);
  });

  it('lets the address try again once its oldest wrong try has left the window', () => {
    const a = new JoinAttempts(limits);
    a.recordWrong('x', 0);
    a.recordWrong('x', 10_000);
    a.recordWrong('x', 20_000);
    expect(a.retryAfterMs('x', 30_000)).toBe(30_000);
    expect(a.retryAfterMs('x', 60_000)).toBe(0);
    expect(a.retryAfterMs('x', 61_000)).toBe(0);
  });

  it('forgives an address that then gives the right code, and forgets old addresses', () => {
    const a = new JoinAttempts(limits);
    a.recordWrong('x', 0);
    a.recordWrong('x', 0);
    a.recordRight('x');
    a.recordWrong('x', 1);
    a.recordWrong('x', 1);
    expect(a.retryAfterMs('x', 2)).toBe(0);
    a.recordWrong('y', 0);
    a.prune(120_000);
    expect(a.size).toBe(0);
  });
});

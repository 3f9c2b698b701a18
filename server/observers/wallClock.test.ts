import { describe, expect, it } from 'vitest';
import { measureWallClockOffset, wallClockNow } from './wallClock.js';

// Margins fit a busy machine: a thread descheduled between two clock reads sees them milliseconds apart, so each
// check brackets wallClockNow() between Date.now() readings and allows a millisecond either side of the bracket.
describe('wallClockNow', () => {
  it('falls within the Date.now() readings around it and never runs backwards', () => {
    let previous = wallClockNow();
    for (let i = 0; i < 2000; i++) {
      const before = Date.now();
      const t = wallClockNow();
      const after = Date.now();
      expect(t).toBeGreaterThanOrEqual(before - 1);
      expect(t).toBeLessThan(after + 2);
      expect(t).toBeGreaterThanOrEqual(previous);
      previous = t;
    }
  });

  it('has sub-millisecond precision (values between whole milliseconds)', () => {
    const fractions = new Set(Array.from({ length: 50 }, () => wallClockNow() % 1));
    expect(fractions.size).toBeGreaterThan(10);
  });
});

describe('measureWallClockOffset', () => {
  it('measures a stable offset (most measurements agree within a quarter of a millisecond)', () => {
    const offsets = Array.from({ length: 9 }, () => measureWallClockOffset()).sort((a, b) => a - b);
    expect(offsets[6]! - offsets[2]!).toBeLessThan(0.25);
  });
});

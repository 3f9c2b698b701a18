import { describe, expect, it } from 'vitest';
import { measureWallClockOffset, wallClockNow } from './wallClock.js';

describe('wallClockNow', () => {
  it('agrees with Date.now() (whole ms) to within a quarter of a millisecond and never runs backwards', () => {
    let previous = wallClockNow();
    for (let i = 0; i < 2000; i++) {
      const before = Date.now();
      const t = wallClockNow();
      const after = Date.now();
      expect(t).toBeGreaterThanOrEqual(before - 0.25);
      expect(t).toBeLessThan(after + 1);
      expect(t).toBeGreaterThanOrEqual(previous);
      previous = t;
    }
  });

  it('measures a stable offset (most measurements agree within 0.1 ms)', () => {
    const offsets = Array.from({ length: 9 }, () => measureWallClockOffset()).sort((a, b) => a - b);
    expect(offsets[6]! - offsets[2]!).toBeLessThan(0.1);
  });
});

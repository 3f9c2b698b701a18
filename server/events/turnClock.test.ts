import { describe, expect, it } from 'vitest';
import { turnNow } from './turnClock.js';

describe('turnNow', () => {
  it('reads the clock once per turn of the event loop and again in the next turn', async () => {
    const first = turnNow();
    const spin = performance.now() + 3;
    while (performance.now() < spin) {
      /* time passes within this turn */
    }
    expect(turnNow()).toBe(first);
    await new Promise((r) => setTimeout(r, 5));
    expect(turnNow()).toBeGreaterThanOrEqual(first + 3);
  });
});

// The goroutine-event budget: everything under it streams; the first event over it stops streaming for good
// (until reset), so a timeline never shows a block without its unblock.
import { describe, expect, it } from 'vitest';
import { GoEventBudget } from './goEventBudget.js';

describe('GoEventBudget', () => {
  it('streams up to the budget in a second, then stops and counts what it held back', () => {
    const b = new GoEventBudget(3);
    expect([b.allow(0), b.allow(1), b.allow(2)]).toEqual([true, true, true]);
    expect(b.allow(3)).toBe(false);
    expect(b.streaming).toBe(false);
    // A new second does not restart streaming: the gap would leave goroutines half-drawn.
    expect(b.allow(5000)).toBe(false);
    expect(b.suppressed).toBe(2);
  });

  it('allows the budget again in every new second while under it', () => {
    const b = new GoEventBudget(2);
    expect([b.allow(0), b.allow(10), b.allow(1000), b.allow(1500), b.allow(2100)]).toEqual([true, true, true, true, true]);
    expect(b.streaming).toBe(true);
  });

  it('streams again after a reset', () => {
    const b = new GoEventBudget(1);
    b.allow(0);
    b.allow(1);
    b.reset(10);
    expect(b.streaming).toBe(true);
    expect(b.suppressed).toBe(0);
    expect(b.allow(11)).toBe(true);
  });
});

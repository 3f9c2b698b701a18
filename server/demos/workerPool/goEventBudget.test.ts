// The goroutine-event budget: everything under it streams; the first event over it stops streaming for good
// (until reset), so a timeline never shows a block without its unblock.
import { describe, expect, it } from 'vitest';
import { GoEventBudget } from './goEventBudget.js';

function budgetAt(perSecond: number) {
  const clock = { t: 0 };
  const b = new GoEventBudget(perSecond, () => clock.t);
  const allowAt = (t: number) => {
    clock.t = t;
    return b.allow();
  };
  return { b, clock, allowAt };
}

describe('GoEventBudget', () => {
  it('streams up to the budget in a second, then stops and counts what it held back', () => {
    const { b, allowAt } = budgetAt(3);
    expect([allowAt(0), allowAt(1), allowAt(2)]).toEqual([true, true, true]);
    expect(allowAt(3)).toBe(false);
    expect(b.streaming).toBe(false);
    // A new second does not restart streaming: the gap would leave goroutines half-drawn.
    expect(allowAt(5000)).toBe(false);
    expect(b.suppressed).toBe(2);
  });

  it('allows the budget again in every new second while under it', () => {
    const { b, allowAt } = budgetAt(2);
    expect([allowAt(0), allowAt(10), allowAt(1000), allowAt(1500), allowAt(2100)]).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(b.streaming).toBe(true);
  });

  it('streams again after a reset', () => {
    const { b, clock, allowAt } = budgetAt(1);
    allowAt(0);
    allowAt(1);
    clock.t = 10;
    b.reset();
    expect(b.streaming).toBe(true);
    expect(b.suppressed).toBe(0);
    expect(allowAt(11)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { LabEventBody } from '../protocol/events.js';
import { GoroutineEventBudget } from './goroutineEventBudget.js';

const ev = {
  spawn: (gid: number): LabEventBody => ({ kind: 'go.spawn', source: 'observed', gid, parent: 0, fn: 'handleConn' }),
  run: (gid: number): LabEventBody => ({ kind: 'go.run', source: 'observed', gid }),
  block: (gid: number): LabEventBody => ({ kind: 'go.block', source: 'observed', gid, reason: 'IO wait', on: [] }),
  unblock: (gid: number): LabEventBody => ({ kind: 'go.unblock', source: 'observed', gid, by: 0 }),
  exit: (gid: number): LabEventBody => ({ kind: 'go.exit', source: 'observed', gid }),
};

describe('GoroutineEventBudget', () => {
  it('passes spawn, first run and exit, and whole block cycles up to the budget', () => {
    let t = 0;
    const budget = new GoroutineEventBudget(2, () => t);
    const admitted = (e: LabEventBody) => budget.admit(e);
    expect([admitted(ev.spawn(1)), admitted(ev.run(1))]).toEqual([true, true]);
    const cycle = () => [admitted(ev.block(1)), admitted(ev.unblock(1)), admitted(ev.run(1))];
    expect(cycle()).toEqual([true, true, true]);
    expect(cycle()).toEqual([true, true, true]);
    // Budget spent: the next cycles are left out whole, never half.
    expect(cycle()).toEqual([false, false, false]);
    expect(cycle()).toEqual([false, false, false]);
    expect(budget.skipped).toBe(2);
    t = 500; // one token back
    expect(cycle()).toEqual([true, true, true]);
    expect(admitted(ev.exit(1))).toBe(true);
  });

  it('keeps each goroutine to its own budget and lets other kinds through', () => {
    const budget = new GoroutineEventBudget(1, () => 0);
    budget.admit(ev.spawn(1));
    budget.admit(ev.spawn(2));
    expect(budget.admit(ev.block(1))).toBe(true);
    expect(budget.admit(ev.block(2))).toBe(true);
    expect(budget.admit({ kind: 'go.print', source: 'observed', gid: 1, text: 'hi' })).toBe(true);
    // Goroutines the budget never saw spawn (started before it) are passed through unchanged.
    expect(budget.admit(ev.block(9))).toBe(true);
    expect(budget.admit(ev.unblock(9))).toBe(true);
  });
  it('holds all goroutines together to the total budget, still leaving out whole cycles', () => {
    let t = 0;
    const budget = new GoroutineEventBudget(10, () => t, 3);
    for (let gid = 1; gid <= 5; gid++) budget.admit(ev.spawn(gid));
    for (let gid = 1; gid <= 5; gid++) budget.admit(ev.run(gid));
    const cycle = (gid: number) => [
      budget.admit(ev.block(gid)),
      budget.admit(ev.unblock(gid)),
      budget.admit(ev.run(gid)),
    ];
    // Each goroutine has tokens of its own, but only three cycles a second pass in all.
    const first = [1, 2, 3, 4, 5].map(cycle);
    expect(first).toEqual([
      [true, true, true],
      [true, true, true],
      [true, true, true],
      [false, false, false],
      [false, false, false],
    ]);
    expect(budget.skipped).toBe(2);
    t = 1000;
    expect(cycle(4)).toEqual([true, true, true]);
  });
});

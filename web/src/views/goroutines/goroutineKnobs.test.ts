// The goroutine programs' number knobs take their limits from the run command's schema: each limit is accepted
// by the server and one step past it is refused, so the form never offers a value the server turns down.
import { describe, expect, it } from 'vitest';
import { GoroutinesRunArgs } from '@core/protocol/demos/goroutines';
import { KNOB_LIMITS } from './GoroutinePrograms';

describe('goroutine program knobs', () => {
  it("have the run schema's limits", () => {
    for (const [knob, limits] of Object.entries(KNOB_LIMITS)) {
      const run = (v: number) => GoroutinesRunArgs.safeParse({ program: 'spawn', [knob]: v }).success;
      expect([run(limits.min), run(limits.max)], knob).toEqual([true, true]);
      expect([run(limits.min - 1), run(limits.max + 1)], knob).toEqual([false, false]);
    }
    expect(Object.keys(KNOB_LIMITS).sort()).toEqual(['capacity', 'n', 'timeoutMs', 'workMs']);
  });
});

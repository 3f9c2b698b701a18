// The worker-pool form agrees with the configure and load schemas: its defaults are theirs, and every value the
// form can hold (each limit's edges, seconds and the 0 that means "no rate") makes arguments the server accepts.
import { describe, expect, it } from 'vitest';
import { WorkerPoolConfigureArgs, WorkerPoolLoadArgs } from '@core/protocol/demos/workerPool';
import { CONFIG_DEFAULTS, CONFIG_LIMITS, LOAD_DEFAULTS, LOAD_LIMITS, loadArgs } from './workerPoolKnobs';

describe('worker-pool knobs', () => {
  it("start from the schemas' defaults", () => {
    expect(CONFIG_DEFAULTS).toEqual(WorkerPoolConfigureArgs.parse({}));
    const load = WorkerPoolLoadArgs.parse({});
    expect(loadArgs(LOAD_DEFAULTS)).toEqual({ connections: load.connections, durationMs: load.durationMs });
  });

  it('configure the pool only within the schema', () => {
    for (const [key, limits] of Object.entries(CONFIG_LIMITS)) {
      for (const v of [limits.min, limits.max])
        expect(WorkerPoolConfigureArgs.safeParse({ [key]: v }).success, `${key}=${v}`).toBe(true);
      expect(WorkerPoolConfigureArgs.safeParse({ [key]: limits.max + 1 }).success, `${key} above max`).toBe(false);
      expect(WorkerPoolConfigureArgs.safeParse({ [key]: limits.min - 1 }).success, `${key} below min`).toBe(false);
    }
  });

  it('make load runs the server accepts at every edge of the form', () => {
    for (const key of Object.keys(LOAD_LIMITS) as (keyof typeof LOAD_LIMITS)[]) {
      for (const v of [LOAD_LIMITS[key].min, LOAD_LIMITS[key].max]) {
        const args = loadArgs({ ...LOAD_DEFAULTS, [key]: v });
        expect(WorkerPoolLoadArgs.safeParse(args).success, `${key}=${v}`).toBe(true);
      }
    }
    expect(loadArgs({ ...LOAD_DEFAULTS, rate: 0 })).not.toHaveProperty('ratePerConnection');
    // One second past the form's longest run is past the schema's too: the form is not stricter than needed.
    expect(
      WorkerPoolLoadArgs.safeParse(loadArgs({ ...LOAD_DEFAULTS, seconds: LOAD_LIMITS.seconds.max + 1 })).success,
    ).toBe(false);
  });
});

// Commands the browser sends to the connection-pool demo (lesson 19): a run of N concurrent callers making requests to
// the lab's line server through the fault proxy for a few seconds, dialling per request or through a pool (its knobs),
// optionally with the proxy resetting the pool's idle connections part-way, with or without the health check.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const CONNECTION_POOL_DEMO = 'connection-pool';

export const PoolModes = ['dial', 'pool'] as const;
/** dial: a new connection per request (a pool that keeps nothing idle); pool: connections reused. */
export type PoolMode = (typeof PoolModes)[number];

export const CONNECTION_POOL_LIMITS = {
  callers: 64,
  runMs: 10_000,
  maxOpen: 256,
  idleTimeoutMs: 60_000,
  waitTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  resets: 5,
} as const;

export const PoolKnobs = z
  .object({
    maxOpen: z.number().int().min(1).max(CONNECTION_POOL_LIMITS.maxOpen).default(8),
    maxIdle: z.number().int().min(0).max(CONNECTION_POOL_LIMITS.maxOpen).default(8),
    /** 0: idle connections are kept until the run ends. */
    idleTimeoutMs: z.number().int().min(0).max(CONNECTION_POOL_LIMITS.idleTimeoutMs).default(30_000),
    waitTimeoutMs: z.number().int().min(10).max(CONNECTION_POOL_LIMITS.waitTimeoutMs).default(2_000),
    healthCheck: z.boolean().default(true),
  })
  .strict();
export type PoolKnobs = z.output<typeof PoolKnobs>;

export const PoolRunArgs = z
  .object({
    mode: z.enum(PoolModes).default('pool'),
    /** Callers making requests at once, each one request after another (a closed loop). */
    callers: z.number().int().min(1).max(CONNECTION_POOL_LIMITS.callers).default(8),
    runMs: z.number().int().min(500).max(CONNECTION_POOL_LIMITS.runMs).default(3_000),
    requestTimeoutMs: z.number().int().min(50).max(CONNECTION_POOL_LIMITS.requestTimeoutMs).default(1_000),
    /** Times (ms from the run's start) at which the proxy resets every idle connection of the pool (a real RST). */
    resetIdleAtMs: z
      .array(z.number().int().min(0).max(CONNECTION_POOL_LIMITS.runMs))
      .max(CONNECTION_POOL_LIMITS.resets)
      .default([]),
    /** The run pauses its callers this long before each reset, so the pool's connections are idle when it comes. */
    quietBeforeResetMs: z.number().int().min(0).max(2_000).default(200),
    pool: PoolKnobs.default(PoolKnobs.parse({})),
  })
  .strict()
  .refine((a) => a.resetIdleAtMs.every((t) => t < a.runMs), { message: 'every resetIdleAtMs must be before runMs' });
export type PoolRunArgs = z.output<typeof PoolRunArgs>;

export const CONNECTION_POOL_COMMANDS = defineCommands({
  /** Starts a run and replies at once; its figures arrive as events. */
  run: { args: PoolRunArgs, result: z.object({ started: z.literal(true), runMs: z.number().int() }) },
  stop: { args: z.object({}).strict(), result: z.object({ stopped: z.boolean() }) },
});

// Commands the browser sends to the reconnect-storm demo (lesson 15): start a bounded run in which N real clients
// lose their server and reconnect under each chosen policy, and stop it. Loopback only.
import { z } from 'zod';
import { BackoffPolicies } from '../../backoff/backoffPolicy.js';
import { defineCommands } from '../commandMap.js';

export const RECONNECT_STORM_DEMO = 'reconnect-storm';

/** Upper bounds: a classroom laptop shares two cores between the lab and its students. */
export const RECONNECT_STORM_LIMITS = {
  clients: 200,
  downMs: 5_000,
  baseMs: 1_000,
  capMs: 5_000,
  /** Connection attempts per policy; a run that reaches it stops retrying and says so (`capped`). */
  attemptsPerPolicy: 100_000,
} as const;

/** The chart's bucket: attempts are counted per 100 ms. */
export const STORM_BUCKET_MS = 100;

export const ReconnectStormRunArgs = z
  .object({
    clients: z.number().int().min(1).max(RECONNECT_STORM_LIMITS.clients).default(100),
    /** Policies to run, one after the other, each with fresh clients. */
    policies: z.array(z.enum(BackoffPolicies)).min(1).max(3).default(['none', 'exponential', 'jitter']),
    /** How long the server stays down. */
    downMs: z.number().int().min(100).max(RECONNECT_STORM_LIMITS.downMs).default(1_500),
    baseMs: z.number().int().min(1).max(RECONNECT_STORM_LIMITS.baseMs).default(50),
    capMs: z.number().int().min(10).max(RECONNECT_STORM_LIMITS.capMs).default(1_000),
  })
  .strict()
  .refine((a) => a.baseMs <= a.capMs, { message: 'baseMs must not be larger than capMs', path: ['baseMs'] })
  .refine((a) => new Set(a.policies).size === a.policies.length, {
    message: 'a policy is named twice',
    path: ['policies'],
  });
export type ReconnectStormRunArgs = z.output<typeof ReconnectStormRunArgs>;

export const ReconnectStormStopArgs = z.object({}).strict();

export const RECONNECT_STORM_COMMANDS = defineCommands({
  /** Starts a run and replies at once; its figures arrive as events (storm.*). */
  run: {
    args: ReconnectStormRunArgs,
    result: z.object({ started: z.literal(true), policies: z.array(z.enum(BackoffPolicies)) }),
  },
  stop: { args: ReconnectStormStopArgs, result: z.object({ stopped: z.boolean() }) },
});

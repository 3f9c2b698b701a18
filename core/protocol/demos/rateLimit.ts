// Commands the browser sends to the rate-limit demo (lesson 17): set the limiter (a global token bucket and one per
// client connection), and start or stop a load run that offers requests at a staircase of rates (loopback only).
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const RATE_LIMIT_DEMO = 'rate-limit';

/** Upper bounds: the load generator shares two cores with the lab and the students. */
export const RATE_LIMIT_LIMITS = {
  rate: 10_000,
  burst: 10_000,
  connections: 50,
  offeredPerSec: 4_000,
  steps: 8,
  stepMs: 10_000,
} as const;

export const RateLimitConfigureArgs = z
  .object({
    /** The global bucket every request draws from: tokens per second and burst. */
    globalRate: z.number().positive().max(RATE_LIMIT_LIMITS.rate).default(200),
    globalBurst: z.number().int().min(1).max(RATE_LIMIT_LIMITS.burst).default(50),
    /** Each client connection's own bucket. */
    clientRate: z.number().positive().max(RATE_LIMIT_LIMITS.rate).default(100),
    clientBurst: z.number().int().min(1).max(RATE_LIMIT_LIMITS.burst).default(20),
  })
  .strict();
export type RateLimitConfig = z.output<typeof RateLimitConfigureArgs>;

export const RateLimitLoadArgs = z
  .object({
    /** Real client connections of the load generator; the offered rate is split evenly between them. */
    connections: z.number().int().min(1).max(RATE_LIMIT_LIMITS.connections).default(4),
    /** Offered requests per second (all clients together), one per step: an open loop, sent whether refused or not. */
    steps: z
      .array(z.number().positive().max(RATE_LIMIT_LIMITS.offeredPerSec))
      .min(1)
      .max(RATE_LIMIT_LIMITS.steps)
      .default([100, 200, 400]),
    stepMs: z.number().int().min(500).max(RATE_LIMIT_LIMITS.stepMs).default(3_000),
  })
  .strict();
export type RateLimitLoadArgs = z.output<typeof RateLimitLoadArgs>;

export interface RateLimitLoadResult {
  sent: number;
  accepted: number;
  refused: number;
  errors: number;
  seconds: number;
  stoppedEarly: boolean;
}

export const RATE_LIMIT_COMMANDS = defineCommands({
  /** Replaces the buckets (full again); open connections stay. */
  configure: { args: RateLimitConfigureArgs, result: z.object({ config: RateLimitConfigureArgs }) },
  /** Starts a load run and replies at once; its figures arrive as events. */
  load: {
    args: RateLimitLoadArgs,
    result: z.object({ started: z.literal(true), steps: z.array(z.number()), stepMs: z.number().int() }),
  },
  stopLoad: { args: z.object({}).strict(), result: z.object({ stopped: z.boolean() }) },
});

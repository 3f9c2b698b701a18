// Commands the browser sends to the worker-pool demo (lesson 9): configure the pool, start and stop a bounded
// load run from the lab's load generator (loopback only), and their replies.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const WORKER_POOL_DEMO = 'worker-pool';

/** Upper bounds: a classroom laptop shares two cores between the lab and its students. */
export const WORKER_POOL_LIMITS = {
  workers: 256,
  queue: 10_000,
  workMs: 2_000,
  connections: 500,
  durationMs: 60_000,
  ratePerConnection: 1_000,
} as const;

export const WorkerPoolModes = ['pool', 'unbounded'] as const;
export type WorkerPoolMode = (typeof WorkerPoolModes)[number];

export const WorkerPoolConfigureArgs = z
  .object({
    /** 'pool': K workers take jobs from a queue of capacity Q. 'unbounded': each connection's goroutine does the work itself. */
    mode: z.enum(WorkerPoolModes).default('pool'),
    workers: z.number().int().min(1).max(WORKER_POOL_LIMITS.workers).default(4),
    queue: z.number().int().min(0).max(WORKER_POOL_LIMITS.queue).default(16),
    /** Simulated work per request, in milliseconds. */
    workMs: z.number().int().min(0).max(WORKER_POOL_LIMITS.workMs).default(20),
    /** 'sleep': time.Sleep on the runtime (waiting on a slow downstream). 'cpu': a busy loop (holds Node's one thread). */
    work: z.enum(['sleep', 'cpu']).default('sleep'),
    /** When the queue is full: 'wait' blocks the reader (back-pressure), 'reject' answers "busy" at once. */
    whenFull: z.enum(['wait', 'reject']).default('wait'),
  })
  .strict();
export type WorkerPoolConfigureArgs = z.infer<typeof WorkerPoolConfigureArgs>;
export type WorkerPoolConfig = z.output<typeof WorkerPoolConfigureArgs>;

export const WorkerPoolLoadArgs = z
  .object({
    /** N real client connections from the lab's load generator. */
    connections: z.number().int().min(1).max(WORKER_POOL_LIMITS.connections).default(10),
    durationMs: z.number().int().min(200).max(WORKER_POOL_LIMITS.durationMs).default(5_000),
    /** Requests per second per connection; absent: each connection sends its next request as soon as it has the reply. */
    ratePerConnection: z.number().positive().max(WORKER_POOL_LIMITS.ratePerConnection).optional(),
  })
  .strict();
export type WorkerPoolLoadArgs = z.infer<typeof WorkerPoolLoadArgs>;

export const WorkerPoolStopLoadArgs = z.object({}).strict();

export interface WorkerPoolLoadResult {
  /** Replies the load generator received (answered and rejected), its rate, and socket errors. */
  roundTrips: number;
  perSecond: number;
  seconds: number;
  errors: number;
  stoppedEarly: boolean;
}

export const WORKER_POOL_COMMANDS = defineCommands({
  /** Restarts the pool with a new configuration (open connections close). */
  configure: { args: WorkerPoolConfigureArgs, result: z.object({ config: WorkerPoolConfigureArgs }) },
  /** Starts a load run and replies at once; the run's figures arrive as events. */
  load: {
    args: WorkerPoolLoadArgs,
    result: z.object({ started: z.literal(true), connections: z.number().int(), durationMs: z.number().int() }),
  },
  stopLoad: { args: WorkerPoolStopLoadArgs, result: z.object({ stopped: z.boolean() }) },
});

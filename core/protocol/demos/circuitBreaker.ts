// Commands the browser sends to the circuit-breaker demo (lesson 18): what the upstream does now, the breaker's
// settings, and a run in which callers call the upstream directly and through the breaker at the same rate while
// the upstream fails and recovers on a script.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const CIRCUIT_BREAKER_DEMO = 'circuit-breaker';

/**
 * What the upstream does with a request line. healthy: answers "ok" after latencyMs. failing: answers an error at
 * once. stalled: reads and never answers (callers wait for their timeout). down: its listener is closed (refused).
 */
export const UpstreamModes = ['healthy', 'failing', 'stalled', 'down'] as const;
export type UpstreamMode = (typeof UpstreamModes)[number];

/** Calls one path may have waiting at once (rate × timeout). */
export const MAX_WAITING_PER_PATH = 1000;

export const CIRCUIT_BREAKER_LIMITS = {
  ratePerSec: 200,
  runMs: 60_000,
  callTimeoutMs: 10_000,
  latencyMs: 2_000,
  failureThreshold: 1_000,
  windowMs: 60_000,
  openMs: 30_000,
  halfOpenProbes: 20,
} as const;

export const BreakerSettings = z
  .object({
    failureThreshold: z.number().int().min(1).max(CIRCUIT_BREAKER_LIMITS.failureThreshold).default(5),
    windowMs: z.number().int().min(100).max(CIRCUIT_BREAKER_LIMITS.windowMs).default(2_000),
    openMs: z.number().int().min(100).max(CIRCUIT_BREAKER_LIMITS.openMs).default(1_000),
    halfOpenProbes: z.number().int().min(1).max(CIRCUIT_BREAKER_LIMITS.halfOpenProbes).default(2),
  })
  .strict();
export type BreakerSettings = z.output<typeof BreakerSettings>;

export const SetUpstreamArgs = z
  .object({
    mode: z.enum(UpstreamModes),
    latencyMs: z.number().int().min(0).max(CIRCUIT_BREAKER_LIMITS.latencyMs).default(5),
  })
  .strict();

export const BreakerRunArgs = z
  .object({
    /** Calls started per second on each path (direct and through the breaker). */
    ratePerSec: z.number().positive().max(CIRCUIT_BREAKER_LIMITS.ratePerSec).default(20),
    /** Each call's own deadline (dial, write and read). */
    callTimeoutMs: z.number().int().min(50).max(CIRCUIT_BREAKER_LIMITS.callTimeoutMs).default(1_000),
    runMs: z.number().int().min(1_000).max(CIRCUIT_BREAKER_LIMITS.runMs).default(12_000),
    /** The upstream goes into `fault` at faultAtMs and back to healthy at recoverAtMs (from the run's start). */
    fault: z.enum(['failing', 'stalled', 'down']).default('stalled'),
    faultAtMs: z.number().int().min(0).max(CIRCUIT_BREAKER_LIMITS.runMs).default(2_000),
    recoverAtMs: z.number().int().min(0).max(CIRCUIT_BREAKER_LIMITS.runMs).default(8_000),
    breaker: BreakerSettings.default(BreakerSettings.parse({})),
  })
  .strict()
  .refine((a) => a.faultAtMs <= a.recoverAtMs, { message: 'faultAtMs must not be after recoverAtMs' })
  // Callers waiting at once stay bounded: a stalled upstream holds each call for its whole timeout.
  .refine((a) => (a.ratePerSec * a.callTimeoutMs) / 1000 <= MAX_WAITING_PER_PATH, {
    message: `ratePerSec × callTimeoutMs may keep at most ${MAX_WAITING_PER_PATH} calls waiting per path`,
  });
export type BreakerRunArgs = z.output<typeof BreakerRunArgs>;

export const CIRCUIT_BREAKER_COMMANDS = defineCommands({
  /** Sets what the upstream does now (outside a run, or to take over from the run's script). */
  setUpstream: { args: SetUpstreamArgs, result: z.object({ mode: z.enum(UpstreamModes) }) },
  /** Starts a run and replies at once; its figures arrive as events. */
  run: { args: BreakerRunArgs, result: z.object({ started: z.literal(true), runMs: z.number().int() }) },
  stop: { args: z.object({}).strict(), result: z.object({ stopped: z.boolean() }) },
});

// Commands the browser sends to the goroutines demo (lessons 5–8 and 10): run one of its programs on the lab's
// goroutine runtime, stop it, or measure what goroutines cost on this machine.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import type { LocalizedText } from '../errors.js';
import type { GoroutineCost, RunStatus } from '../events/goroutine.js';

export const GOROUTINES_DEMO = 'goroutines';

/** The programs, by lesson. Each runs Go-shaped TypeScript on the runtime; its events feed the timeline. */
export const GOROUTINE_PROGRAMS = [
  'spawn',
  'sequential-vs-concurrent',
  'unbuffered',
  'buffered',
  'close-range',
  'forgot-receiver',
  'select-timeout',
  'fan-in',
  'select-default',
  'counter-race',
  'counter-channel',
  'leak',
  'leak-fixed',
  'context-cancel',
] as const;
export type GoroutineProgram = (typeof GOROUTINE_PROGRAMS)[number];

export const GoroutinesRunArgs = z
  .object({
    program: z.enum(GOROUTINE_PROGRAMS),
    /** How many goroutines (spawn), values (channels) or requests (leak); bounded. */
    n: z.number().int().min(1).max(10_000).optional(),
    /** Channel capacity where a program has one. */
    capacity: z.number().int().min(0).max(100).optional(),
    /** Milliseconds of simulated work, and a timeout where a program has one. */
    workMs: z.number().int().min(0).max(5_000).optional(),
    timeoutMs: z.number().int().min(0).max(5_000).optional(),
    /** counter-race: take the mutex around the read-modify-write. */
    useMutex: z.boolean().optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
  })
  .strict();
export type GoroutinesRunArgs = z.infer<typeof GoroutinesRunArgs>;

export const GoroutinesStopArgs = z.object({}).strict();
export const GoroutinesMeasureArgs = z
  .object({
    count: z.number().int().min(1_000).max(100_000).default(10_000),
    /** Also run the lesson's Go program to measure real goroutines and OS threads (needs Go on the server). */
    withGo: z.boolean().default(true),
  })
  .strict();

// Types the event model owns (RunStatus, GoroutineCost) and LocalizedText are written once, as TypeScript types:
// z.custom carries them into the results without a second copy of their shape.
export const GoroutinesRunResult = z.object({
  status: z.custom<RunStatus>(),
  report: z.string(),
  output: z.array(z.string()),
  goroutines: z.number().int(),
  ms: z.number(),
});
export type GoroutinesRunResult = z.infer<typeof GoroutinesRunResult>;

export const GoroutinesMeasureResult = z.object({
  runtime: z.custom<GoroutineCost>(),
  go: z.custom<GoroutineCost>().nullable(),
  /** Why there is no Go figure (Go not installed, the program failed), in both languages. */
  goUnavailable: z.custom<LocalizedText>().optional(),
});
export type GoroutinesMeasureResult = z.infer<typeof GoroutinesMeasureResult>;

export const GOROUTINES_COMMANDS = defineCommands({
  /** Runs a program to its end (a newer run stops an older one). */
  run: { args: GoroutinesRunArgs, result: GoroutinesRunResult },
  stop: { args: GoroutinesStopArgs, result: z.object({ status: z.custom<RunStatus>() }) },
  measure: { args: GoroutinesMeasureArgs, result: GoroutinesMeasureResult },
});

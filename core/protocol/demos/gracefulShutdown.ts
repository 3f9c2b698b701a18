// Commands the browser sends to the graceful-shutdown demo (lesson 16): run a request server under load from the
// lab's load generator and shut it down hard or gracefully, counting what each loses. Loopback only.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const GRACEFUL_SHUTDOWN_DEMO = 'graceful-shutdown';

export const ShutdownModes = ['hard', 'graceful'] as const;
export type ShutdownMode = (typeof ShutdownModes)[number];

export const GRACEFUL_SHUTDOWN_LIMITS = { clients: 200, workMs: 2_000, loadMs: 10_000, deadlineMs: 10_000 } as const;

export const ShutdownRunArgs = z
  .object({
    /** Each mode runs in turn, on a fresh server, with the same load. */
    modes: z.array(z.enum(ShutdownModes)).min(1).max(2).default(['hard', 'graceful']),
    /** Load-generator clients; each sends its next request when it has the reply. */
    clients: z.number().int().min(1).max(GRACEFUL_SHUTDOWN_LIMITS.clients).default(20),
    /** How long the server works on one request. */
    workMs: z.number().int().min(1).max(GRACEFUL_SHUTDOWN_LIMITS.workMs).default(400),
    /** Load before the shutdown starts. */
    loadMs: z.number().int().min(200).max(GRACEFUL_SHUTDOWN_LIMITS.loadMs).default(1_500),
    /** Graceful only: requests still running this long after the shutdown began are cut. */
    deadlineMs: z.number().int().min(0).max(GRACEFUL_SHUTDOWN_LIMITS.deadlineMs).default(2_000),
  })
  .strict()
  .refine((a) => new Set(a.modes).size === a.modes.length, { message: 'a mode is named twice', path: ['modes'] });
export type ShutdownRunArgs = z.output<typeof ShutdownRunArgs>;

export const GRACEFUL_SHUTDOWN_COMMANDS = defineCommands({
  /** Starts a run and replies at once; its figures arrive as events (shutdown.*). */
  run: { args: ShutdownRunArgs, result: z.object({ started: z.literal(true), modes: z.array(z.enum(ShutdownModes)) }) },
  stop: { args: z.object({}).strict(), result: z.object({ stopped: z.boolean() }) },
});

// Commands the browser sends to the stream demo (lesson 2, sticky packets), and their replies.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import type { BoundarySummary } from '../events/stream.js';

export const STREAM_DEMO = 'stream';

/** The largest UDP payload the demo sends (IPv4's limit is 65507; leave room for IPv6 headers too). */
export const MAX_UDP_MESSAGE = 65000;
export const MAX_RUN_BYTES = 8 * 1024 * 1024;
/** Runs are bounded in time: the planned sending and reading pauses must fit in this. */
export const MAX_RUN_PLANNED_MS = 20_000;

export const StreamRunArgs = z
  .object({
    /** 'both' runs TCP and UDP with the same messages, one after the other, for the side-by-side view. */
    transport: z.enum(['tcp', 'udp', 'both']).default('tcp'),
    count: z.number().int().min(1).max(1000).default(20),
    size: z
      .number()
      .int()
      .min(1)
      .max(256 * 1024)
      .default(16),
    intervalMs: z.number().int().min(0).max(1000).default(0),
    /** Go's default is true (TCP_NODELAY set, Nagle off); Node's is false. */
    noDelay: z.boolean().default(true),
    corkBatch: z.number().int().min(1).max(100).default(1),
    readDelayMs: z.number().int().min(0).max(2000).default(0),
    readBuffer: z
      .number()
      .int()
      .min(1)
      .max(256 * 1024)
      .default(4096),
  })
  .strict()
  .refine((a) => a.count * a.size <= MAX_RUN_BYTES, { message: `count × size must be at most ${MAX_RUN_BYTES} bytes` })
  .refine((a) => a.transport === 'tcp' || a.size <= MAX_UDP_MESSAGE, {
    message: `a UDP message is at most ${MAX_UDP_MESSAGE} bytes`,
  })
  .refine((a) => Math.ceil(a.count / a.corkBatch) * a.intervalMs <= MAX_RUN_PLANNED_MS, {
    message: `the writes' intervals must add up to at most ${MAX_RUN_PLANNED_MS} ms`,
  })
  .refine((a) => Math.ceil((a.count * a.size) / a.readBuffer) * a.readDelayMs <= MAX_RUN_PLANNED_MS, {
    message: `with this read buffer, the read pauses would add up to more than ${MAX_RUN_PLANNED_MS} ms`,
  });
export type StreamRunArgs = z.infer<typeof StreamRunArgs>;

export const StreamRunResult = z.object({
  runs: z.array(
    z.object({
      run: z.string(),
      transport: z.enum(['tcp', 'udp']),
      // The event model's type (stream.runEnd carries it), written once there.
      summary: z.custom<BoundarySummary>(),
      lost: z.number().int().optional(),
      segments: z.number().int().optional(),
      durationMs: z.number(),
    }),
  ),
});
export type StreamRunResult = z.infer<typeof StreamRunResult>;

export const STREAM_COMMANDS = defineCommands({
  /** Sends the messages over TCP, UDP or both, and reads them back with the chosen buffer; resolves when done. */
  run: { args: StreamRunArgs, result: StreamRunResult },
});

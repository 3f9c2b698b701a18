// Commands the browser sends to the netpoller demo (lesson 30): measure three echo servers doing the same job
// (Go's goroutine per connection, Node's event loop, a thread per connection) under idle and busy connections.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const NETPOLLER_DEMO = 'netpoller';

/** The three servers, in the order they are measured and shown. */
export const NetpollerServers = ['go', 'node', 'threads'] as const;
export type NetpollerServer = (typeof NetpollerServers)[number];

/** Bounds of a run: each idle connection is a socket in the lab and one in the server (and, for threads, a thread). */
export const NETPOLLER_LIMITS = { idle: 2_000, busy: 50, windowMs: 10_000 } as const;

export const NetpollerRunArgs = z
  .object({
    /** Connections that connect and then say nothing. */
    idle: z.number().int().min(0).max(NETPOLLER_LIMITS.idle).default(1_000),
    /** Connections that send 64 bytes, wait for the echo, and send again, for the whole measurement. */
    busy: z.number().int().min(1).max(NETPOLLER_LIMITS.busy).default(10),
    /** How long each window lasts: one untraced (threads, memory, round trips), then one under strace. */
    windowMs: z.number().int().min(500).max(NETPOLLER_LIMITS.windowMs).default(2_000),
    /** Which servers to measure, in this order. */
    servers: z.array(z.enum(NetpollerServers)).min(1).max(3).default(['go', 'node', 'threads']),
  })
  .strict()
  .refine((a) => new Set(a.servers).size === a.servers.length, {
    message: 'a server is named twice',
    path: ['servers'],
  });
export type NetpollerRunArgs = z.output<typeof NetpollerRunArgs>;

export const NETPOLLER_COMMANDS = defineCommands({
  /** Starts a run and replies at once; its progress and figures arrive as events (netpoller.*). */
  run: {
    args: NetpollerRunArgs,
    result: z.object({ started: z.literal(true), servers: z.array(z.enum(NetpollerServers)) }),
  },
  stop: { args: z.object({}).strict(), result: z.object({ stopped: z.boolean() }) },
});

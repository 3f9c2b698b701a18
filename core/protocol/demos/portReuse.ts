// Commands the browser sends to the port-reuse demo (lesson 29): a restart with SO_REUSEADDR cleared or set while
// the old connection sits in TIME_WAIT, two live listeners on one port, and SO_REUSEPORT's spread of connections
// across K listeners (and what happens to a closed listener's queue); and their replies.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const PORT_REUSE_DEMO = 'port-reuse';

/** The most listeners the spread runs start (one helper process each). */
export const MAX_REUSEPORT_LISTENERS = 8;
/** The most connections one spread run makes. */
export const MAX_SPREAD_CONNECTIONS = 1000;

/** How one listen call ended, as the Go helper reported it. */
export const ListenOutcome = z.object({
  ok: z.boolean(),
  /** The address it listens on, when it worked. */
  addr: z.string().optional(),
  /** The error as Go prints it (`listen tcp 127.0.0.1:41234: bind: address already in use`). */
  error: z.string().optional(),
  /** The errno's name (EADDRINUSE...). */
  errno: z.string().optional(),
});
export type ListenOutcome = z.infer<typeof ListenOutcome>;

/** A row of the kernel's TCP table (/proc/net/tcp) that the run matched by both of its ends. */
export const TimeWaitRow = z.object({
  local: z.string(),
  remote: z.string(),
  state: z.string(),
  /** The kernel's TIME_WAIT timer: milliseconds left (Linux counts 60 s). */
  timerMs: z.number().int().nullable(),
});
export type TimeWaitRow = z.infer<typeof TimeWaitRow>;

export const RestartArgs = z.object({
  /** SO_REUSEADDR on the first server's listener (its accepted connection inherits it). */
  firstReuseAddr: z.boolean().default(false),
  /** SO_REUSEADDR on the restarted server's listener. */
  restartReuseAddr: z.boolean().default(false),
});

export const RestartResult = z.object({
  run: z.literal('restart'),
  port: z.number().int(),
  firstReuseAddr: z.boolean(),
  restartReuseAddr: z.boolean(),
  /** The connection the first server served and closed first: its two ends. */
  served: z.object({ local: z.string(), remote: z.string() }),
  /** That connection's server end as the kernel lists it just before the restart (null: not found or no table). */
  timeWait: TimeWaitRow.nullable(),
  /** Where the row was read, or why it could not be. */
  tableFrom: z.string(),
  restart: ListenOutcome,
});
export type RestartResult = z.infer<typeof RestartResult>;

export const LiveArgs = z.object({
  /** SO_REUSEPORT on both listeners (SO_REUSEADDR is on for both, as Go and Node set it). */
  reusePort: z.boolean().default(false),
});

export const LiveResult = z.object({
  run: z.literal('live'),
  reusePort: z.boolean(),
  first: ListenOutcome,
  second: ListenOutcome,
});
export type LiveResult = z.infer<typeof LiveResult>;

export const SpreadArgs = z.object({
  listeners: z.number().int().min(2).max(MAX_REUSEPORT_LISTENERS).default(4),
  connections: z.number().int().min(1).max(MAX_SPREAD_CONNECTIONS).default(MAX_SPREAD_CONNECTIONS),
  /** Source ports the hash check reconnects from, several times each. */
  hashTuples: z.number().int().min(0).max(50).default(10),
});

export const SpreadResult = z.object({
  run: z.literal('spread'),
  port: z.number().int(),
  listeners: z.number().int(),
  connections: z.number().int(),
  /** Connections each listener answered, by listener number (what the clients read). */
  counts: z.array(z.number().int()),
  /** Connections each listener says it accepted (its own count, printed when it closed). */
  accepted: z.array(z.number().int()),
  /** Connections that got no listener's answer. */
  failed: z.number().int(),
  /** The same 4-tuple reconnected several times: how many tuples always reached the same listener. */
  hash: z.object({ tuples: z.number().int(), repeats: z.number().int(), sameListener: z.number().int() }),
  ms: z.number().int(),
});
export type SpreadResult = z.infer<typeof SpreadResult>;

export const QueueArgs = z.object({
  listeners: z.number().int().min(2).max(MAX_REUSEPORT_LISTENERS).default(4),
  connections: z.number().int().min(1).max(200).default(100),
});

export const QueueResult = z.object({
  run: z.literal('queue'),
  port: z.number().int(),
  listeners: z.number().int(),
  connections: z.number().int(),
  /** Connections whose handshake the kernel finished into listener 0's queue, which never accepted. */
  queued: z.number().int(),
  /** Of those, how many were reset when listener 0 closed. */
  reset: z.number().int(),
  /**
   * Connections another listener answered after listener 0 closed: moved there (tcp_migrate_req 1), or on a busy
   * machine simply answered late.
   */
  answeredAfterClose: z.number().int(),
  /** Answers per listener (listener 0 answers none). */
  counts: z.array(z.number().int()),
  /** net.ipv4.tcp_migrate_req (1: Linux 5.14+ moves a closed listener's queue to another), null when absent. */
  migrateReq: z.number().int().nullable(),
});
export type QueueResult = z.infer<typeof QueueResult>;

export type PortReuseRunResult = RestartResult | LiveResult | SpreadResult | QueueResult;

export const PORT_REUSE_COMMANDS = defineCommands({
  /** Serves one connection, closes it first (TIME_WAIT), exits, and starts again on the same port. */
  restart: { args: RestartArgs, result: RestartResult },
  /** Two live listeners on one port in one process: SO_REUSEADDR alone, or with SO_REUSEPORT. */
  live: { args: LiveArgs, result: LiveResult },
  /** K listener processes share a port with SO_REUSEPORT; N connections; the kernel's spread counted. */
  spread: { args: SpreadArgs, result: SpreadResult },
  /** Listener 0 of K never accepts; connections queue in it; it closes: what the queued clients see. */
  queue: { args: QueueArgs, result: QueueResult },
});

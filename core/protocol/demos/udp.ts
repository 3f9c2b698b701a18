// Commands the browser sends to the UDP demo (lesson 26): numbered datagrams through a lossy relay, the same writes
// over TCP and UDP, the size limit, a flood from one client, and the kernel's socket table; and their replies.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import type { WireError } from '../errors.js';

export const UDP_DEMO = 'udp';

/** 65,535 (IPv4's total length) - 20 (IPv4 header) - 8 (UDP header): the largest payload one IPv4 datagram carries. */
export const MAX_UDP_PAYLOAD_IPV4 = 65507;
/** The size knob goes a little past the limit, so the kernel's refusal can be seen. */
export const MAX_SIZE_KNOB = 70000;

export const RelaySettings = z.object({
  /** Chance in percent that the relay drops a datagram on its way to the echo server. */
  lossPercent: z.number().int().min(0).max(90).default(20),
  /** Chance in percent that it holds one back and sends it after the next (reordering). */
  reorderPercent: z.number().int().min(0).max(90).default(20),
  /** The relay's random seed: the same seed drops and reorders the same datagrams again. Absent: a fresh one. */
  seed: z.number().int().min(0).max(0xffffffff).optional(),
});
export type RelaySettings = z.infer<typeof RelaySettings>;

export const UdpExchangeArgs = z.object({
  count: z.number().int().min(1).max(50).default(20),
  /** Payload bytes per datagram (each starts with its sequence number). */
  size: z.number().int().min(8).max(1024).default(16),
  /** 'relay' goes through the relay that drops and reorders on purpose; 'direct' talks to the echo server. */
  via: z.enum(['direct', 'relay']).default('relay'),
  relay: RelaySettings.default({ lossPercent: 20, reorderPercent: 20 }),
  /** How long the client waits for late echoes after its last send: UDP never says a datagram is gone. */
  waitMs: z.number().int().min(50).max(3000).default(400),
});

export const UdpExchangeResult = z.object({
  run: z.literal('exchange'),
  via: z.enum(['direct', 'relay']),
  client: z.string(),
  sent: z.number().int(),
  /** Sequence numbers of the echoes, in the order they arrived. */
  arrivals: z.array(z.number().int()),
  /** Sequence numbers that never came back within waitMs. */
  lost: z.array(z.number().int()),
  /** Echoes that arrived after one with a higher number. */
  reordered: z.number().int(),
  /** The relay's seed (null when direct), to replay the same losses. */
  seed: z.number().int().nullable(),
  relay: z.object({ forwarded: z.number().int(), dropped: z.number().int(), held: z.number().int() }).nullable(),
});
export type UdpExchangeResult = z.infer<typeof UdpExchangeResult>;

export const UdpCompareArgs = z.object({
  count: z.number().int().min(1).max(50).default(10),
  /** At least 8: each write starts with its number (`#50 `). */
  size: z.number().int().min(8).max(1024).default(32),
});

export const UdpCompareResult = z.object({
  run: z.literal('compare'),
  count: z.number().int(),
  size: z.number().int(),
  /** Bytes returned by each read on the receiving side, in order. */
  udpReads: z.array(z.number().int()),
  tcpReads: z.array(z.number().int()),
  /** Datagrams and data-carrying segments the capture saw for exactly these sockets (null: capture unavailable). */
  udpDatagramsCaptured: z.number().int().nullable(),
  tcpSegmentsCaptured: z.number().int().nullable(),
  udpClient: z.string(),
  tcpClient: z.string(),
});
export type UdpCompareResult = z.infer<typeof UdpCompareResult>;

export const UdpSizeArgs = z.object({ size: z.number().int().min(0).max(MAX_SIZE_KNOB).default(MAX_UDP_PAYLOAD_IPV4) });

const WireErrorSchema = z.custom<WireError>((v) => typeof v === 'object' && v !== null && 'code' in v);

export const UdpSizeResult = z.object({
  run: z.literal('size'),
  size: z.number().int(),
  sent: z.boolean(),
  /** Bytes the echo brought back (null when nothing was sent or nothing came back). */
  echoed: z.number().int().nullable(),
  error: WireErrorSchema.optional(),
});
export type UdpSizeResult = z.infer<typeof UdpSizeResult>;

export const UdpFloodArgs = z.object({ count: z.number().int().min(1).max(5000).default(2000) });

export const UdpFloodResult = z.object({
  run: z.literal('flood'),
  client: z.string(),
  sent: z.number().int(),
  /** Datagrams that reached the server's socket (the rest overflowed a receive buffer on the way: dropped silently). */
  receivedByServer: z.number().int(),
  /** Echoes that came back to the client. */
  echoed: z.number().int(),
  /** Datagrams it dropped because this source had used up its budget. */
  droppedByBudget: z.number().int(),
  /** The per-source budget: datagrams a second and the burst. */
  budget: z.object({ perSecond: z.number(), burst: z.number() }),
});
export type UdpFloodResult = z.infer<typeof UdpFloodResult>;

export const KernelRow = z.object({
  protocol: z.enum(['udp', 'tcp']),
  /** What the row is in this demo (echo server, connected UDP client, TCP listener...). */
  role: z.string(),
  local: z.string(),
  remote: z.string(),
  /** The kernel's state name: UDP rows are CLOSE (unconnected) or ESTABLISHED (connect() fixed the peer). */
  state: z.string(),
  inode: z.number().int(),
});
export type KernelRow = z.infer<typeof KernelRow>;

export const UdpSocketsResult = z.object({
  run: z.literal('sockets'),
  rows: z.array(KernelRow),
  /** Where the rows were read (/proc/net/udp...), or why they could not be. */
  from: z.string(),
});
export type UdpSocketsResult = z.infer<typeof UdpSocketsResult>;

export type UdpRunResult = UdpExchangeResult | UdpCompareResult | UdpSizeResult | UdpFloodResult | UdpSocketsResult;

export const UDP_COMMANDS = defineCommands({
  /** Sends numbered datagrams (direct or through the lossy relay) and reports which echoes came back, in what order. */
  exchange: { args: UdpExchangeArgs, result: UdpExchangeResult },
  /** The same writes over UDP and over TCP to a slow reader: reads per transport, and what the capture saw. */
  compare: { args: UdpCompareArgs, result: UdpCompareResult },
  /** One datagram of the given size to the echo server (past 65,507 bytes the kernel refuses it). */
  size: { args: UdpSizeArgs, result: UdpSizeResult },
  /** One client sends as fast as it can; the server's per-source budget drops what is over it. */
  flood: { args: UdpFloodArgs, result: UdpFloodResult },
  /** Opens a connected and an unconnected UDP client and a TCP connection, and reads the kernel's table for them. */
  sockets: { args: z.object({}).strict(), result: UdpSocketsResult },
});

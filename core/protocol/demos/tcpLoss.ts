// Commands of the TCP-under-loss demo (lesson 31) and the shape of a run: a bulk transfer inside the lab's own
// network namespace with segments dropped on purpose, what the capture, `ss -ti` and the kernel's counters saw.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const TCP_LOSS_DEMO = 'tcp-loss';

/** Bytes one run moves: enough for many round trips, few enough to finish in seconds at 20 % loss. */
export const MIN_TRANSFER_BYTES = 256 * 1024;
export const MAX_TRANSFER_BYTES = 4 * 1024 * 1024;

export const TcpLossSettings = z.object({
  bytes: z
    .number()
    .int()
    .min(MIN_TRANSFER_BYTES)
    .max(MAX_TRANSFER_BYTES)
    .default(2 * 1024 * 1024),
  /** Share of segments nftables drops at random (`numgen random mod 100 < P`), 0 for a clean run. */
  lossPercent: z.number().int().min(0).max(40).default(20),
  /** Which segments are dropped: the sender's data, or the receiver's ACKs. */
  direction: z.enum(['data', 'acks']).default('data'),
  /** tbf rate limit on the namespace's loopback in Mbit/s (0: none). */
  rateMbit: z.number().int().min(0).max(1000).default(20),
  /** netem delay in ms each way, used only where the kernel has netem (0: none). */
  delayMs: z.number().int().min(0).max(200).default(0),
  /** The run stops (and says so) after this long. */
  timeLimitSeconds: z.number().int().min(5).max(60).default(40),
});
export type TcpLossSettings = z.infer<typeof TcpLossSettings>;

/** One data segment on the sequence/time plot (seq relative to the sender's first byte). */
export const SeqPoint = z.object({
  t: z.number(),
  seq: z.number().int(),
  len: z.number().int(),
  retransmit: z.boolean(),
});
export type SeqPoint = z.infer<typeof SeqPoint>;

export const Retransmission = z.object({
  t: z.number(),
  seq: z.number().int(),
  len: z.number().int(),
  /** How many times this seq had been sent before (1: the first retransmission). */
  previousSends: z.number().int(),
  /** Seconds since the previous send of the same seq. */
  gap: z.number(),
  /**
   * Inferred from the capture: 'dupacks' when three or more duplicate ACKs (or SACKs) for this seq came first (fast
   * retransmit), 'timer' otherwise (the retransmission timer, or a loss probe).
   */
  cause: z.enum(['dupacks', 'timer']),
});
export type Retransmission = z.infer<typeof Retransmission>;

/** One seq sent three or more times: the gaps between its sends (each about twice the previous: RTO back-off). */
export const BackoffChain = z.object({
  seq: z.number().int(),
  sends: z.array(z.number()),
  gaps: z.array(z.number()),
  /** What sent each resend (inferred, as for a retransmission): only timer gaps show the RTO doubling. */
  causes: z.array(z.enum(['dupacks', 'timer'])),
});
export type BackoffChain = z.infer<typeof BackoffChain>;

export const SackAck = z.object({
  t: z.number(),
  ack: z.number().int(),
  /** SACK blocks, relative to the sender's first byte: [left, right). */
  blocks: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type SackAck = z.infer<typeof SackAck>;

export const LossAnalysis = z.object({
  dataSegments: z.number().int(),
  ackSegments: z.number().int(),
  retransmissions: z.array(Retransmission),
  duplicateAcks: z.number().int(),
  /** ACKs that carried SACK blocks (the first ones, bounded). */
  sackAcks: z.array(SackAck),
  sackAckCount: z.number().int(),
  backoff: z.array(BackoffChain),
  /** Bytes newly acknowledged in each 100 ms bin, from the first segment. */
  throughput: z.array(z.object({ t: z.number(), bytes: z.number().int() })),
  /** RTT samples (ms) from the timestamps option: a data segment's TSval echoed back in an ACK's TSecr. */
  rtt: z.array(z.object({ t: z.number(), ms: z.number() })),
  /** Data segments for the sequence/time plot (thinned to a bound; every retransmission kept). */
  seqPoints: z.array(SeqPoint),
  /** The receiver's cumulative ACK over time, relative. */
  ackPoints: z.array(z.object({ t: z.number(), ack: z.number().int() })),
  /** Seconds from the first to the last segment. */
  duration: z.number(),
});
export type LossAnalysis = z.infer<typeof LossAnalysis>;

/** One `ss -tin` sample of the sender's socket. */
export const SocketSample = z.object({
  t: z.number(),
  cwnd: z.number().nullable(),
  ssthresh: z.number().nullable(),
  rttMs: z.number().nullable(),
  rttVarMs: z.number().nullable(),
  rtoMs: z.number().nullable(),
  backoff: z.number().nullable(),
  /** Retransmissions in flight now and in total (`retrans:a/b`). */
  retransNow: z.number().nullable(),
  retransTotal: z.number().nullable(),
  bytesAcked: z.number().nullable(),
  congestion: z.string().nullable(),
});
export type SocketSample = z.infer<typeof SocketSample>;

export const CounterDelta = z.object({
  /** `Tcp:RetransSegs`, `TcpExt:TCPSackRecovery`… */
  name: z.string(),
  before: z.number(),
  after: z.number(),
});
export type CounterDelta = z.infer<typeof CounterDelta>;

export const NetemStatus = z.object({
  available: z.boolean(),
  /** What `tc qdisc add … netem` said when it failed. */
  detail: z.string().optional(),
});

export const TcpLossRunResult = z.object({
  run: z.literal('transfer'),
  /** 'live' ran here just now; 'recording' is the lab's own recorded run, shown when runs are not possible here. */
  origin: z.enum(['live', 'recording']),
  /** Where a recording was made (`uname -r`, CPU, cores, Go version) and when. */
  recordedOn: z.string().optional(),
  settings: TcpLossSettings,
  finished: z.boolean(),
  elapsedMs: z.number(),
  bytesReceived: z.number().int(),
  namespace: z.string(),
  /** The rules as applied: the nft rule, the tc qdisc line. */
  rules: z.array(z.string()),
  netem: NetemStatus,
  /** Packets the nft rule dropped (its counter). */
  droppedByRule: z.number().int().nullable(),
  analysis: LossAnalysis.nullable(),
  /** Why there is no analysis (capture failed), when there is none. */
  captureProblem: z.string().optional(),
  socket: z.array(SocketSample),
  counters: z.array(CounterDelta),
});
export type TcpLossRunResult = z.infer<typeof TcpLossRunResult>;

export const TcpLossProbeResult = z.object({
  run: z.literal('probe'),
  /** True when this lab may make network namespaces, nft rules and qdiscs. */
  available: z.boolean(),
  /** A wire error code (E_LOSS_…) when not. */
  code: z.string().optional(),
  detail: z.string().optional(),
  netem: NetemStatus.nullable(),
});
export type TcpLossProbeResult = z.infer<typeof TcpLossProbeResult>;

export const TcpLossRecordingResult = z.object({
  run: z.literal('recording'),
  clean: TcpLossRunResult,
  lossy: TcpLossRunResult,
});
export type TcpLossRecordingResult = z.infer<typeof TcpLossRecordingResult>;

export const TCP_LOSS_COMMANDS = defineCommands({
  /** Can this lab make its own namespace here? (Privilege, and whether `unshare -n`, nft and tc really work.) */
  probe: { args: z.object({}).strict(), result: TcpLossProbeResult },
  /** One transfer in a fresh namespace with the given loss and rate; everything it made is removed at the end. */
  transfer: { args: TcpLossSettings, result: TcpLossRunResult },
  /** The lab's own recorded clean and lossy runs (labelled), for machines where runs are not possible. */
  recording: { args: z.object({}).strict(), result: TcpLossRecordingResult },
});

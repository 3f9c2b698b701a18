// Commands the browser sends to the DNS demo (lesson 28): resolve a name with the lab's own stub resolver (UDP, TC →
// TCP, a TTL cache), run the lesson's Go program against the lab's server, change the zone, flood it, send it a
// malformed packet; and the shapes of the zone, of decoded messages and of the replies.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import type { WireError } from '../errors.js';

export const DNS_DEMO = 'dns';
/** The zone the lab's server is authoritative for; it refuses every other name. */
export const LAB_ZONE = 'lab.test';

/** Names that produce each answer and each error for real (the lesson's scenarios). */
export const SCENARIO_NAMES = {
  /** An A and an AAAA record whose address and TTL the page can change. */
  ok: 'shop.lab.test',
  /** A CNAME to shop.lab.test. */
  alias: 'www.lab.test',
  /** Not in the zone: NXDOMAIN, with the zone's SOA in the authority section. */
  nxdomain: 'nothere.lab.test',
  /** The server answers SERVFAIL (a server that cannot answer right now). */
  servfail: 'broken.lab.test',
  /** The server never answers: the client times out. */
  timeout: 'silent.lab.test',
  /** 100 A records: too big for a UDP answer, so the server sets TC and the client asks again over TCP. */
  truncated: 'big.lab.test',
} as const;
export type Scenario = keyof typeof SCENARIO_NAMES;

export const EDITABLE_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;
export type EditableType = (typeof EDITABLE_TYPES)[number];

/** One record of the zone as the page lists and edits it. */
export const ZoneRow = z.object({
  name: z.string(),
  type: z.enum(EDITABLE_TYPES),
  /** Address, target name or text. */
  value: z.string(),
  ttl: z.number().int(),
});
export type ZoneRow = z.infer<typeof ZoneRow>;

/** A decoded message as the page shows it (the codec's full message is in core/dns/dnsMessage.ts). */
export interface DnsMessageSummary {
  id: number;
  qr: boolean;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: string;
  questions: Array<{ name: string; type: string }>;
  /** The first answers (a big answer is cut; answerCount says how many there were). */
  answers: Array<{ name: string; type: string; ttl: number; value: string }>;
  answerCount: number;
  authorityCount: number;
  /** The UDP payload size the sender's EDNS0 OPT record offers, or null without one. */
  ednsUdpSize: number | null;
}

const WireErrorSchema = z.custom<WireError>((v) => typeof v === 'object' && v !== null && 'code' in v);
const RecordType = z.enum(['A', 'AAAA', 'CNAME', 'TXT']);
const Name = z.string().min(1).max(300);

export const DnsResolveArgs = z.object({
  name: Name.default(SCENARIO_NAMES.ok),
  type: RecordType.default('A'),
  /** Use the resolver's cache (answers kept for their TTL); false asks the server every time. */
  cache: z.boolean().default(true),
  /** How long the stub waits for a UDP answer before giving up (one try). */
  timeoutMs: z.number().int().min(100).max(5000).default(1500),
});

export const DnsAttempt = z.object({
  transport: z.enum(['udp', 'tcp']),
  /** The query's id (answers carry it back). */
  id: z.number().int(),
  /** The response code, or null when nothing came back. */
  rcode: z.string().nullable(),
  truncated: z.boolean(),
  timedOut: z.boolean(),
  answers: z.number().int(),
  bytes: z.number().int(),
});
export type DnsAttempt = z.infer<typeof DnsAttempt>;

export const DnsResolveResult = z.object({
  run: z.literal('resolve'),
  client: z.string(),
  name: z.string(),
  type: z.string(),
  /** True when the answer came from the cache: no packet was sent. */
  fromCache: z.boolean(),
  /** Seconds the cached answer still has (its TTL counted down), when it came from the cache. */
  ttlLeft: z.number().nullable(),
  attempts: z.array(DnsAttempt),
  answers: z.array(z.object({ name: z.string(), type: z.string(), ttl: z.number().int(), value: z.string() })),
  answerCount: z.number().int(),
  /** What went wrong, as a resolver would say it: NXDOMAIN, SERVFAIL, timeout... (null on success). */
  outcome: z.enum(['ok', 'nodata', 'nxdomain', 'servfail', 'refused', 'timeout', 'error']),
  error: WireErrorSchema.optional(),
});
export type DnsResolveResult = z.infer<typeof DnsResolveResult>;

/** One name the Go program looked up, and what Go returned for it (parsed from its output). */
export const GoLookupLine = z.object({
  name: z.string(),
  /** The addresses, or the error text as Go printed it. */
  result: z.string(),
  ok: z.boolean(),
  isNotFound: z.boolean(),
  isTimeout: z.boolean(),
  isTemporary: z.boolean(),
  /** Go's own words in the error (e.g. "no such host", "server misbehaving", "i/o timeout"). */
  err: z.string(),
});
export type GoLookupLine = z.infer<typeof GoLookupLine>;

export const DnsGoArgs = z.object({
  /** The names to look up (the scenarios when empty). */
  names: z.array(Name).max(8).default([]),
});
export const DnsGoResult = z.object({
  run: z.literal('go'),
  /** False when Go is missing here (then error says so and nothing ran). */
  ran: z.boolean(),
  goVersion: z.string().nullable(),
  lookups: z.array(GoLookupLine),
  /** Everything the program printed (bounded). */
  output: z.string(),
  exitCode: z.number().int().nullable(),
  error: WireErrorSchema.optional(),
});
export type DnsGoResult = z.infer<typeof DnsGoResult>;

export const DnsSetRecordArgs = z.object({
  name: Name.default(SCENARIO_NAMES.ok),
  type: RecordType.default('A'),
  /** One value per record (several A records make several answers); empty removes the name's records of this type. */
  values: z.array(z.string().max(255)).max(16),
  ttl: z.number().int().min(0).max(86400).default(30),
});
export const DnsZoneResult = z.object({ run: z.literal('zone'), serial: z.number().int(), rows: z.array(ZoneRow) });
export type DnsZoneResult = z.infer<typeof DnsZoneResult>;

export const DnsFloodArgs = z.object({ count: z.number().int().min(1).max(3000).default(1000) });
export const DnsFloodResult = z.object({
  run: z.literal('flood'),
  client: z.string(),
  sent: z.number().int(),
  answered: z.number().int(),
  /** Queries the server dropped because this source was over its budget. */
  droppedByBudget: z.number().int(),
  budget: z.object({ perSecond: z.number(), burst: z.number() }),
});
export type DnsFloodResult = z.infer<typeof DnsFloodResult>;

export const MALFORMED_KINDS = ['pointerLoop', 'pointerForward', 'longLabel', 'countsOverrun'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];
export const DnsMalformedArgs = z.object({ kind: z.enum(MALFORMED_KINDS).default('pointerLoop') });
export const DnsMalformedResult = z.object({
  run: z.literal('malformed'),
  client: z.string(),
  kind: z.enum(MALFORMED_KINDS),
  /** The bytes sent, in hex. */
  hex: z.string(),
  /** The server's answer: FORMERR when it could read the header, nothing when it could not. */
  reply: z.string().nullable(),
  /** The codec's refusal, as the server logged it. */
  refusal: WireErrorSchema.nullable(),
});
export type DnsMalformedResult = z.infer<typeof DnsMalformedResult>;

export type DnsRunResult = DnsResolveResult | DnsGoResult | DnsFloodResult | DnsMalformedResult;

export const DNS_COMMANDS = defineCommands({
  /** The lab's stub resolver looks a name up: UDP first, TCP after a truncated answer, answers cached for their TTL. */
  resolve: { args: DnsResolveArgs, result: DnsResolveResult },
  /** Runs lessons/28-dns/main.go (a Go net.Resolver pointed at the lab's server) and parses what it printed. */
  go: { args: DnsGoArgs, result: DnsGoResult },
  /** The zone as it is now. */
  zone: { args: z.object({}).strict(), result: DnsZoneResult },
  /** Replaces a name's records of one type (the lab's machine only: the server is shared). */
  setRecord: { args: DnsSetRecordArgs, result: DnsZoneResult },
  /** Puts the zone back as it started. */
  resetZone: { args: z.object({}).strict(), result: DnsZoneResult },
  /** One client sends queries as fast as it can; the server's per-source budget answers only some. */
  flood: { args: DnsFloodArgs, result: DnsFloodResult },
  /** Sends the server a malformed query; its codec refuses it with a code. */
  malformed: { args: DnsMalformedArgs, result: DnsMalformedResult },
});

// The fault proxy's settings and commands (issue 15): which fault, on which connections, in which direction, from
// when. Shapes are checked by zod at the edge; ranges by checkFaultRanges, so an out-of-range value gets its own
// code (E_FAULT_OUT_OF_RANGE) saying which field and which range. Shared by the server, the page and snippets.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import { wireError, type WireError } from '../errors.js';

export const FAULT_PROXY_DEMO = 'fault-proxy';

/** Ranges of every numeric setting: wide enough for any lesson, small enough that nothing waits for a day. */
export const FAULT_LIMITS = {
  delayMs: { min: 0, max: 60_000 },
  bytesPerSecond: { min: 1, max: 1_000_000_000 },
  sliceBytes: { min: 1, max: 65_536 },
  dataBytes: { min: 0, max: 1 << 30 },
  nthMessage: { min: 1, max: 1_000_000 },
  patternChars: { min: 1, max: 64 },
} as const;

/** At most this many rules per owner (a page, a snippet's machine), and this many in all. */
export const MAX_RULES_PER_OWNER = 16;
export const MAX_RULES = 256;

const num = z.number();

/**
 * One fault. toxiproxy's toxics (latency, bandwidth, slicer, slow_close, timeout, reset_peer, limit_data) plus stall
 * and half_close. `timeout` with ms 0 is the blackhole (accept, never answer); `reset_peer` with afterMs 0 is an
 * immediate RST; `limit_data` is "close after N bytes".
 * @example { type: 'latency', ms: 100, jitterMs: 20 }
 */
export const Fault = z.discriminatedUnion('type', [
  /** Every chunk waits ms ± jitterMs before it is forwarded (order kept). */
  z.object({ type: z.literal('latency'), ms: num, jitterMs: num.default(0) }).strict(),
  /** At most bytesPerSecond are forwarded. */
  z.object({ type: z.literal('bandwidth'), bytesPerSecond: num }).strict(),
  /** Each chunk is cut into pieces of averageBytes ± variationBytes, delayMs apart (sticky packets on demand). */
  z
    .object({ type: z.literal('slicer'), averageBytes: num, variationBytes: num.default(0), delayMs: num.default(0) })
    .strict(),
  /** The peer's FIN is passed on only delayMs later. */
  z.object({ type: z.literal('slow_close'), delayMs: num }).strict(),
  /** Bytes are dropped; the connection is closed after ms (0: never, the blackhole). */
  z.object({ type: z.literal('timeout'), ms: num.default(0) }).strict(),
  /** Both sides get a real RST (socket.resetAndDestroy()) afterMs after the fault starts. */
  z.object({ type: z.literal('reset_peer'), afterMs: num.default(0) }).strict(),
  /** bytes pass, then the connection is closed (FIN both ways). */
  z.object({ type: z.literal('limit_data'), bytes: num }).strict(),
  /** Nothing is forwarded and the proxy stops reading, so back-pressure reaches the sender; the connection stays open. */
  z.object({ type: z.literal('stall') }).strict(),
  /** The proxy sends FIN onward in this direction; the other direction keeps flowing. */
  z.object({ type: z.literal('half_close') }).strict(),
]);
export type Fault = z.infer<typeof Fault>;
export type FaultType = Fault['type'];
export const FAULT_TYPES = Fault.options.map((o) => o.shape.type.value) as readonly FaultType[];

/** When a fault starts on a connection's direction: at once, or when what passes matches. */
export const FaultTrigger = z.union([
  /** After this many bytes have passed (since the rule was set, or since the connection opened if later). */
  z.object({ afterBytes: num }).strict(),
  /** From the start of the n-th message (messages end with delimiter, "\n" by default). */
  z.object({ onMessage: num, delimiter: z.string().min(1).max(4).default('\n') }).strict(),
  /** Right after these bytes (UTF-8) pass. */
  z.object({ pattern: z.string() }).strict(),
]);
export type FaultTrigger = z.infer<typeof FaultTrigger>;

/** up: client → upstream; down: upstream → client. */
export const FaultDirection = z.enum(['up', 'down', 'both']);
export type FaultDirection = z.infer<typeof FaultDirection>;

export const FaultRuleInput = z
  .object({
    fault: Fault,
    direction: FaultDirection.default('both'),
    /** 'all': every connection the caller may change, now and later; or one proxied connection's id. */
    conn: z.string().max(32).default('all'),
    trigger: FaultTrigger.optional(),
  })
  .strict();
export type FaultRuleInput = z.input<typeof FaultRuleInput>;
export type FaultRuleSpec = z.output<typeof FaultRuleInput>;

/** A rule as the proxy holds it. */
export const FaultRuleView = z.object({
  id: z.string(),
  fault: Fault,
  direction: FaultDirection,
  conn: z.string(),
  trigger: FaultTrigger.optional(),
});
export type FaultRuleView = z.infer<typeof FaultRuleView>;

/** The proxy's own switches: refuse new connections (its listener is closed), take the upstream down. */
export const ProxySwitches = z.object({
  accepting: z.enum(['open', 'refuse']),
  upstream: z.enum(['up', 'down']),
});
export type ProxySwitches = z.infer<typeof ProxySwitches>;

/** The first value out of range, as E_FAULT_OUT_OF_RANGE naming the field and its range; null when all are in range. */
export function checkFaultRanges(rule: FaultRuleSpec): WireError | null {
  const L = FAULT_LIMITS;
  const f = rule.fault;
  const checks: [string, number, { min: number; max: number }][] = [];
  switch (f.type) {
    case 'latency':
      checks.push(['latency.ms', f.ms, L.delayMs], ['latency.jitterMs', f.jitterMs, L.delayMs]);
      break;
    case 'bandwidth':
      checks.push(['bandwidth.bytesPerSecond', f.bytesPerSecond, L.bytesPerSecond]);
      break;
    case 'slicer':
      checks.push(
        ['slicer.averageBytes', f.averageBytes, L.sliceBytes],
        ['slicer.variationBytes', f.variationBytes, { min: 0, max: Math.max(0, f.averageBytes - 1) }],
        ['slicer.delayMs', f.delayMs, L.delayMs],
      );
      break;
    case 'slow_close':
      checks.push(['slow_close.delayMs', f.delayMs, L.delayMs]);
      break;
    case 'timeout':
      checks.push(['timeout.ms', f.ms, L.delayMs]);
      break;
    case 'reset_peer':
      checks.push(['reset_peer.afterMs', f.afterMs, L.delayMs]);
      break;
    case 'limit_data':
      checks.push(['limit_data.bytes', f.bytes, L.dataBytes]);
      break;
    case 'stall':
    case 'half_close':
      break;
  }
  const t = rule.trigger;
  if (t && 'afterBytes' in t) checks.push(['trigger.afterBytes', t.afterBytes, L.dataBytes]);
  if (t && 'onMessage' in t) checks.push(['trigger.onMessage', t.onMessage, L.nthMessage]);
  if (t && 'pattern' in t) checks.push(['trigger.pattern (characters)', t.pattern.length, L.patternChars]);
  for (const [field, value, { min, max }] of checks) {
    if (!Number.isInteger(value) || value < min || value > max)
      return wireError('E_FAULT_OUT_OF_RANGE', `${field} must be a whole number from ${min} to ${max} (got ${value})`);
  }
  return null;
}

/** Parses and range-checks a rule from anywhere (a command, a control line, the CLI). */
export function parseFaultRule(input: unknown): { ok: true; rule: FaultRuleSpec } | { ok: false; error: WireError } {
  const parsed = FaultRuleInput.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(rule)'}: ${i.message}`).join('; ');
    return { ok: false, error: wireError('E_FAULT_BAD', detail) };
  }
  const range = checkFaultRanges(parsed.data);
  return range ? { ok: false, error: range } : { ok: true, rule: parsed.data };
}

export const FaultProxyConnectResult = z.object({
  client: z.string(),
  /** The client socket's local port: the proxy sees it as the remote port. */
  localPort: z.number().int(),
});

export const FaultProxyState = z.object({
  rules: z.array(FaultRuleView),
  switches: ProxySwitches,
  /** The proxied connections this caller may see and change. */
  conns: z.array(z.string()),
});
export type FaultProxyState = z.infer<typeof FaultProxyState>;

export const FAULT_PROXY_COMMANDS = defineCommands({
  /** Opens a client connection through the proxy, owned by the caller's page. */
  connect: { args: z.object({}).strict(), result: FaultProxyConnectResult },
  send: {
    args: z.object({ client: z.string().max(32), text: z.string().max(16 * 1024), newline: z.boolean().default(true) }),
    result: z.object({ bytes: z.number().int() }),
  },
  close: { args: z.object({ client: z.string().max(32) }), result: z.object({ closed: z.string() }) },
  /** Adds a fault rule; a value out of range gets E_FAULT_OUT_OF_RANGE (checkFaultRanges). */
  set: { args: z.object({ rule: FaultRuleInput }).strict(), result: z.object({ id: z.string() }) },
  /** Clears one of the caller's rules, or all of them (no id). Cleared stalls forward what they held. */
  clear: { args: z.object({ id: z.string().max(32).optional() }).strict(), result: z.object({ cleared: z.number() }) },
  /** The caller's rules and connections, and the proxy's switches. */
  list: { args: z.object({}).strict(), result: FaultProxyState },
  /** Refuse new connections / take the upstream down (a server restart), and back. Shared: the lab's machine only. */
  switch: { args: ProxySwitches.partial().strict(), result: ProxySwitches },
});

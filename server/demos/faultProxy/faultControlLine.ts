// The fault proxy's control protocol for snippets and nc: one JSON object per line in, one JSON line back. A snippet
// reaches it through the bridge like any demo endpoint, so faults can be set from code:
//   {"action":"set","rule":{"fault":{"type":"stall"},"direction":"down"}}  →  {"ok":true,"id":"f3"}
//   {"action":"clear"}  →  {"ok":true,"cleared":1}        {"action":"list"}  →  {"ok":true,"rules":[…]}
// Pure: parsing a line and writing a reply.
import { z } from 'zod';
import { parseFaultRule, type FaultRuleSpec } from '../../../core/protocol/demos/faultProxy.js';
import { wireError, type WireError } from '../../../core/protocol/errors.js';

/** Longest control line the proxy reads; a longer one is refused and the connection closed. */
export const MAX_CONTROL_LINE = 4096;

export type ControlRequest =
  { action: 'set'; rule: FaultRuleSpec } | { action: 'clear'; id?: string } | { action: 'list' };

const Envelope = z.discriminatedUnion('action', [
  z.object({ action: z.literal('set'), rule: z.unknown() }).strict(),
  z.object({ action: z.literal('clear'), id: z.string().max(32).optional() }).strict(),
  z.object({ action: z.literal('list') }).strict(),
]);

export function parseControlLine(
  line: string,
): { ok: true; request: ControlRequest } | { ok: false; error: WireError } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: wireError('E_BAD_JSON', line.slice(0, 80)) };
  }
  const env = Envelope.safeParse(json);
  if (!env.success)
    return {
      ok: false,
      error: wireError(
        'E_BAD_MESSAGE',
        'expected {"action":"set","rule":{…}}, {"action":"clear"} or {"action":"list"}',
      ),
    };
  if (env.data.action !== 'set') return { ok: true, request: env.data };
  const rule = parseFaultRule(env.data.rule);
  return rule.ok ? { ok: true, request: { action: 'set', rule: rule.rule } } : rule;
}

export function replyLine(reply: Record<string, unknown> | WireError): string {
  return 'code' in reply
    ? `${JSON.stringify({ ok: false, error: reply })}\n`
    : `${JSON.stringify({ ok: true, ...reply })}\n`;
}

// Reads the Go helper's output: one JSON object a line, each a step it took (a listen, a served connection, a
// listener closing with its count). Anything else is not a line of the helper's and is skipped.
import { z } from 'zod';
import type { ListenOutcome } from '../../../core/protocol/demos/portReuse.js';

const Outcome = z.object({
  ok: z.boolean(),
  addr: z.string().optional(),
  error: z.string().optional(),
  errno: z.string().optional(),
});

const HelperLineSchema = z.discriminatedUnion('event', [
  Outcome.extend({ event: z.literal('listen'), id: z.number().int().optional() }),
  Outcome.extend({ event: z.literal('first') }),
  Outcome.extend({ event: z.literal('second') }),
  z.object({ event: z.literal('accept'), ok: z.literal(false), error: z.string() }),
  z.object({ event: z.literal('served'), local: z.string(), remote: z.string() }),
  z.object({ event: z.literal('closed'), id: z.number().int(), accepted: z.number().int().min(0) }),
]);
export type HelperLine = z.infer<typeof HelperLineSchema>;
type Of<E extends HelperLine['event']> = Extract<HelperLine, { event: E }>;

/** One line of the helper's stdout as a step, or null when it is not one. */
export function parseHelperLine(text: string): HelperLine | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = HelperLineSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A matcher for the lines of one kind (for ReuseHelperProcess.next). */
export function lineOf<E extends HelperLine['event']>(event: E): (line: HelperLine) => line is Of<E> {
  return (line): line is Of<E> => line.event === event;
}

/** The outcome part of a listen-like line, without the helper's own fields. */
export function listenOutcome(line: { ok: boolean; addr?: string; error?: string; errno?: string }): ListenOutcome {
  return {
    ok: line.ok,
    ...(line.addr !== undefined ? { addr: line.addr } : {}),
    ...(line.error !== undefined ? { error: line.error } : {}),
    ...(line.errno !== undefined ? { errno: line.errno } : {}),
  };
}

/** The port of an `ip:port` (or `[ip]:port`) address, or null. */
export function portOf(addr: string | undefined): number | null {
  const m = /:(\d+)$/.exec(addr ?? '');
  const port = m ? Number(m[1]) : NaN;
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
}

// The shape of a demo's commands: for each action, the zod schema of its arguments and of its result. Each demo's
// map is written once in core/protocol/demos/<demo>.ts; the server's dispatch validates arguments (and results)
// with it, and the browser's command() takes its argument and result types from it.
import type { z } from 'zod';

/** One action: what the browser may send, and what the server replies. */
export interface CommandSpec {
  readonly args: z.ZodType;
  readonly result: z.ZodType;
}

/** A demo's actions by name, e.g. `{ connect: { args: EchoConnectArgs, result: EchoConnectResult } }`. */
export type CommandMap = { readonly [action: string]: CommandSpec };

/** What a caller sends: fields with defaults may be left out. */
export type CommandArgsIn<M extends CommandMap, A extends keyof M> = z.input<M[A]['args']>;
/** What the server's handler gets: validated, defaults filled in. */
export type CommandArgs<M extends CommandMap, A extends keyof M> = z.output<M[A]['args']>;
/** What the handler returns before the result schema checks it. */
export type CommandResultIn<M extends CommandMap, A extends keyof M> = z.input<M[A]['result']>;
/** What the browser receives. */
export type CommandResult<M extends CommandMap, A extends keyof M> = z.output<M[A]['result']>;

/** Declares a demo's command map, keeping each action's schemas' own types. */
export function defineCommands<const M extends CommandMap>(map: M): M {
  return map;
}

// Runs one command from a browser against a demo: finds the action in the demo's command map, validates the
// arguments with its schema, runs the handler and checks the result with the result schema. Never throws.
import type { z } from 'zod';
import { LabError, wireError, type WireError } from '../../core/protocol/errors.js';
import type { CommandMessage } from '../../core/protocol/wire.js';
import type { CommandCaller, Demo } from '../demos/demo.js';

export type CommandOutcome = { ok: true; result: unknown } | { ok: false; error: WireError };

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ');
}

export async function dispatchCommand(
  demo: Demo | undefined,
  message: CommandMessage,
  caller: CommandCaller,
): Promise<CommandOutcome> {
  if (!demo) return { ok: false, error: wireError('E_UNKNOWN_DEMO', message.demo) };
  // Own properties only: "toString" or "__proto__" are not actions.
  const cmd = Object.hasOwn(demo.commands, message.action) ? demo.commands[message.action] : undefined;
  if (!cmd) return { ok: false, error: wireError('E_UNKNOWN_ACTION', `${message.demo}.${message.action}`) };
  const args = cmd.args.safeParse(message.args ?? {});
  if (!args.success) return { ok: false, error: wireError('E_BAD_ARGS', issues(args.error)) };
  let value: unknown;
  try {
    value = await cmd.run(args.data, caller);
  } catch (err) {
    return {
      ok: false,
      error:
        err instanceof LabError
          ? err.toWire()
          : wireError('E_ACTION_FAILED', err instanceof Error ? err.message : String(err)),
    };
  }
  // The compiler holds handlers to their result types; this catches what a cast let through, before a browser sees it.
  const result = cmd.result.safeParse(value);
  if (!result.success)
    return {
      ok: false,
      error: wireError(
        'E_INTERNAL',
        `${message.demo}.${message.action} replied with a result its schema refuses: ${issues(result.error)}`,
      ),
    };
  return { ok: true, result: result.data };
}

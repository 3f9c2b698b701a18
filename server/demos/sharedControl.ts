// Who may drive a shared demo (one server every page sees): a run belongs to the page that started it (its /ws
// session), which alone may stop it, except that the instructor's browser (on the lab's own machine) may stop a run
// started from another machine; changing the shared server itself is the instructor's; another page's run blocks a
// new one until it ends. Pure: the refusals carry stable codes.
import { LabError, wireError, type WireError } from '../../core/protocol/errors.js';
import type { CommandCaller } from './demo.js';

/** Who started a run. */
export interface RunOwner {
  session: string;
  local: boolean | undefined;
}

export function ownerOf(caller: CommandCaller): RunOwner {
  return { session: caller.session, local: caller.local };
}

/** A page on another machine is refused; the lab's machine and the lab's own callers (local undefined) are not. */
export function mayChangeShared(caller: CommandCaller, what: string): WireError | null {
  return caller.local === false ? wireError('E_INSTRUCTOR_ONLY', what) : null;
}

/** A new run while `current` (someone's run) is going: refused unless it is the caller's own. */
export function mayStart(current: RunOwner | null, caller: CommandCaller, what: string): WireError | null {
  if (!current || current.session === caller.session) return null;
  return wireError('E_DEMO_IN_USE', `${what} started by another page is still going`);
}

export function mayStop(current: RunOwner, caller: CommandCaller, what: string): WireError | null {
  if (current.session === caller.session) return null;
  if (caller.local !== false && current.local === false) return null; // the instructor stops a remote page's run
  if (caller.local === undefined) return null; // the lab itself (headless twin, tests)
  return wireError('E_NOT_OWNER', `${what} was started by another page`);
}

/** The refusal as the error a command throws (the /ws edge sends it back with its code). */
export function labErrorOf(error: WireError): LabError {
  return new LabError(error.code, error.detail);
}

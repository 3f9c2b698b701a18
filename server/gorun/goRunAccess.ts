// Who may run Go from a page, and whether their runs are sandboxed. Pure: the demo (server/demos/goRun) asks it.
// A page on the lab's own machine may (sandboxed where the sandbox works); a page on another machine (a classroom
// student) only when the instructor started the lab with --allow-student-go, and then only inside the sandbox.
import { wireError, type WireError } from '../../core/protocol/errors.js';
import type { SandboxProbe } from './goSandbox.js';

export interface GoAccessAsk {
  /** The page runs on the lab's machine (the request guard's 'local' asker); absent for the lab's own callers. */
  local: boolean | undefined;
  allowStudentGo: boolean;
  sandbox: SandboxProbe;
}

export type GoAccess = { allowed: true; sandboxed: boolean } | { allowed: false; sandboxed: boolean; error: WireError };

export function decideGoAccess(ask: GoAccessAsk): GoAccess {
  const sandboxed = ask.sandbox.ok;
  if (ask.local !== false) return { allowed: true, sandboxed };
  if (!ask.allowStudentGo) return { allowed: false, sandboxed, error: wireError('E_GO_STUDENT_NOT_ALLOWED') };
  if (!ask.sandbox.ok)
    return { allowed: false, sandboxed, error: wireError('E_GO_SANDBOX_REQUIRED', ask.sandbox.reason) };
  return { allowed: true, sandboxed: true };
}

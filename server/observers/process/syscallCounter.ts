// Counts a running process's system calls by kind over a window with `strace -f -c -p PID` (every thread, summary
// table on detach), or says why it cannot: strace missing, or no permission to trace (not root and not the
// process's owner, Yama's ptrace_scope, a container without CAP_SYS_PTRACE). The table is read by straceSummary.ts.
import { spawn } from 'node:child_process';
import { parseStraceSummary, type StraceSummary } from './straceSummary.js';

export type SyscallCountResult =
  | { ok: true; summary: StraceSummary; /** From strace's start to its exit. */ windowMs: number }
  | { ok: false; reason: string };

export interface SyscallCountOptions {
  /**
   * The command that runs strace, with any words before it: ['strace'] by default; tests name a missing one, or
   * run it as an unprivileged user (['setpriv', '--reuid=65534', ..., 'strace']).
   */
  tracer?: readonly string[];
  signal?: AbortSignal;
}

/** How long strace gets to detach and print its table after SIGINT before it is killed: detaching from a thousand
 * threads on a busy machine takes seconds. */
const DETACH_GRACE_MS = 30_000;

/**
 * Traces pid and every thread it has (and makes) for windowMs, then stops strace with SIGINT, on which it detaches
 * and writes its summary to stderr (with -qq, the only thing it writes there when it works). The window includes strace attaching to each thread, so per-second figures divide by
 * the whole measured window.
 */
export async function countSyscalls(
  pid: number,
  windowMs: number,
  options: SyscallCountOptions = {},
): Promise<SyscallCountResult> {
  const [command, ...before] = options.tracer ?? ['strace'];
  const strace = options.tracer?.at(-1) ?? 'strace';
  const began = performance.now();
  const child = spawn(command!, [...before, '-f', '-c', '-qq', '-p', String(pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    if (stderr.length < 256 * 1024) stderr += s; // the table is a few KB; anything past this is not it
  });
  const exited = new Promise<{ code: number | null; spawnError?: string }>((resolve) => {
    child.on('error', (err) => resolve({ code: null, spawnError: err.message }));
    child.on('close', (code) => resolve({ code }));
  });
  const stopAfter = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, windowMs);
    options.signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
  const first = await Promise.race([exited.then(() => 'exited' as const), stopAfter.then(() => 'window' as const)]);
  let killed = false;
  if (first === 'window') {
    child.kill('SIGINT');
    const killer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, DETACH_GRACE_MS);
    await exited;
    clearTimeout(killer);
  }
  const elapsed = performance.now() - began;
  const result = await exited;
  if (result.spawnError) {
    return {
      ok: false,
      reason: /ENOENT/.test(result.spawnError) ? `${strace} is not installed` : `${strace}: ${result.spawnError}`,
    };
  }
  const summary = parseStraceSummary(stderr);
  if (first === 'exited' || !summary) {
    if (killed)
      return { ok: false, reason: `${strace} did not detach within ${DETACH_GRACE_MS / 1000} s, so it was stopped` };
    const said = stderr.trim().split('\n').pop() ?? '';
    return { ok: false, reason: said || `${strace} exited (code ${result.code}) without a summary` };
  }
  return { ok: true, summary, windowMs: elapsed };
}

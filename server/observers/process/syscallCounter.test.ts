import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { countSyscalls } from './syscallCounter.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A process that writes a line to a pipe every 20 ms: a known, steady stream of write(2) calls. */
function ticker(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => process.stdout.write("t\\n"), 20)'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  child.stdout!.resume();
  children.push(child);
  return child;
}

const isRoot = process.getuid?.() === 0;

describe('countSyscalls', () => {
  it.runIf(isRoot)('counts a real process’s writes by kind over the window (every thread followed)', async () => {
    const child = ticker();
    await new Promise((r) => setTimeout(r, 300));
    const r = await countSyscalls(child.pid!, 1000);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const writes = r.summary.rows.find((row) => row.syscall === 'write');
    // About 50 writes in a second; a busy machine delays timers, so only a loose floor is asserted.
    expect(writes?.calls).toBeGreaterThan(5);
    expect(r.summary.totalCalls).toBeGreaterThanOrEqual(writes!.calls);
    expect(r.windowMs).toBeGreaterThanOrEqual(1000);
  });

  it('says strace is not installed when the command is missing', async () => {
    const r = await countSyscalls(process.pid, 200, { tracer: ['/nonexistent/strace'] });
    expect(r).toEqual({ ok: false, reason: '/nonexistent/strace is not installed' });
  });

  it.runIf(isRoot)('as an unprivileged user (setpriv to nobody) it is refused, and says so', async () => {
    const child = ticker();
    const r = await countSyscalls(child.pid!, 500, {
      tracer: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'strace'],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/ptrace.*Operation not permitted/);
  });

  it('ends early when its signal aborts, and still reads the table', async () => {
    if (!isRoot) return;
    const child = ticker();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const r = await countSyscalls(child.pid!, 60_000, { signal: abort.signal });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.windowMs).toBeLessThan(30_000);
  });
});

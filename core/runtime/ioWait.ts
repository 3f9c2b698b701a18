// The runtime's one way to wait on outside work (a socket read or write, a dial, a host callback), counted as
// pending I/O by the deadlock detector like Go's netpoller:
//
//   const op = new IoOp<T>();
//   if (op.begin(rt)) startTheWork(op);   // the work calls op.complete(value) or op.fail(error); the first call wins
//   return op.wait();                     // the promise the goroutine awaits
//
// An op ended inside its start (bytes already buffered, the kernel took a write at once) does not park the goroutine,
// as Go parks only an operation that would block. One object per wait and no closure: a socket's hot path can be
// the op itself (server/net/goroutineConn.ts).
import type { Goroutine, Waitable } from './goroutine.js';
import { abort, never, noop, parkPromise, readyFailure, readyPromise, resume, type Parked } from './handOff.js';
import { callerGoroutine } from './runningGoroutine.js';
import { resolveRuntime } from './ambientRuntime.js';
import type { Runtime } from './scheduler.js';

/** An I/O wait: not begun (or begun after the run was over), inside its start, parked, or over. */
const IO_STARTING = 0;
const IO_PARKED = 1;
const IO_DONE = 2;

export class IoOp<T> implements Parked {
  private phase: typeof IO_STARTING | typeof IO_PARKED | typeof IO_DONE = IO_STARTING;
  private outcome: unknown = undefined;
  private failed = false;
  private rt: Runtime | null = null;
  private g: Goroutine | null = null;
  resolve: (value: never) => void = noop;
  reject: (error: unknown) => void = noop;

  /**
   * Begins the wait for the calling goroutine of rt; false once the run is over, when the work must not start
   * (and wait()'s promise never settles).
   */
  begin(rt: Runtime): boolean {
    if (rt.stopped) return false;
    this.rt = rt;
    this.g = callerGoroutine();
    rt.io++;
    return true;
  }

  /** The promise the goroutine awaits: settled already when the op ended inside its start (no parking). */
  wait(on: Waitable | null = null): Promise<T> {
    const rt = this.rt;
    if (rt === null) return never(); // the run was over before it began
    const g = this.g;
    // Settled at once: the goroutine yields, as at any await, but never blocked.
    if (this.phase === IO_DONE)
      return this.failed ? readyFailure<T>(g, this.outcome) : readyPromise(g, this.outcome as T);
    const promise = parkPromise<T>(this, g);
    this.phase = IO_PARKED;
    if (g !== null) rt.block(g, 'IO wait', on);
    return promise;
  }

  complete(value: T): void {
    this.end(value, false);
  }

  fail(error: unknown): void {
    this.end(error, true);
  }

  private end(outcome: unknown, failed: boolean): void {
    const rt = this.rt;
    if (rt === null || this.phase === IO_DONE || rt.stopped) return;
    rt.io--;
    if (this.phase === IO_STARTING) {
      this.phase = IO_DONE;
      this.outcome = outcome;
      this.failed = failed;
      return;
    }
    this.phase = IO_DONE;
    const g = this.g;
    if (g !== null) rt.unblock(g, null);
    if (failed) abort(this, g, outcome);
    else resume(this, g, outcome);
  }
}

/**
 * A promise as an I/O wait of the calling goroutine (an IoOp the promise ends):
 * `const [n, err] = await ioWait(conn.read(buf))`.
 */
export function ioWait<T>(
  work: PromiseLike<T>,
  rt: Runtime = resolveRuntime(),
  on: Waitable | null = null,
): Promise<T> {
  const op = new IoOp<T>();
  if (op.begin(rt)) {
    work.then(
      (value) => op.complete(value),
      (error: unknown) => op.fail(error),
    );
  }
  return op.wait(on);
}

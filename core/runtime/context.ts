// Go's context package for the goroutine runtime: Background, WithCancel, WithTimeout, WithDeadline, WithValue.
// Cancelling a context closes its Done channel and cancels its children; Err says why.
import { Chan } from './channel.js';
import { PANIC, GoPanic } from './panic.js';
import { resolveRuntime } from './ambientRuntime.js';
import type { Goroutine } from './goroutine.js';
import { callerGoroutine } from './runningGoroutine.js';
import type { Runtime } from './scheduler.js';
import type { RuntimeTimer } from './timerQueue.js';

/** The error Err returns after cancel(), like Go's context.Canceled (compare with ===). */
export const Canceled: Error = Object.freeze(Object.assign(new Error('context canceled'), { name: 'Canceled' }));
/** The error Err returns once the deadline passed, like Go's context.DeadlineExceeded. */
export const DeadlineExceeded: Error = Object.freeze(
  Object.assign(new Error('context deadline exceeded'), { name: 'DeadlineExceeded' }),
);

export type CancelFunc = () => void;

export interface Context {
  /** A channel closed when the context is cancelled; null (a nil channel) for a context that is never cancelled. */
  done(): Chan<void> | null;
  /** null while the context is live; Canceled or DeadlineExceeded after. */
  err(): Error | null;
  /** [deadline on the run's clock in ms, true] or [0, false] when there is none. */
  deadline(): [number, boolean];
  value(key: unknown): unknown;
}

class EmptyContext implements Context {
  constructor(private readonly label: string) {}
  done(): Chan<void> | null {
    return null;
  }
  err(): Error | null {
    return null;
  }
  deadline(): [number, boolean] {
    return [0, false];
  }
  value(): unknown {
    return undefined;
  }
  toString(): string {
    return this.label;
  }
}

const BACKGROUND = new EmptyContext('context.Background');
const TODO = new EmptyContext('context.TODO');

/** `context.Background()`: never cancelled, no deadline, no values. */
export function background(): Context {
  return BACKGROUND;
}

export function todo(): Context {
  return TODO;
}

class CancelContext implements Context {
  private doneCh: Chan<void> | null = null;
  private error: Error | null = null;
  readonly children = new Set<CancelContext>();
  timer: RuntimeTimer | null = null;

  constructor(
    readonly rt: Runtime,
    readonly parent: Context,
    private readonly when: number | null,
  ) {}

  done(): Chan<void> {
    // Created on first use, as in Go; already closed if the context was cancelled before anyone asked.
    if (this.doneCh === null) {
      this.doneCh = new Chan<void>(this.rt, 0, { name: 'ctx.Done' });
      if (this.error !== null) this.doneCh.closeBy(null);
    }
    return this.doneCh;
  }

  err(): Error | null {
    return this.error;
  }

  deadline(): [number, boolean] {
    if (this.when !== null) return [this.when, true];
    return this.parent.deadline();
  }

  value(key: unknown): unknown {
    return this.parent.value(key);
  }

  cancel(error: Error, by: Goroutine | null, fromParent: boolean): void {
    if (this.error !== null) return;
    this.error = error;
    if (this.doneCh !== null) this.doneCh.closeBy(by);
    for (const child of this.children) child.cancel(error, by, true);
    this.children.clear();
    if (this.timer !== null) this.rt.stopTimer(this.timer);
    this.timer = null;
    if (!fromParent) {
      const p = nearestCancelable(this.parent);
      p?.children.delete(this);
    }
  }
}

class ValueContext implements Context {
  constructor(
    readonly parent: Context,
    private readonly key: unknown,
    private readonly val: unknown,
  ) {}
  done(): Chan<void> | null {
    return this.parent.done();
  }
  err(): Error | null {
    return this.parent.err();
  }
  deadline(): [number, boolean] {
    return this.parent.deadline();
  }
  value(key: unknown): unknown {
    return key === this.key ? this.val : this.parent.value(key);
  }
}

function nearestCancelable(ctx: Context): CancelContext | null {
  let c: Context = ctx;
  while (c instanceof ValueContext) c = c.parent;
  return c instanceof CancelContext ? c : null;
}

function checkParent(parent: Context | null | undefined): asserts parent is Context {
  if (parent === null || parent === undefined) throw new GoPanic(PANIC.nilParentContext);
}

function newCancelContext(parent: Context, when: number | null): [CancelContext, CancelFunc] {
  const rt = resolveRuntime();
  const ctx = new CancelContext(rt, parent, when);
  const p = nearestCancelable(parent);
  if (p !== null) {
    if (p.err() !== null) ctx.cancel(p.err()!, null, true);
    else p.children.add(ctx);
  } else if (parent.err() !== null) {
    ctx.cancel(parent.err()!, null, true);
  }
  return [ctx, () => ctx.cancel(Canceled, callerGoroutine(), false)];
}

/** `ctx, cancel := context.WithCancel(parent)`. */
export function withCancel(parent: Context): [Context, CancelFunc] {
  checkParent(parent);
  return newCancelContext(parent, null);
}

/** `context.WithDeadline(parent, d)`, d in ms on the run's clock (see time.now()). */
export function withDeadline(parent: Context, deadline: number): [Context, CancelFunc] {
  checkParent(parent);
  const [parentDeadline, has] = parent.deadline();
  // A parent that ends sooner already bounds this one.
  if (has && parentDeadline <= deadline) return newCancelContext(parent, null);
  const [ctx, cancel] = newCancelContext(parent, deadline);
  if (ctx.err() === null) {
    const rt = ctx.rt;
    const left = deadline - rt.now();
    if (left <= 0) ctx.cancel(DeadlineExceeded, null, false);
    else ctx.timer = rt.addTimer(left, () => ctx.cancel(DeadlineExceeded, null, false));
  }
  return [ctx, cancel];
}

/** `context.WithTimeout(parent, d)`. */
export function withTimeout(parent: Context, ms: number): [Context, CancelFunc] {
  checkParent(parent);
  return withDeadline(parent, resolveRuntime().now() + ms);
}

/** `context.WithValue(parent, key, val)`. */
export function withValue(parent: Context, key: unknown, val: unknown): Context {
  checkParent(parent);
  return new ValueContext(parent, key, val);
}

// Go's select: polls the cases in a seeded pseudo-random order, takes a ready one (never default when one is ready),
// else parks on every channel at once; the first partner to arrive completes it and withdraws the other waiters.
import { blockForever, type Chan } from './channel.js';
import { PANIC, GoPanic } from './panic.js';
import { resolveRuntime } from './ambientRuntime.js';
import type { Goroutine, WaitCase } from './goroutine.js';
import { abort, never, parkPromise, readyPromise, resume, resumeAfter } from './handOff.js';
import { callerGoroutine, closeSegment } from './runningGoroutine.js';
import type { Runtime } from './scheduler.js';
import { Sudog, type SelectWaiter } from './waitQueue.js';

/** One `case` of a select. Build it with recvCase or sendCase. */
export interface SelectCase<R = unknown> extends WaitCase {
  readonly ch: Chan<unknown> | null;
  readonly dir: 'send' | 'recv';
  readonly value: unknown;
  /** The case body; its result (awaited if it is a promise) becomes the select's `result`. */
  readonly body: ((value: unknown, ok: boolean) => R | PromiseLike<R>) | undefined;
}

/** Which case a select took. */
export interface Selected<R = unknown> {
  /** The index of the case taken, or -1 for default. */
  index: number;
  /** For a receive case: the value received (the zero value once closed). */
  value: unknown;
  /** For a receive case: false when the channel was closed. True for send cases. */
  ok: boolean;
  /** What the case body returned. */
  result: R | undefined;
}

export interface SelectOptions<R> {
  /** Go's `default:` — taken only when no case is ready. */
  default?: () => R | PromiseLike<R>;
}

/**
 * `case v, ok := <-ch:` — the body gets the value and ok. Once the channel is closed, value is its zero value
 * (undefined unless the channel was made with `{ zero }`) and ok is false.
 */
export function recvCase<T, R = never>(
  ch: Chan<T> | null,
  body?: (value: T, ok: boolean) => R | PromiseLike<R>,
): SelectCase<R> {
  return { ch: ch as Chan<unknown> | null, dir: 'recv', value: undefined, body: body as SelectCase<R>['body'] };
}

/** `case ch <- v:`. */
export function sendCase<T, R = never>(ch: Chan<T> | null, value: T, body?: () => R | PromiseLike<R>): SelectCase<R> {
  return { ch: ch as Chan<unknown> | null, dir: 'send', value, body: body as SelectCase<R>['body'] };
}

/**
 * `select { case …: … default: … }`.
 * @example
 * const { index } = await select([recvCase(results, (v) => console.log(v)), recvCase(time.after(1000))]);
 * if (index === 1) console.log('timeout');
 */
export function select<R = unknown>(
  cases: readonly SelectCase<R>[],
  options: SelectOptions<R> = {},
): Promise<Selected<R>> {
  const g = callerGoroutine();
  const rt = runtimeFor(g, cases);
  if (rt.stopped) return never();
  const n = cases.length;

  // Poll in a random order: with several cases ready, each wins a fair share.
  const order = rt.pollOrder;
  order.length = n;
  for (let i = 0; i < n; i++) {
    const j = rt.rng.below(i + 1);
    order[i] = order[j];
    order[j] = i;
  }
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const c = cases[i];
    const ch = c.ch;
    if (ch === null) continue;
    if (c.dir === 'recv') {
      const r = ch.take(g);
      if (r !== null) return chosen(rt, g, c, i, r[0], r[1]);
    } else {
      if (ch.closed) throw new GoPanic(PANIC.sendOnClosed);
      if (ch.offer(c.value, g)) return chosen(rt, g, c, i, undefined, true);
    }
  }

  const fallback = options.default;
  if (fallback !== undefined) return chosenDefault(rt, g, fallback);

  // `select {}`, or only nil channels: nothing can ever complete it.
  if (n === 0) return blockForever('select (no cases)');
  if (cases.every((c) => c.ch === null)) return blockForever('select');

  const waiter = new ParkedSelect<R>(g, cases);
  const l = rt.listener;
  if (g !== null) {
    if (l !== null) {
      l({
        kind: 'go.select',
        source: 'observed',
        gid: g.id,
        cases: cases.map((c) => ({ ch: c.ch === null ? null : c.ch.id, dir: c.dir })),
        hasDefault: false,
      });
    }
    rt.block(g, 'select', cases);
  }
  for (let i = 0; i < n; i++) {
    const c = cases[i];
    if (c.ch === null) continue;
    const s = new Sudog(g, c.value, waiter, i, c.dir);
    waiter.sudogs.push(s);
    if (c.dir === 'recv') c.ch.recvq.push(s);
    else c.ch.sendq.push(s);
  }
  const parked = parkPromise<Selected<R>>(waiter, g);
  if (!waiter.hasBodies) return parked;
  // Run the chosen body when the goroutine resumes, then resume the caller by the exact path.
  return resumeAfter(
    g,
    parked.then((sel) => runBody(sel, cases[sel.index])),
  );
}

function runtimeFor(g: Goroutine | null, cases: readonly SelectCase<unknown>[]): Runtime {
  if (g !== null) return g.rt;
  for (const c of cases) if (c.ch !== null) return c.ch.rt;
  return resolveRuntime();
}

function emitSelected(rt: Runtime, g: Goroutine | null, index: number): void {
  const l = rt.listener;
  if (l !== null && g !== null) l({ kind: 'go.selected', source: 'observed', gid: g.id, index });
}

function chosen<R>(
  rt: Runtime,
  g: Goroutine | null,
  c: SelectCase<R>,
  index: number,
  value: unknown,
  ok: boolean,
): Promise<Selected<R>> {
  emitSelected(rt, g, index);
  const sel: Selected<R> = { index, value, ok, result: undefined };
  if (c.body === undefined) return readyPromise(g, sel);
  return finishBody(g, sel, c.body(value, ok));
}

function chosenDefault<R>(rt: Runtime, g: Goroutine | null, body: () => R | PromiseLike<R>): Promise<Selected<R>> {
  emitSelected(rt, g, -1);
  return finishBody(g, { index: -1, value: undefined, ok: false, result: undefined }, body());
}

/** The body ran synchronously up to its first await; finish once it has settled. */
function finishBody<R>(g: Goroutine | null, sel: Selected<R>, out: R | PromiseLike<R>): Promise<Selected<R>> {
  if (isPromiseLike(out)) {
    const p = resumeAfter(
      g,
      Promise.resolve(out).then((result) => {
        sel.result = result;
        return sel;
      }),
    );
    closeSegment(g);
    return p;
  }
  sel.result = out;
  return readyPromise(g, sel);
}

function runBody<R>(sel: Selected<R>, c: SelectCase<R>): Selected<R> | Promise<Selected<R>> {
  if (c.body === undefined) return sel;
  const out = c.body(sel.value, sel.ok);
  if (!isPromiseLike(out)) {
    sel.result = out;
    return sel;
  }
  return Promise.resolve(out).then((result) => {
    sel.result = result;
    return sel;
  });
}

function isPromiseLike<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof v === 'object' && v !== null && typeof (v as PromiseLike<T>).then === 'function';
}

/** A select parked on several queues. */
class ParkedSelect<R> implements SelectWaiter {
  readonly sudogs: Sudog[] = [];
  resolve: (value: Selected<R>) => void = () => {};
  reject: (error: unknown) => void = () => {};
  readonly hasBodies: boolean;
  private done = false;

  constructor(
    readonly g: Goroutine | null,
    private readonly cases: readonly SelectCase<R>[],
  ) {
    this.hasBodies = cases.some((c) => c.body !== undefined);
  }

  complete(caseIndex: number, value: unknown, ok: boolean, by: Goroutine | null): void {
    if (!this.settle(by, caseIndex)) return;
    resume(this, this.g, {
      index: caseIndex,
      value: this.cases[caseIndex].dir === 'recv' ? value : undefined,
      ok,
      result: undefined,
    });
  }

  fail(caseIndex: number, error: unknown, by: Goroutine | null): void {
    if (!this.settle(by, caseIndex)) return;
    abort(this, this.g, error);
  }

  /** Withdraws every other waiter of this select, so no queue keeps a stale entry. */
  private settle(by: Goroutine | null, caseIndex: number): boolean {
    if (this.done) return false;
    this.done = true;
    for (const s of this.sudogs) s.queue?.remove(s);
    const g = this.g;
    if (g !== null) {
      emitSelected(g.rt, g, caseIndex);
      g.rt.unblock(g, by);
    }
    return true;
  }
}

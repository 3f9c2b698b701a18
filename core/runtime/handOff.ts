// Promises handed to goroutines, and the jobs that resume them. Every settle goes through resume/abort/ready*:
// they queue the goroutine's `enter` job, then settle the promise, then queue its `leave` job (runningGoroutine.ts
// says why). This is the runtime's hot path: a FIFO per kind of job instead of a closure per goroutine, jobs queued
// on one settled promise, resolvers stashed without a closure — inline on purpose, for the hand-off rate.
import type { Goroutine } from './goroutine.js';
import { closeSegment, enterGoroutine, leaveGoroutine } from './runningGoroutine.js';

export function noop(): void {}

/** A first-in first-out ring (power-of-two capacity). */
class Fifo<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(64);
  private mask = 63;
  private head = 0;
  private count = 0;

  push(item: T): void {
    if (this.count === this.items.length) {
      const bigger = new Array<T | undefined>(this.items.length * 2);
      for (let i = 0; i < this.count; i++) bigger[i] = this.items[(this.head + i) & this.mask];
      this.items = bigger;
      this.mask = bigger.length - 1;
      this.head = 0;
    }
    this.items[(this.head + this.count) & this.mask] = item;
    this.count++;
  }

  shift(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return item;
  }
}

let stashedResolve: (value: unknown) => void = () => {};
let stashedReject: (error: unknown) => void = () => {};
function stashResolvers(resolve: (value: unknown) => void, reject: (error: unknown) => void): void {
  stashedResolve = resolve;
  stashedReject = reject;
}

const RESOLVED: Promise<void> = Promise.resolve();

// Jobs are queued as reactions on a settled promise (cheaper than Node's queueMicrotask, an async resource each).
// Microtasks run in the order they were queued, so each kind of job takes its goroutine from its own FIFO: no
// closure per goroutine.
const enterQueue = new Fifo<Goroutine>();
const leaveQueue = new Fifo<Goroutine>();
const readyQueue = new Fifo<Goroutine>();

function enterNext(): void {
  enterGoroutine(enterQueue.shift());
}

function leaveNext(): void {
  leaveGoroutine(leaveQueue.shift());
}

/**
 * An operation of g completed without blocking. This job's return value settles the promise g awaits (the
 * promise is this job's own), so: enter first, then g's continuation, and leave registered behind it.
 */
function readyNext(): unknown {
  const g = readyQueue.shift();
  const value = g.readyValue;
  const failed = g.readyFailed;
  const p = g.readyPromise!;
  g.readyValue = undefined;
  g.readyFailed = false;
  g.readyPromise = null;
  if (g.rt.stopped) return never(); // the run is over: g never resumes
  queueEnter(g);
  if (failed) {
    p.then(undefined, leaveFor(g));
    throw value;
  }
  p.then(leaveFor(g));
  return value;
}

/** leave as a reaction: the goroutine goes in leaveQueue when its promise settles, right behind its continuation. */
function leaveFor(g: Goroutine): () => void {
  leaveQueue.push(g);
  return leaveNext;
}

function queueEnter(g: Goroutine): void {
  enterQueue.push(g);
  RESOLVED.then(enterNext);
}

function queueLeave(g: Goroutine): void {
  leaveQueue.push(g);
  RESOLVED.then(leaveNext);
}

export interface Parked {
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
}

/** A promise for a parked waiter; its resolvers are stored on `holder`. The goroutine's segment ends here. */
export function parkPromise<T>(holder: Parked, g: Goroutine | null): Promise<T> {
  const p = new Promise<T>(stashResolvers as (resolve: (value: T) => void, reject: (error: unknown) => void) => void);
  holder.resolve = stashedResolve;
  holder.reject = stashedReject;
  closeSegment(g);
  return p;
}

/** Settles a parked goroutine's promise with a value (never a thenable, so its continuation follows at once). */
export function resume(holder: Parked, g: Goroutine | null, value: unknown): void {
  if (g === null) {
    (holder.resolve as (value: unknown) => void)(value);
    return;
  }
  if (g.rt.stopped) return;
  queueEnter(g);
  (holder.resolve as (value: unknown) => void)(value);
  queueLeave(g);
}

/** Makes a parked goroutine's await throw (a blocked send on a channel that got closed panics). */
export function abort(holder: Parked, g: Goroutine | null, error: unknown): void {
  if (g === null) {
    holder.reject(error);
    return;
  }
  if (g.rt.stopped) return;
  queueEnter(g);
  holder.reject(error);
  queueLeave(g);
}

/**
 * The promise for an operation that did not block. The goroutine still yields, as at any await; its continuation
 * is resumed like a parked one's (one job later), so it too runs between its enter and leave jobs.
 */
export function readyPromise<T>(g: Goroutine | null, value: T): Promise<T> {
  if (g === null) return Promise.resolve(value);
  closeSegment(g);
  const p = RESOLVED.then(readyNext) as Promise<T>;
  g.readyValue = value;
  g.readyPromise = p;
  readyQueue.push(g);
  return p;
}

/** readyPromise for an operation that failed without blocking: g's await throws `error`. */
export function readyFailure<T>(g: Goroutine | null, error: unknown): Promise<T> {
  if (g === null) return Promise.reject(error);
  const p = readyPromise<T>(g, error as T);
  g.readyFailed = true;
  return p;
}

/** readyPromise for operations without a result. */
export function readyVoid(g: Goroutine | null): Promise<void> {
  if (g === null) return RESOLVED;
  return readyPromise<void>(g, undefined);
}

/** Settles with `work`'s outcome, resuming g by the exact path (for a select case body, Once.Do's function). */
export function resumeAfter<T>(g: Goroutine | null, work: PromiseLike<T>): Promise<T> {
  const holder: Parked = { resolve: noop, reject: noop };
  const p = parkPromise<T>(holder, g);
  work.then(
    (value) => resume(holder, g, value),
    (error: unknown) => abort(holder, g, error),
  );
  return p;
}

/** A promise that never settles: what a goroutine gets once its run is over (the goroutine is gone, as in Go). */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

// Channels with Go's semantics: unbuffered hand-off, buffered FIFO, close (drain, then zero values with ok=false),
// panics on send to or close of a closed channel, nil channels that block forever, range via `for await`.
import type { WaitTarget } from '../protocol/events/goroutine.js';
import { PANIC, GoPanic } from './panic.js';
import { resolveRuntime } from './ambientRuntime.js';
import type { Goroutine, Waitable } from './goroutine.js';
import { abort, never, parkPromise, readyPromise, readyVoid, resume } from './handOff.js';
import { callerGoroutine } from './runningGoroutine.js';
import type { Runtime } from './scheduler.js';
import { eventValue } from './valuePreview.js';
import { Sudog, WaitQueue } from './waitQueue.js';

/** What a receive yields, like Go's `v, ok := <-ch`: ok is false once the channel is closed and drained. */
export type Received<T> = [value: T, ok: true] | [value: T | undefined, ok: false];

export interface ChanOptions<T> {
  /** A label for views and dumps (e.g. "jobs"). */
  name?: string;
  /** What a receive on a closed, drained channel yields (Go's zero value); undefined if not given. */
  zero?: T;
}

export class Chan<T> implements Waitable, AsyncIterable<T> {
  readonly kind = 'chan' as const;
  readonly id: number;
  readonly ids: readonly number[];
  readonly name: string | undefined;
  readonly zero: T | undefined;
  closed = false;
  readonly recvq = new WaitQueue();
  readonly sendq = new WaitQueue();

  // The buffer: a ring that grows up to the capacity.
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(
    readonly rt: Runtime,
    readonly capacity: number,
    options: ChanOptions<T> = {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new GoPanic(PANIC.makechanSize);
    this.id = rt.nextObjectId();
    this.ids = Object.freeze([this.id]);
    this.name = options.name;
    this.zero = options.zero;
    this.items = new Array<T | undefined>(Math.min(capacity, 16));
    rt.announce(this, capacity);
  }

  len(): number {
    return this.count;
  }

  cap(): number {
    return this.capacity;
  }

  waitTarget(dir?: 'send' | 'recv'): WaitTarget {
    const t: WaitTarget = { kind: 'chan', id: this.id, len: this.count, cap: this.capacity };
    if (this.name !== undefined) t.name = this.name;
    if (dir !== undefined) t.dir = dir;
    return t;
  }

  /** `ch <- v`: resolves once the value is in the buffer or in a receiver's hands. */
  send(value: T): Promise<void> {
    const g = callerGoroutine();
    if (g !== null && g.rt.stopped) return never();
    if (this.closed) throw new GoPanic(PANIC.sendOnClosed);
    if (this.offer(value, g)) return readyVoid(g);
    const s = new Sudog(g, value, null, 0, 'send');
    this.sendq.push(s);
    if (g !== null) g.rt.block(g, 'chan send', this);
    return parkPromise<void>(s, g);
  }

  /** `v, ok := <-ch`. */
  recv(): Promise<Received<T>> {
    const g = callerGoroutine();
    if (g !== null && g.rt.stopped) return never();
    const r = this.take(g);
    if (r !== null) return readyPromise(g, r);
    const s = new Sudog(g, undefined, null, 0, 'recv');
    this.recvq.push(s);
    if (g !== null) g.rt.block(g, 'chan receive', this);
    return parkPromise<Received<T>>(s, g);
  }

  /** A send that never blocks (Go's select with a default): false when it would have blocked. */
  trySend(value: T): boolean {
    if (this.closed) throw new GoPanic(PANIC.sendOnClosed);
    return this.offer(value, callerGoroutine());
  }

  /** A receive that never blocks: null when it would have blocked. */
  tryRecv(): Received<T> | null {
    return this.take(callerGoroutine());
  }

  /** `close(ch)`: receivers drain the buffer, then get (zero, false); blocked senders panic. */
  close(): void {
    this.closeBy(callerGoroutine());
  }

  /** Range over the channel until it is closed and drained: `for await (const v of ch)`. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return new ChanIterator(this);
  }

  // ---- Internals shared with select and the runtime's timers (they name the acting goroutine themselves) ----

  /** Completes a send now if a receiver waits or the buffer has room. The channel must be open. */
  offer(value: T, g: Goroutine | null): boolean {
    const r = this.recvq.shift();
    if (r !== null) {
      this.emitSend(g, value, r.g);
      deliver(r, value, true, g);
      return true;
    }
    if (this.count < this.capacity) {
      this.push(value);
      this.emitSend(g, value, null);
      return true;
    }
    return false;
  }

  /** Completes a receive now if a value or a sender is there, or the channel is closed; else null. */
  take(g: Goroutine | null): Received<T> | null {
    const s = this.sendq.shift();
    if (s !== null) {
      // A sender is only parked when the buffer is full (or there is none): take the oldest value, and move the
      // sender's value into the buffer's tail, so FIFO order holds across the buffer and the queue.
      let value: T;
      if (this.capacity === 0) {
        value = s.elem as T;
        this.emitRecv(g, value, true, s.g);
      } else {
        value = this.shift();
        this.emitRecv(g, value, true, null);
        this.push(s.elem as T);
        this.emitSend(s.g, s.elem as T, null);
      }
      deliver(s, undefined, true, g);
      return [value, true];
    }
    if (this.count > 0) {
      const value = this.shift();
      this.emitRecv(g, value, true, null);
      return [value, true];
    }
    if (this.closed) {
      this.emitRecv(g, this.zero, false, null);
      return [this.zero, false];
    }
    return null;
  }

  closeBy(g: Goroutine | null): void {
    if (this.closed) throw new GoPanic(PANIC.closeOfClosed);
    this.closed = true;
    const l = this.rtOf(g).listener;
    if (l !== null) l({ kind: 'go.close', source: 'observed', gid: g === null ? 0 : g.id, ch: this.id });
    for (let r = this.recvq.shift(); r !== null; r = this.recvq.shift()) {
      this.emitRecv(r.g, this.zero, false, null);
      deliver(r, this.zero, false, g);
    }
    for (let s = this.sendq.shift(); s !== null; s = this.sendq.shift()) {
      fail(s, new GoPanic(PANIC.sendOnClosed), g);
    }
  }

  private push(value: T): void {
    let items = this.items;
    if (this.count === items.length) {
      // Grow the ring (doubling, up to the capacity), unrolling it so head is at 0.
      const bigger = new Array<T | undefined>(Math.min(this.capacity, Math.max(16, items.length * 2)));
      for (let i = 0; i < this.count; i++) bigger[i] = items[(this.head + i) % items.length];
      this.items = items = bigger;
      this.head = 0;
    }
    items[(this.head + this.count) % items.length] = value;
    this.count++;
  }

  private shift(): T {
    const items = this.items;
    const value = items[this.head] as T;
    items[this.head] = undefined;
    this.head = (this.head + 1) % items.length;
    this.count--;
    return value;
  }

  private rtOf(g: Goroutine | null): Runtime {
    return g === null ? this.rt : g.rt;
  }

  private emitSend(g: Goroutine | null, value: unknown, to: Goroutine | null): void {
    const l = this.rtOf(g).listener;
    if (l === null) return;
    if (to === null)
      l({
        kind: 'go.send',
        source: 'observed',
        gid: g === null ? 0 : g.id,
        ch: this.id,
        value: eventValue(value),
        len: this.count,
      });
    else
      l({
        kind: 'go.send',
        source: 'observed',
        gid: g === null ? 0 : g.id,
        ch: this.id,
        value: eventValue(value),
        to: to.id,
        len: this.count,
      });
  }

  private emitRecv(g: Goroutine | null, value: unknown, ok: boolean, from: Goroutine | null): void {
    const l = this.rtOf(g).listener;
    if (l === null) return;
    if (from === null)
      l({
        kind: 'go.recv',
        source: 'observed',
        gid: g === null ? 0 : g.id,
        ch: this.id,
        value: eventValue(value),
        ok,
        len: this.count,
      });
    else
      l({
        kind: 'go.recv',
        source: 'observed',
        gid: g === null ? 0 : g.id,
        ch: this.id,
        value: eventValue(value),
        ok,
        from: from.id,
        len: this.count,
      });
  }
}

/** Hands a result to a parked waiter (plain op or select case) and makes its goroutine runnable. */
function deliver(s: Sudog, value: unknown, ok: boolean, by: Goroutine | null): void {
  if (s.select !== null) {
    s.select.complete(s.caseIndex, value, ok, by);
    return;
  }
  const g = s.g;
  if (g !== null) g.rt.unblock(g, by);
  if (s.mode === 'recv') resume(s, g, [value, ok]);
  else if (s.mode === 'iter') resume(s, g, ok ? { value, done: false } : { value: undefined, done: true });
  else resume(s, g, undefined);
}

function fail(s: Sudog, error: unknown, by: Goroutine | null): void {
  if (s.select !== null) {
    s.select.fail(s.caseIndex, error, by);
    return;
  }
  if (s.g !== null) s.g.rt.unblock(s.g, by);
  abort(s, s.g, error);
}

class ChanIterator<T> implements AsyncIterator<T> {
  constructor(private readonly ch: Chan<T>) {}

  next(): Promise<IteratorResult<T>> {
    const ch = this.ch;
    const g = callerGoroutine();
    if (g !== null && g.rt.stopped) return never();
    const r = ch.take(g);
    if (r !== null) return readyPromise(g, r[1] ? { value: r[0], done: false } : { value: undefined, done: true });
    const s = new Sudog(g, undefined, null, 0, 'iter');
    ch.recvq.push(s);
    if (g !== null) g.rt.block(g, 'chan receive', ch);
    return parkPromise<IteratorResult<T>>(s, g);
  }

  /** Leaving a `for await` loop early leaves the channel as it is (Go's range has no effect on the channel). */
  return(): Promise<IteratorResult<T>> {
    return Promise.resolve({ value: undefined, done: true });
  }
}

// ---- Go-shaped free functions (nil-safe: a null channel is Go's nil channel) ---------------------------------------

/** `make(chan T, capacity)`. */
export function chan<T>(capacity = 0, options: ChanOptions<T> = {}): Chan<T> {
  return new Chan<T>(resolveRuntime(), capacity, options);
}

/** `ch <- v`; on a nil channel it blocks forever. */
export function send<T>(ch: Chan<T> | null, value: T): Promise<void> {
  if (ch !== null) return ch.send(value);
  return blockForever('chan send (nil chan)');
}

/** `v, ok := <-ch`; on a nil channel it blocks forever. */
export function recv<T>(ch: Chan<T> | null): Promise<Received<T>> {
  if (ch !== null) return ch.recv();
  return blockForever('chan receive (nil chan)');
}

/** `close(ch)`. */
export function close(ch: Chan<unknown> | null): void {
  if (ch === null) throw new GoPanic(PANIC.closeOfNil);
  ch.close();
}

/** `len(ch)`: values buffered now (0 for nil). */
export function len(ch: Chan<unknown> | null): number {
  return ch === null ? 0 : ch.len();
}

/** `cap(ch)` (0 for nil). */
export function cap(ch: Chan<unknown> | null): number {
  return ch === null ? 0 : ch.cap();
}

/** Parks the caller for good (nil channel op, empty select). The deadlock detector still counts it. */
export function blockForever<T>(
  reason: 'chan send (nil chan)' | 'chan receive (nil chan)' | 'select (no cases)' | 'select',
): Promise<T> {
  const g = callerGoroutine();
  if (g === null || g.rt.stopped) return never();
  const p = parkPromise<T>({ resolve: () => {}, reject: () => {} }, g);
  g.rt.block(g, reason, null);
  return p;
}

// Go's sync package for the goroutine runtime: WaitGroup, Mutex, RWMutex (writers are not starved) and Once.
// Lock, Wait and Do are awaited; Unlock, Add and Done are plain calls, as in Go.
import type { SyncObjectKind, WaitTarget } from '../protocol/events/goroutine.js';
import { PANIC, GoPanic } from './panic.js';
import { resolveRuntime } from './ambientRuntime.js';
import type { Goroutine, Waitable } from './goroutine.js';
import { never, parkPromise, readyVoid, resume, resumeAfter } from './handOff.js';
import { callerGoroutine } from './runningGoroutine.js';
import type { Runtime } from './scheduler.js';
import { Sudog, WaitQueue } from './waitQueue.js';

abstract class SyncObject implements Waitable {
  abstract readonly kind: SyncObjectKind;
  readonly id: number;
  readonly ids: readonly number[];
  readonly rt: Runtime;
  protected readonly waiters = new WaitQueue();

  constructor(readonly name: string | undefined) {
    this.rt = resolveRuntime();
    this.id = this.rt.nextObjectId();
    this.ids = Object.freeze([this.id]);
  }

  waitTarget(): WaitTarget {
    const t: WaitTarget = { kind: this.kind, id: this.id };
    if (this.name !== undefined) t.name = this.name;
    return t;
  }

  protected park(
    g: Goroutine | null,
    reason: Parameters<Runtime['block']>[1],
    mode: 'lock' | 'rlock' = 'lock',
  ): Promise<void> {
    const s = new Sudog(g, undefined, null, 0, mode);
    this.waiters.push(s);
    if (g !== null) g.rt.block(g, reason, this);
    return parkPromise<void>(s, g);
  }

  protected wake(s: Sudog, by: Goroutine | null): void {
    if (s.g !== null) s.g.rt.unblock(s.g, by);
    resume(s, s.g, undefined);
  }

  protected emitLock(kind: 'go.lock' | 'go.unlock', g: Goroutine | null, mode: 'w' | 'r'): void {
    const l = (g?.rt ?? this.rt).listener;
    if (l !== null) l({ kind, source: 'observed', gid: g === null ? 0 : g.id, mu: this.id, mode });
  }
}

/** `sync.Mutex`: `await mu.lock(); … mu.unlock()`. Unlock hands the lock to the longest waiter. */
export class Mutex extends SyncObject {
  readonly kind = 'mutex' as const;
  private locked = false;

  constructor(name?: string) {
    super(name);
    this.rt.announce(this);
  }

  lock(): Promise<void> {
    const g = callerGoroutine();
    if (this.rt.stopped) return never();
    if (!this.locked) {
      this.locked = true;
      this.emitLock('go.lock', g, 'w');
      return readyVoid(g);
    }
    return this.park(g, 'sync.Mutex.Lock');
  }

  /** Takes the lock if it is free; never blocks. */
  tryLock(): boolean {
    if (this.locked) return false;
    this.locked = true;
    this.emitLock('go.lock', callerGoroutine(), 'w');
    return true;
  }

  unlock(): void {
    const g = callerGoroutine();
    if (!this.locked) throw this.rt.fatal(PANIC.unlockOfUnlockedMutex, g);
    this.emitLock('go.unlock', g, 'w');
    const next = this.waiters.shift();
    if (next === null) {
      this.locked = false;
      return;
    }
    // Hand-off: the lock stays held, now by the woken waiter.
    this.emitLock('go.lock', next.g, 'w');
    this.wake(next, g);
  }
}

/** `sync.RWMutex`: many readers or one writer; once a writer waits, new readers queue behind it. */
export class RWMutex extends SyncObject {
  readonly kind = 'rwmutex' as const;
  private readers = 0;
  private writer = false;

  constructor(name?: string) {
    super(name);
    this.rt.announce(this);
  }

  rLock(): Promise<void> {
    const g = callerGoroutine();
    if (this.rt.stopped) return never();
    if (!this.writer && this.waiters.size === 0) {
      this.readers++;
      this.emitLock('go.lock', g, 'r');
      return readyVoid(g);
    }
    return this.park(g, 'sync.RWMutex.RLock', 'rlock');
  }

  rUnlock(): void {
    const g = callerGoroutine();
    if (this.readers <= 0) throw this.rt.fatal(PANIC.rUnlockOfUnlockedRWMutex, g);
    this.readers--;
    this.emitLock('go.unlock', g, 'r');
    if (this.readers === 0) this.grant(g);
  }

  lock(): Promise<void> {
    const g = callerGoroutine();
    if (this.rt.stopped) return never();
    if (!this.writer && this.readers === 0 && this.waiters.size === 0) {
      this.writer = true;
      this.emitLock('go.lock', g, 'w');
      return readyVoid(g);
    }
    return this.park(g, 'sync.RWMutex.Lock', 'lock');
  }

  unlock(): void {
    const g = callerGoroutine();
    if (!this.writer) throw this.rt.fatal(PANIC.unlockOfUnlockedRWMutex, g);
    this.writer = false;
    this.emitLock('go.unlock', g, 'w');
    this.grant(g);
  }

  /** Lets the next waiters in: one writer, or every reader up to the next waiting writer. */
  private grant(by: Goroutine | null): void {
    const head = this.waiters.head;
    if (head === null || this.writer || this.readers > 0) return;
    if (head.mode === 'lock') {
      this.waiters.shift();
      this.writer = true;
      this.emitLock('go.lock', head.g, 'w');
      this.wake(head, by);
      return;
    }
    while (this.waiters.head !== null && this.waiters.head.mode === 'rlock') {
      const r = this.waiters.shift()!;
      this.readers++;
      this.emitLock('go.lock', r.g, 'r');
      this.wake(r, by);
    }
  }
}

/** `sync.WaitGroup`: `wg.add(n)`, `wg.done()`, `await wg.wait()`. */
export class WaitGroup extends SyncObject {
  readonly kind = 'waitgroup' as const;
  private counter = 0;

  constructor(name?: string) {
    super(name);
    this.rt.announce(this);
  }

  add(delta: number): void {
    const g = callerGoroutine();
    this.counter += delta;
    const l = (g?.rt ?? this.rt).listener;
    if (l !== null)
      l({ kind: 'go.wg', source: 'observed', gid: g === null ? 0 : g.id, wg: this.id, delta, counter: this.counter });
    if (this.counter < 0) throw new GoPanic(PANIC.negativeWaitGroup);
    if (this.counter === 0) {
      for (let s = this.waiters.shift(); s !== null; s = this.waiters.shift()) this.wake(s, g);
    }
  }

  done(): void {
    this.add(-1);
  }

  wait(): Promise<void> {
    const g = callerGoroutine();
    if (this.rt.stopped) return never();
    if (this.counter === 0) return readyVoid(g);
    return this.park(g, 'sync.WaitGroup.Wait');
  }

  /** The counter now (Go does not expose it; the lab's views do). */
  count(): number {
    return this.counter;
  }
}

/** `sync.Once`: `await once.do(fn)` runs fn the first time only; later callers wait until it has returned. */
export class Once extends SyncObject {
  readonly kind = 'once' as const;
  private state: 'new' | 'running' | 'done' = 'new';

  constructor(name?: string) {
    super(name);
    this.rt.announce(this);
  }

  do(fn: () => unknown): Promise<void> {
    const g = callerGoroutine();
    if (this.rt.stopped) return never();
    if (this.state === 'done') return readyVoid(g);
    if (this.state === 'running') return this.park(g, 'sync.Once.Do');
    this.state = 'running';
    let out: unknown;
    try {
      out = fn();
    } catch (error) {
      // As in Go: if fn panics, Do considers it returned; later calls do not run it.
      this.finish(g);
      throw error;
    }
    if (typeof out === 'object' && out !== null && typeof (out as PromiseLike<unknown>).then === 'function') {
      return resumeAfter(
        g,
        Promise.resolve(out as PromiseLike<unknown>).then(
          () => this.finish(g),
          (error: unknown) => {
            this.finish(g);
            throw error;
          },
        ),
      );
    }
    this.finish(g);
    return readyVoid(g);
  }

  private finish(g: Goroutine | null): void {
    this.state = 'done';
    for (let s = this.waiters.shift(); s !== null; s = this.waiters.shift()) this.wake(s, g);
  }
}

// Wait queues: intrusive FIFO lists of parked waiters ("sudogs", as Go calls them), with O(1) removal so a select
// that completes on one channel can take its other waiters off every other queue at once.
import type { Goroutine } from './goroutine.js';

/** A select that is parked on several queues; the first case that fires completes it. */
export interface SelectWaiter {
  readonly g: Goroutine | null;
  complete(caseIndex: number, value: unknown, ok: boolean, by: Goroutine | null): void;
  fail(caseIndex: number, error: unknown, by: Goroutine | null): void;
}

/** What a parked waiter resolves with when its wait ends. */
export type SudogMode = 'send' | 'recv' | 'iter' | 'lock' | 'rlock';

/** One parked waiter in one queue: a plain channel op, a select case, or a lock request. */
export class Sudog {
  prev: Sudog | null = null;
  next: Sudog | null = null;
  queue: WaitQueue | null = null;
  resolve: (value: unknown) => void = noop;
  reject: (error: unknown) => void = noop;

  constructor(
    readonly g: Goroutine | null,
    /** The value a sender offers; unused by receivers and lock requests. */
    public elem: unknown,
    readonly select: SelectWaiter | null,
    readonly caseIndex: number,
    readonly mode: SudogMode,
  ) {}
}

function noop(): void {}

export class WaitQueue {
  head: Sudog | null = null;
  tail: Sudog | null = null;
  size = 0;

  push(s: Sudog): void {
    s.queue = this;
    s.prev = this.tail;
    s.next = null;
    if (this.tail === null) this.head = s;
    else this.tail.next = s;
    this.tail = s;
    this.size++;
  }

  /** Takes the oldest waiter, or null. */
  shift(): Sudog | null {
    const s = this.head;
    if (s !== null) this.remove(s);
    return s;
  }

  remove(s: Sudog): void {
    if (s.queue !== this) return;
    if (s.prev === null) this.head = s.next;
    else s.prev.next = s.next;
    if (s.next === null) this.tail = s.prev;
    else s.next.prev = s.prev;
    s.prev = s.next = null;
    s.queue = null;
    this.size--;
  }

  *[Symbol.iterator](): Iterator<Sudog> {
    for (let s = this.head; s !== null; s = s.next) yield s;
  }
}

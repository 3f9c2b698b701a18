// A goroutine of the runtime, and what it can wait on: the state the scheduler, dumps and the hand-off queues share.
import type { SyncObjectKind, WaitReason, WaitTarget } from '../protocol/events/goroutine.js';
import type { Runtime } from './scheduler.js';

/** An object a goroutine can wait on (channel, mutex, WaitGroup, Once). */
export interface Waitable {
  readonly kind: SyncObjectKind;
  readonly id: number;
  /** [id], frozen, shared by every block event on this object (saves an array per event); built if absent. */
  readonly ids?: readonly number[];
  readonly name: string | undefined;
  waitTarget(dir?: 'send' | 'recv'): WaitTarget;
}

/** One case of a select a goroutine is parked in, for dumps. */
export interface WaitCase {
  readonly ch: Waitable | null;
  readonly dir: 'send' | 'recv';
}

export type WaitOn = Waitable | readonly WaitCase[] | null;

export type GoState = 'runnable' | 'running' | 'waiting' | 'dead';

export class Goroutine {
  state: GoState = 'runnable';
  waitReason: WaitReason | null = null;
  waitingOn: WaitOn = null;
  waitSince = 0;
  /** Set while the goroutine's code may be executing (see callerGoroutine). */
  pending = false;
  prevPending: Goroutine | null = null;
  nextPending: Goroutine | null = null;
  site: Error | undefined = undefined;
  fn: ((...args: never[]) => unknown) | null;
  args: unknown[] | null;
  readonly fnName: string;
  /** A goroutine has at most one operation that completed without blocking waiting to resume (readyPromise). */
  /** The promise readyPromise returned, and the value it will settle with. */
  readyPromise: Promise<unknown> | null = null;
  readyValue: unknown = undefined;
  /** readyValue is an error to throw (readyFailure). */
  readyFailed = false;
  /** Neighbours in the runtime's list of live goroutines. */
  prevLive: Goroutine | null = null;
  nextLive: Goroutine | null = null;
  /** The runner slot whose named function is this goroutine's outermost async frame (-1 once released). */
  slot = -1;
  /** Whether the listener hears this goroutine's current wait cycle (its next unblock and run). */
  cycleShown = true;
  cycleTokens = NaN;
  cycleLast = 0;

  constructor(
    readonly rt: Runtime,
    readonly id: number,
    fn: (...args: never[]) => unknown,
    args: unknown[],
    readonly parent: Goroutine | null,
  ) {
    this.fn = fn;
    this.args = args;
    this.fnName = fn.name || 'anonymous';
  }
}

const NO_IDS: readonly number[] = Object.freeze([]);

/** The ids of the objects a block event names. */
export function waitIds(on: WaitOn): readonly number[] {
  if (on === null) return NO_IDS;
  if (isWaitCases(on)) {
    const ids: number[] = [];
    for (const c of on) if (c.ch !== null) ids.push(c.ch.id);
    return ids;
  }
  return on.ids ?? [on.id];
}

export function isWaitCases(on: WaitOn): on is readonly WaitCase[] {
  return Array.isArray(on);
}

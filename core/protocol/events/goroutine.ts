// Goroutine-runtime events: every state change of the lab's goroutine runtime (core/runtime), source 'observed'.
// Shared by server and web (timeline, dump table). Names of wait reasons are Go's own, as a Go dump prints them.

/** Why a goroutine is blocked, spelled as Go's runtime spells it in a goroutine dump. */
export type WaitReason =
  | 'chan receive'
  | 'chan send'
  | 'chan receive (nil chan)'
  | 'chan send (nil chan)'
  | 'select'
  | 'select (no cases)'
  | 'sleep'
  | 'sync.WaitGroup.Wait'
  | 'sync.Mutex.Lock'
  | 'sync.RWMutex.RLock'
  | 'sync.RWMutex.Lock'
  | 'sync.Once.Do'
  | 'IO wait';

/** Every wait reason, for views that give each kind of blocking its own colour. */
export const WAIT_REASONS: readonly WaitReason[] = [
  'chan receive',
  'chan send',
  'chan receive (nil chan)',
  'chan send (nil chan)',
  'select',
  'select (no cases)',
  'sleep',
  'sync.WaitGroup.Wait',
  'sync.Mutex.Lock',
  'sync.RWMutex.RLock',
  'sync.RWMutex.Lock',
  'sync.Once.Do',
  'IO wait',
];

/** The kinds of object a goroutine can wait on (each has a runtime-wide numeric id). */
export type SyncObjectKind = 'chan' | 'mutex' | 'rwmutex' | 'waitgroup' | 'once' | 'timer' | 'io';

/** What a blocked goroutine waits on: one object, or several for a select. */
export interface WaitTarget {
  kind: SyncObjectKind;
  id: number;
  /** A label given by the program (e.g. "jobs"), if any. */
  name?: string;
  /** For a select case: whether it sends or receives. */
  dir?: 'send' | 'recv';
  /** Channel length and capacity at the moment of the dump. */
  len?: number;
  cap?: number;
}

/** One goroutine in a dump (deadlock report, leak report, dump table). */
export interface GoroutineInfo {
  id: number;
  /** The function the goroutine runs (its JavaScript name, or "anonymous"). */
  fn: string;
  state: 'running' | 'runnable' | 'waiting';
  waitReason?: WaitReason;
  waitingOn?: WaitTarget[];
  /** Milliseconds spent in the current wait, on the run's clock. */
  waitingMs?: number;
  /** The goroutine that ran `go`, 0 when started from outside any goroutine. */
  parent: number;
  parentFn?: string;
  /** Where `go` was called (file:line:column), when the run records creation sites. */
  site?: string;
}

/**
 * A channel value as events carry it: a finite number or a boolean as itself (the common case, and free to
 * record), anything else as a short Go-like text preview ("\"hi\"", "nil", "[1 2 3]", "&Conn{…}").
 */
export type ChanValue = string | number | boolean;

/** The label a view shows for a channel value. */
export function chanValueText(v: ChanValue): string {
  return typeof v === 'string' ? v : String(v);
}

export type RunStatus = 'ok' | 'panic' | 'fatal' | 'deadlock' | 'stopped';

export type GoroutineEvent =
  /** A run began: the seed makes select choices replayable; views reset their lanes. */
  | { kind: 'go.runStart'; source: 'observed'; seed: number; clock: 'real' | 'virtual' }
  | { kind: 'go.runEnd'; source: 'observed'; status: RunStatus; message?: string }
  | { kind: 'go.spawn'; source: 'observed'; gid: number; parent: number; fn: string; site?: string }
  /** The goroutine starts or resumes executing. */
  | { kind: 'go.run'; source: 'observed'; gid: number }
  | { kind: 'go.block'; source: 'observed'; gid: number; reason: WaitReason; on: readonly number[] }
  /** A blocked goroutine became runnable; `by` is the goroutine that woke it (0: a timer, I/O or outside code). */
  | { kind: 'go.unblock'; source: 'observed'; gid: number; by: number }
  | { kind: 'go.exit'; source: 'observed'; gid: number }
  /** A channel, mutex, WaitGroup or Once was created. */
  | { kind: 'go.object'; source: 'observed'; id: number; type: SyncObjectKind; name?: string; cap?: number }
  /**
   * A value entered a channel: handed straight to a waiting receiver (`to`) or put in the buffer (`len` after).
   * @example { kind: 'go.send', source: 'observed', gid: 3, ch: 7, value: 42, to: 4, len: 0 }
   */
  | { kind: 'go.send'; source: 'observed'; gid: number; ch: number; value: ChanValue; to?: number; len: number }
  /** A value left a channel: from the buffer, or straight from a waiting sender (`from`); ok=false after close. */
  | {
      kind: 'go.recv';
      source: 'observed';
      gid: number;
      ch: number;
      value: ChanValue;
      ok: boolean;
      from?: number;
      len: number;
    }
  | { kind: 'go.close'; source: 'observed'; gid: number; ch: number }
  /** A select with no ready case armed itself on these channels (null: a nil channel). */
  | {
      kind: 'go.select';
      source: 'observed';
      gid: number;
      cases: { ch: number | null; dir: 'send' | 'recv' }[];
      hasDefault: boolean;
    }
  /** Which case a select took: its index, or -1 for default. */
  | { kind: 'go.selected'; source: 'observed'; gid: number; index: number }
  | { kind: 'go.lock'; source: 'observed'; gid: number; mu: number; mode: 'w' | 'r' }
  | { kind: 'go.unlock'; source: 'observed'; gid: number; mu: number; mode: 'w' | 'r' }
  /** A WaitGroup counter changed. */
  | { kind: 'go.wg'; source: 'observed'; gid: number; wg: number; delta: number; counter: number }
  | { kind: 'go.panic'; source: 'observed'; gid: number; message: string }
  /** Every goroutine was blocked with no timer or I/O pending: Go's fatal error, with the dump. */
  | { kind: 'go.deadlock'; source: 'observed'; message: string; dump: GoroutineInfo[] }
  /** The run ended with these goroutines still blocked. */
  | { kind: 'go.leak'; source: 'observed'; leaks: GoroutineInfo[] }
  /**
   * What a bounded forwarder (a student's run in the snippet worker) left out, as running totals for the run:
   * goroutines given no lane, how many of those are still alive, events not sent, and leaked goroutines left out
   * of go.leak. The latest one replaces earlier ones; views add these to their own counts.
   */
  | { kind: 'go.elided'; source: 'observed'; goroutines: number; alive: number; events: number; leaks: number }
  /** A line the program printed (its standard output), from goroutine gid. */
  | { kind: 'go.print'; source: 'observed'; gid: number; text: string }
  /** What goroutines (and, where Go is installed, OS threads) cost on this machine, as the lab measured it. */
  | { kind: 'go.cost'; source: 'observed'; cost: GoroutineCost };

/** One measurement of what a goroutine costs; every figure was measured by the lab, never quoted. */
export interface GoroutineCost {
  /** 'runtime': the lab's TypeScript runtime in this Node process; 'go': a Go program (go run) on this machine. */
  by: 'runtime' | 'go';
  /** e.g. "node v20.20.2" or "go1.19.8 linux/amd64". */
  version: string;
  count: number;
  /** Memory per goroutine parked on a channel (runtime: JS heap; go: stack and heap from runtime.MemStats). */
  bytesPerGoroutine: number;
  /** Goroutines started and finished per second. */
  spawnPerSecond: number;
  /** Go only: OS threads made with runtime.LockOSThread, and resident memory per thread (VmRSS delta). */
  threads?: number;
  rssBytesPerThread?: number;
  /** Go only: the threads' stack size as reserved address space (ulimit -s), which is not all resident. */
  threadStackReservedBytes?: number;
}

export type GoroutineEventKind = GoroutineEvent['kind'];

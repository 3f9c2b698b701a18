// The goroutine scheduler: goroutines as async functions, parking and waking, which goroutine is running, timers,
// and the end of a run (exit, panic, deadlock). Part of the goroutine runtime shared by the Node server and the
// browser's Web Worker, so it uses nothing beyond queueMicrotask, setTimeout and performance.now.
import type { GoroutineEvent, GoroutineInfo, RunStatus, SyncObjectKind, WaitReason, WaitTarget } from '../protocol/events/goroutine.js';
import { describeGoroutine, formatGoroutineDump, formatGoroutine } from './goroutineDump.js';
import { GoFatalError, GoPanic, panicLine } from './panic.js';
import { randomSeed, SeededRandom } from './seededRandom.js';
import { RuntimeTimer, TimerQueue } from './timerQueue.js';
import { WaitCycleSampler, type WaitCycleSampling } from './waitCycleSampler.js';

/** Receives every state change of a run. Called synchronously; keep it cheap. */
export type RuntimeListener = (event: GoroutineEvent) => void;

export interface RuntimeOptions {
  /** Seeds select's pseudo-random choice; the same seed and program replay the same choices. Random if omitted. */
  seed?: number;
  /** The instrumentation hook. When absent, no event object is ever allocated. */
  onEvent?: RuntimeListener;
  /**
   * 'real' (default): timers are host timers. 'virtual': time stands still while any goroutine can run and jumps
   * to the next timer when all are blocked (like the Go playground), so runs are fast and replayable.
   */
  clock?: 'real' | 'virtual';
  /**
   * Record where goroutines were created (file:line) and when they started waiting, for dumps. A stack capture
   * costs microseconds, so by default only the first 1000 goroutines of a run get one; true: all, false: none.
   */
  creationSites?: boolean | number;
  /** Report a deadlock when every goroutine is blocked with no timer or I/O pending. Default true. */
  detectDeadlock?: boolean;
  /** Report only a sample of goroutines' wait cycles (block, unblock, run) to onEvent; default: every one. */
  sampleWaitCycles?: WaitCycleSampling;
}

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

/** How a run ended. */
export interface RunResult {
  status: RunStatus;
  /** What Go would print: "panic: send on closed channel\n\ngoroutine 6 [running]:…", the deadlock report, or ''. */
  report: string;
  /** The value the failing goroutine threw (status 'panic' or 'fatal'). */
  error?: unknown;
  /** Every goroutine alive when the run ended (for a deadlock: all of them, all blocked). */
  dump: GoroutineInfo[];
  /** Goroutines still blocked when main returned or the run was stopped. */
  leaks: GoroutineInfo[];
  seed: number;
  /** Goroutines created during the run, main included. */
  goroutines: number;
}

type GoState = 'runnable' | 'running' | 'waiting' | 'dead';

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

function noop(): void {}

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

// ---- Which goroutine is running ----------------------------------------------------------------------------------
// Goroutines are async functions, so JavaScript does not say whose code runs. Whoever settles a promise a goroutine
// awaits queues that goroutine's `enter` job, settles the promise (queueing the goroutine's continuation) and queues
// its `leave` job: the three run back to back, so between enter and leave `current` is exactly the running goroutine.
// A call from any other job (an async helper returning, a foreign promise) finds `current` null; then the async
// stack trace names the goroutine (its outermost frame is a runner function called goroutine$<slot>), where the
// engine provides one, and otherwise the oldest goroutine whose segment (enter … its next blocking call) is still
// open is taken.

let current: Goroutine | null = null;
let pendingHead: Goroutine | null = null;
let pendingTail: Goroutine | null = null;
/** Runner functions by slot, the goroutine each slot runs now, and the free slots (names cost a microsecond). */
const runners: ((g: Goroutine) => Promise<void>)[] = [];
const slotOwner: (Goroutine | null)[] = [];
const freeSlots: number[] = [];
let liveSlots = 0;

function openSegment(g: Goroutine): void {
  current = g;
  if (g.pending) return;
  g.pending = true;
  g.prevPending = pendingTail;
  g.nextPending = null;
  if (pendingTail === null) pendingHead = g;
  else pendingTail.nextPending = g;
  pendingTail = g;
}

/** The goroutine is about to await a runtime promise (or has exited): its code no longer runs. */
export function closeSegment(g: Goroutine | null): void {
  if (g === null) return;
  if (current === g) current = null;
  if (!g.pending) return;
  g.pending = false;
  if (g.prevPending === null) pendingHead = g.nextPending;
  else g.prevPending.nextPending = g.nextPending;
  if (g.nextPending === null) pendingTail = g.prevPending;
  else g.nextPending.prevPending = g.prevPending;
  g.prevPending = g.nextPending = null;
}

function enterGoroutine(g: Goroutine): void {
  if (g.state === 'dead' || g.rt.stopped) return;
  openSegment(g);
  if (g.state !== 'running') {
    g.state = 'running';
    const l = g.rt.listener;
    if (l !== null && g.cycleShown) {
      l({ kind: 'go.run', source: 'observed', gid: g.id });
      if (g.rt.sampler !== null) g.cycleShown = false;
    }
  }
}

/** The goroutine whose code is calling into the runtime, or null for code outside any goroutine. */
export function callerGoroutine(): Goroutine | null {
  if (current !== null) return current;
  if (pendingHead === null && liveSlots === 0) return null;
  const g = goroutineFromAsyncStack();
  if (g !== undefined) {
    if (g !== null) openSegment(g);
    return g;
  }
  return pendingHead;
}

interface CallSiteLike {
  getFunctionName(): string | null;
}
type PrepareStackTrace = (error: Error, frames: CallSiteLike[]) => unknown;
const V8Error = Error as unknown as {
  captureStackTrace?: (target: object, constructorOpt?: unknown) => void;
  prepareStackTrace?: PrepareStackTrace;
  stackTraceLimit: number;
};
const RUNNER_PREFIX = 'goroutine$';
const framesAsArray: PrepareStackTrace = (_error, frames) => frames;

/**
 * Finds the goroutine from the async stack trace (V8 engines: Node, Chrome). undefined when the engine cannot tell;
 * null when the caller is outside every goroutine.
 */
function goroutineFromAsyncStack(): Goroutine | null | undefined {
  if (V8Error.captureStackTrace === undefined) return undefined;
  const savedPrepare = V8Error.prepareStackTrace;
  const savedLimit = V8Error.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    V8Error.prepareStackTrace = framesAsArray;
    V8Error.stackTraceLimit = 200;
    V8Error.captureStackTrace(holder, callerGoroutine);
    const frames = holder.stack;
    if (!Array.isArray(frames)) return undefined;

    for (const f of frames as CallSiteLike[]) {
      const name = f.getFunctionName();
      if (name !== null && name.startsWith(RUNNER_PREFIX)) return slotOwner[Number(name.slice(RUNNER_PREFIX.length))] ?? null;
    }
    return null;
  } catch {
    return undefined;
  } finally {
    V8Error.prepareStackTrace = savedPrepare;
    V8Error.stackTraceLimit = savedLimit;
  }
}

// ---- Which runtime a free function (go, chan, select, time.sleep…) belongs to -------------------------------------

let ambientRuntime: Runtime | null = null;
let defaultRuntime: Runtime | null = null;

/** The runtime of the calling goroutine; outside goroutines, the one set by withRuntime/useRuntime, else a default. */
export function resolveRuntime(): Runtime {
  const g = callerGoroutine();
  if (g !== null) return g.rt;
  if (ambientRuntime !== null) return ambientRuntime;
  if (defaultRuntime === null) defaultRuntime = new Runtime();
  return defaultRuntime;
}

/** Runs fn with rt as the runtime for code outside goroutines (e.g. a socket callback that calls `go`). */
export function withRuntime<T>(rt: Runtime, fn: () => T): T {
  const saved = ambientRuntime;
  ambientRuntime = rt;
  try {
    return fn();
  } finally {
    ambientRuntime = saved;
  }
}

/** Makes rt the runtime for code outside goroutines from now on (a snippet worker runs one program). */
export function useRuntime(rt: Runtime): void {
  defaultRuntime = rt;
}

// ---- Promises handed to goroutines -------------------------------------------------------------------------------
// Every settle goes through resume/abort/ready*: they queue the goroutine's `enter` job, then settle the promise.

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
  const g = leaveQueue.shift();
  if (current === g) current = null;
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

/** An I/O wait: still inside its start, parked, or over. */
const IO_STARTING = 0;
const IO_PARKED = 1;
const IO_DONE = 2;

export interface Parked {
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
}

/**
 * One I/O wait of a goroutine (see Runtime.ioWait) as an object: a socket's read or write settles it with
 * complete() or fail(), so a hot path allocates this one object per wait instead of closures. The first call wins.
 */
export class IoOp<T> implements Parked {
  phase: typeof IO_STARTING | typeof IO_PARKED | typeof IO_DONE = IO_STARTING;
  outcome: unknown = undefined;
  failed = false;
  rt: Runtime | null = null;
  g: Goroutine | null = null;
  resolve: (value: never) => void = noop;
  reject: (error: unknown) => void = noop;

  complete(value: T): void {
    this.rt?.endIo(this, value, false);
  }

  fail(error: unknown): void {
    this.rt?.endIo(this, error, true);
  }
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

// ---- The run --------------------------------------------------------------------------------------------------------

const DEFAULT_SITES = 1000;

/** Where `go` was called from: the frames above this function are the caller's. */
type SpawnEntry = (...args: never[]) => unknown;

export class Runtime {
  readonly seed: number;
  readonly rng: SeededRandom;
  readonly clock: 'real' | 'virtual';
  /** How many more goroutines get their creation site recorded. */
  private sitesLeft: number;
  /** Whether dumps say how long a goroutine has waited (one clock read per block). */
  readonly recordWaits: boolean;
  readonly detectDeadlock: boolean;
  listener: RuntimeListener | null;
  readonly sampler: WaitCycleSampler | null;

  /** Goroutines alive, blocked in the runtime, and waits that another party will end (I/O, outside holds). */
  live = 0;
  blocked = 0;
  io = 0;
  stopped = false;
  /**
   * A fatal error or a deadlock ended the run. In Go the program is gone; here its code may still run a few
   * synchronous lines (a catch block around the fatal call, a host callback), so nothing it does is heard any more:
   * the hook is detached and the snippet host drops its output.
   */
  halted = false;
  result: RunResult | null = null;
  readonly done: Promise<RunResult>;

  private liveHead: Goroutine | null = null;
  private lastGid = 0;
  private lastObjectId = 0;
  private main: Goroutine | null = null;
  private started = false;
  private readonly runq: Goroutine[] = [];
  private runqScheduled = false;
  private resolveDone: (r: RunResult) => void = () => {};

  private readonly timers = new TimerQueue();
  private timerSeq = 0;
  private virtualNow = 0;
  private readonly origin = performance.now();
  private hostTimer: ReturnType<typeof setTimeout> | null = null;
  private hostTimerAt = Infinity;
  private advanceScheduled = false;
  private deadlockCheckScheduled = false;

  /** Scratch space for select's poll order (select never nests within one synchronous call). */
  readonly pollOrder: number[] = [];

  constructor(options: RuntimeOptions = {}) {
    this.seed = options.seed ?? randomSeed();
    this.rng = new SeededRandom(this.seed);
    this.clock = options.clock ?? 'real';
    const sites = options.creationSites ?? DEFAULT_SITES;
    this.sitesLeft = sites === true ? Infinity : sites === false ? 0 : sites;
    this.recordWaits = this.sitesLeft > 0;
    this.detectDeadlock = options.detectDeadlock ?? true;
    this.listener = options.onEvent ?? null;
    this.sampler = options.sampleWaitCycles ? new WaitCycleSampler(options.sampleWaitCycles) : null;
    this.done = new Promise<RunResult>((resolve) => (this.resolveDone = resolve));
  }

  /** Attaches (or with null, detaches) the instrumentation hook. */
  setListener(listener: RuntimeListener | null): void {
    if (!this.halted) this.listener = listener;
  }

  /** Milliseconds since the run's clock started. */
  now(): number {
    return this.clock === 'virtual' ? this.virtualNow : performance.now() - this.origin;
  }

  nextObjectId(): number {
    return ++this.lastObjectId;
  }

  /** Announces a new channel/mutex/WaitGroup to the hook. */
  announce(obj: Waitable, cap?: number): void {
    const l = this.listener;
    if (l === null) return;
    const e: GoroutineEvent = { kind: 'go.object', source: 'observed', id: obj.id, type: obj.kind };
    if (obj.name !== undefined) e.name = obj.name;
    if (cap !== undefined) e.cap = cap;
    l(e);
  }

  /**
   * Runs main as goroutine 1 and resolves when the run ends: main returned (other goroutines are stopped, and the
   * blocked ones reported as leaks), a goroutine panicked, or every goroutine was asleep (deadlock).
   */
  run<A extends unknown[]>(main: (...args: A) => unknown, ...args: A): Promise<RunResult> {
    if (this.started) throw new Error('runtime: a runtime runs one program; create another with createRuntime()');
    this.start();
    this.main = this.spawn(main as SpawnEntry, args, null, this.run as SpawnEntry);
    return this.done;
  }

  /** Starts a goroutine (Go's `go fn(args...)`); returns its id. Code outside any goroutine may call it too. */
  go<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): number {
    if (this.stopped) return 0;
    return this.spawn(fn as SpawnEntry, args, callerGoroutine(), this.go as SpawnEntry).id;
  }

  private start(): void {
    this.started = true;
    const l = this.listener;
    if (l !== null) l({ kind: 'go.runStart', source: 'observed', seed: this.seed, clock: this.clock });
  }

  /** Used by `go`: parent is the goroutine that ran the go statement (null: outside code or main). */
  spawn(fn: SpawnEntry, args: unknown[], parent: Goroutine | null, entry: SpawnEntry): Goroutine {
    if (!this.started) this.start();
    const g = new Goroutine(this, ++this.lastGid, fn, args, parent !== null && parent.rt === this ? parent : null);
    this.live++;
    g.nextLive = this.liveHead;
    if (this.liveHead !== null) this.liveHead.prevLive = g;
    this.liveHead = g;
    if (this.sitesLeft > 0) {
      this.sitesLeft--;
      g.site = captureSite(entry);
    }
    const l = this.listener;
    if (l !== null) {
      const e: GoroutineEvent = { kind: 'go.spawn', source: 'observed', gid: g.id, parent: g.parent?.id ?? 0, fn: g.fnName };
      if (g.site !== undefined) {
        const site = describeGoroutine(g, this.now()).site;
        if (site !== undefined) e.site = site;
      }
      l(e);
    }
    this.runq.push(g);
    if (!this.runqScheduled) {
      this.runqScheduled = true;
      queueMicrotask(this.drainRunq);
    }
    return g;
  }

  private readonly drainRunq = (): void => {
    const q = this.runq;
    // Goroutines started here may spawn more; they join this same pass.
    for (let i = 0; i < q.length; i++) {
      if (this.stopped) break;
      this.startGoroutine(q[i]);
    }
    q.length = 0;
    this.runqScheduled = false;
  };

  private startGoroutine(g: Goroutine): void {
    openSegment(g);
    g.state = 'running';
    const l = this.listener;
    if (l !== null) {
      l({ kind: 'go.run', source: 'observed', gid: g.id });
      if (this.sampler !== null) g.cycleShown = false;
    }
    void runners[takeSlot(g)](g);
    // The goroutine's first segment ends at its first await; its continuation comes back through enter.
    if (current === g) current = null;
  }

  exit(g: Goroutine): void {
    if (g.state === 'dead') return;
    closeSegment(g);
    releaseSlot(g);
    if (this.stopped) return;
    g.state = 'dead';
    this.live--;
    if (g.prevLive === null) this.liveHead = g.nextLive;
    else g.prevLive.nextLive = g.nextLive;
    if (g.nextLive !== null) g.nextLive.prevLive = g.prevLive;
    g.prevLive = g.nextLive = null;
    const l = this.listener;
    if (l !== null) l({ kind: 'go.exit', source: 'observed', gid: g.id });
    if (g === this.main) this.finish('ok', '');
    else this.checkStuck();
  }

  /** A goroutine threw: in Go an unrecovered panic ends the whole program. */
  crashed(g: Goroutine, error: unknown): void {
    if (this.stopped) return;
    const message = panicLine(error);
    closeSegment(g);
    const l = this.listener;
    if (l !== null) l({ kind: 'go.panic', source: 'observed', gid: g.id, message });
    const info = { ...describeGoroutine(g, this.now()), state: 'running' as const };
    delete info.waitReason;
    delete info.waitingOn;
    const status: RunStatus = error instanceof GoFatalError ? 'fatal' : 'panic';
    this.finish(status, `${message}\n\n${formatGoroutine(info)}`, error, [info]);
  }

  /** Go's `fatal error: …` (unrecoverable): ends the run now and returns the error for the caller to throw. */
  fatal(message: string, g: Goroutine | null): GoFatalError {
    const err = new GoFatalError(message);
    if (g !== null) this.crashed(g, err);
    else this.finish('fatal', `fatal error: ${message}`, err);
    return err;
  }

  // ---- Parking and waking ----

  /** g stops running until unblock(g): it waits for `reason` on `on`. */
  block(g: Goroutine, reason: WaitReason, on: WaitOn): void {
    g.state = 'waiting';
    g.waitReason = reason;
    g.waitingOn = on;
    this.blocked++;
    const l = this.listener;
    if (l !== null && (this.sampler === null || (g.cycleShown = this.sampler.admit(g)))) {
      l({ kind: 'go.block', source: 'observed', gid: g.id, reason, on: waitIds(on) });
    }
    if (this.recordWaits) g.waitSince = this.now();
    if (this.blocked === this.live) this.checkStuck();
  }

  /** g may run again; `by` woke it (null: a timer, I/O or outside code). */
  unblock(g: Goroutine, by: Goroutine | null): void {
    if (g.state !== 'waiting') return;
    g.state = 'runnable';
    g.waitReason = null;
    g.waitingOn = null;
    this.blocked--;
    const l = this.listener;
    if (l !== null && g.cycleShown) l({ kind: 'go.unblock', source: 'observed', gid: g.id, by: by === null ? 0 : by.id });
  }

  /**
   * Parks the calling goroutine on outside work (a socket read, a host callback) that the deadlock detector counts
   * as pending I/O, like Go's netpoller. `start` receives functions to end the wait; the first call wins. When
   * `start` ends the wait before it returns (bytes were already buffered, the kernel took a write at once), the
   * goroutine does not park, as Go's netpoller parks only an operation that would block.
   */
  ioWait<T>(start: (complete: (value: T) => void, fail: (error: unknown) => void) => void, on: Waitable | null = null): Promise<T> {
    const op = new IoOp<T>();
    // No named closures here: tsx (esbuild keepNames) wraps every named one.
    if (this.beginIo(op)) {
      start(
        (value) => op.complete(value),
        (error) => op.fail(error),
      );
    }
    return this.waitIo(op, on);
  }

  /**
   * Starts an I/O wait of the calling goroutine (ioWait in two steps: beginIo, start the work, waitIo); false once
   * the run is over, when the work must not start and waitIo's promise never settles.
   */
  beginIo(op: IoOp<unknown>): boolean {
    if (this.stopped) return false;
    op.rt = this;
    op.g = callerGoroutine();
    this.io++;
    return true;
  }

  /** The promise the goroutine awaits for op: settled already when op ended inside its start (no parking). */
  waitIo<T>(op: IoOp<T>, on: Waitable | null = null): Promise<T> {
    if (op.rt === null) return never(); // the run was over before it began
    const g = op.g;
    // Settled at once: the goroutine yields, as at any await, but never blocked.
    if (op.phase === IO_DONE) return op.failed ? readyFailure<T>(g, op.outcome) : readyPromise(g, op.outcome as T);
    const promise = parkPromise<T>(op, g);
    op.phase = IO_PARKED;
    if (g !== null) this.block(g, 'IO wait', on);
    return promise;
  }

  /** Ends an I/O wait (IoOp.complete/fail). */
  endIo(op: IoOp<unknown>, outcome: unknown, failed: boolean): void {
    if (op.phase === IO_DONE || this.stopped) return;
    this.io--;
    if (op.phase === IO_STARTING) {
      op.phase = IO_DONE;
      op.outcome = outcome;
      op.failed = failed;
      return;
    }
    op.phase = IO_DONE;
    const g = op.g;
    if (g !== null) this.unblock(g, null);
    if (failed) abort(op, g, outcome);
    else resume(op, g, outcome);
  }

  /** Waits for a promise as an I/O wait (see ioWait): `const [n, err] = await rt.awaitIO(conn.read(buf))`. */
  awaitIO<T>(work: PromiseLike<T>, on: Waitable | null = null): Promise<T> {
    return this.ioWait<T>((complete, fail) => {
      work.then(complete, fail);
    }, on);
  }

  /**
   * Tells the deadlock detector that something outside the goroutines (a listening socket, a browser command) may
   * still wake them. Returns the function that releases the hold.
   */
  keepAlive(): () => void {
    this.io++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.io--;
      this.checkStuck();
    };
  }

  // ---- Timers ----

  /** Calls fire after ms on the run's clock (runs outside any goroutine). Pending timers keep a run alive. */
  addTimer(ms: number, fire: () => void): RuntimeTimer {
    const t = new RuntimeTimer(this.now() + Math.max(0, ms), ++this.timerSeq, fire);
    if (!this.stopped) this.scheduleTimer(t);
    return t;
  }

  /** Re-arms a timer (fired or not) for ms from now. */
  resetTimer(t: RuntimeTimer, ms: number): void {
    this.timers.remove(t);
    t.when = this.now() + Math.max(0, ms);
    if (!this.stopped) this.scheduleTimer(t);
  }

  /** Stops a timer; false if it had already fired or been stopped (as Go's Timer.Stop). */
  stopTimer(t: RuntimeTimer): boolean {
    const removed = this.timers.remove(t);
    if (removed) this.armHostTimer();
    return removed;
  }

  timerPending(t: RuntimeTimer): boolean {
    return t.index >= 0;
  }

  private scheduleTimer(t: RuntimeTimer): void {
    this.timers.push(t);
    this.armHostTimer();
  }

  private armHostTimer(): void {
    if (this.clock === 'virtual') return;
    const next = this.timers.peek();
    const at = next === undefined ? Infinity : next.when;
    if (at === this.hostTimerAt) return;
    if (this.hostTimer !== null) clearTimeout(this.hostTimer);
    this.hostTimer = null;
    this.hostTimerAt = at;
    if (at === Infinity) return;
    this.hostTimer = setTimeout(this.onHostTimer, Math.max(0, at - this.now()));
  }

  private readonly onHostTimer = (): void => {
    this.hostTimer = null;
    this.hostTimerAt = Infinity;
    this.fireDue(this.now());
    this.armHostTimer();
    this.checkStuck();
  };

  private fireDue(now: number): void {
    for (;;) {
      if (this.stopped) return;
      const t = this.timers.peek();
      // Host timers may fire a fraction of a millisecond early; anything due within that slack fires.
      if (t === undefined || t.when > now + 0.5) return;
      this.timers.pop();
      t.fire();
    }
  }

  // ---- Deadlock detection and virtual time ----

  /** Called whenever every goroutine might be blocked. */
  checkStuck(): void {
    if (this.stopped || this.blocked !== this.live || this.io !== 0) return;
    if (this.timers.size > 0) {
      if (this.clock === 'virtual' && !this.advanceScheduled) {
        this.advanceScheduled = true;
        queueMicrotask(this.advanceVirtualTime);
      }
      return;
    }
    if (this.live === 0 || !this.detectDeadlock || this.deadlockCheckScheduled) return;
    // Confirm once the current job and its microtasks are done: outside code may still be about to send.
    this.deadlockCheckScheduled = true;
    setTimeout(this.confirmDeadlock, 0);
  }

  private isStuck(): boolean {
    return !this.stopped && this.live > 0 && this.blocked === this.live && this.io === 0;
  }

  private readonly advanceVirtualTime = (): void => {
    this.advanceScheduled = false;
    if (this.stopped || this.blocked !== this.live || this.io !== 0) return;
    const next = this.timers.peek();
    if (next === undefined) return this.checkStuck();
    if (next.when > this.virtualNow) this.virtualNow = next.when;
    this.fireDue(this.virtualNow);
    this.checkStuck();
  };

  private readonly confirmDeadlock = (): void => {
    this.deadlockCheckScheduled = false;
    if (!this.isStuck()) return;
    if (this.timers.size > 0) return this.checkStuck();
    const dump = this.dump();
    const message = 'fatal error: all goroutines are asleep - deadlock!';
    const l = this.listener;
    if (l !== null) l({ kind: 'go.deadlock', source: 'observed', message, dump });
    this.finish('deadlock', `${message}\n\n${formatGoroutineDump(dump)}`, undefined, dump);
  };

  // ---- The end of a run ----

  /** Every live goroutine, by id. */
  dump(): GoroutineInfo[] {
    const now = this.now();
    const out: GoroutineInfo[] = [];
    for (let g = this.liveHead; g !== null; g = g.nextLive) out.push(describeGoroutine(g, now));
    return out.sort((a, b) => a.id - b.id);
  }

  /** Ends a run that has no main (a demo's server runtime): blocked goroutines are reported as leaks. */
  stop(): RunResult {
    if (this.result === null) this.finish('stopped', '');
    return this.result!;
  }

  private finish(status: RunStatus, report: string, error?: unknown, dump?: GoroutineInfo[]): void {
    if (this.stopped) return;
    this.stopped = true;
    this.halted = status === 'fatal' || status === 'deadlock';
    const all = dump ?? this.dump();
    let leaks: GoroutineInfo[] = [];
    if (status === 'ok' || status === 'stopped') {
      leaks = all.filter((g) => g.state === 'waiting');
      if (leaks.length > 0) {
        const s = leaks.length === 1 ? '' : 's';
        const leakReport = `goroutine leak: ${leaks.length} goroutine${s} still blocked when the run ended\n\n${formatGoroutineDump(leaks)}`;
        report = report === '' ? leakReport : `${report}\n\n${leakReport}`;
      }
    }
    this.result = { status, report, dump: all, leaks, seed: this.seed, goroutines: this.lastGid };
    if (error !== undefined) this.result.error = error;
    this.timers.clear();
    if (this.hostTimer !== null) clearTimeout(this.hostTimer);
    this.hostTimer = null;
    this.hostTimerAt = Infinity;
    // Their slots stay taken: a goroutine still runnable may yet run a line, and must not pass for another.
    for (let g = this.liveHead; g !== null; g = g.nextLive) closeSegment(g);
    this.liveHead = null;
    const l = this.listener;
    if (l !== null) {
      if (leaks.length > 0) l({ kind: 'go.leak', source: 'observed', leaks });
      const end: GoroutineEvent = { kind: 'go.runEnd', source: 'observed', status };
      if (status !== 'ok' && status !== 'stopped') end.message = report.split('\n')[0];
      l(end);
    }
    if (this.halted) this.listener = null;
    this.resolveDone(this.result);
  }
}

const NO_IDS: readonly number[] = Object.freeze([]);

function waitIds(on: WaitOn): readonly number[] {
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

type StackCapture = (target: object, constructorOpt?: SpawnEntry) => void;

/** The stack at `go`, without the runtime's own frames (formatted only if a dump needs it). */
function captureSite(entry: SpawnEntry): Error {
  const capture = (Error as unknown as { captureStackTrace?: StackCapture }).captureStackTrace;
  const holder = new Error('created here');
  if (capture !== undefined) capture(holder, entry);
  return holder;
}

/** Gives g a runner slot: an async function named goroutine$<slot>, g's outermost frame. */
function takeSlot(g: Goroutine): number {
  let slot = freeSlots.pop();
  if (slot === undefined) {
    slot = runners.length;
    runners.push(makeRunner(`${RUNNER_PREFIX}${slot}`));
    slotOwner.push(null);
  }
  slotOwner[slot] = g;
  g.slot = slot;
  liveSlots++;
  return slot;
}

/** Runs a goroutine's function, then exits it (or ends the run if it threw). */
function makeRunner(name: string): (g: Goroutine) => Promise<void> {
  const named = {
    [name]: async function (g: Goroutine): Promise<void> {
      const fn = g.fn!;
      const args = g.args as never[];
      g.fn = null;
      g.args = null;
      try {
        await fn(...args);
      } catch (error) {
        g.rt.crashed(g, error);
        return;
      }
      g.rt.exit(g);
    },
  };
  return named[name];
}

function releaseSlot(g: Goroutine): void {
  if (g.slot < 0) return;
  slotOwner[g.slot] = null;
  freeSlots.push(g.slot);
  g.slot = -1;
  liveSlots--;
}

/** Creates an independent run. */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  return new Runtime(options);
}

export { GoPanic };

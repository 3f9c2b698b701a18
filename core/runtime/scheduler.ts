// The goroutine scheduler: a run's goroutines (spawn, exit, crash), parking and waking them, and the end of the run.
// Part of the goroutine runtime shared by the Node server and the browser's Web Worker, so it uses nothing beyond
// queueMicrotask, setTimeout and performance.now. Its other jobs live beside it: which goroutine is running
// (runningGoroutine.ts), which runtime a free function belongs to (ambientRuntime.ts), the promises handed to
// goroutines (handOff.ts), I/O waits (ioWait.ts), timers and the virtual clock (runClock.ts), deadlock detection
// (deadlockDetector.ts) and the result of a run (runEnd.ts).
import type { GoroutineEvent, GoroutineInfo, RunStatus, WaitReason } from '../protocol/events/goroutine.js';
import { DeadlockDetector } from './deadlockDetector.js';
import { Goroutine, waitIds, type WaitOn, type Waitable } from './goroutine.js';
import { describeGoroutine, formatGoroutineDump, formatGoroutine } from './goroutineDump.js';
import { GoFatalError, GoPanic, panicLine } from './panic.js';
import { RunClock } from './runClock.js';
import { haltsProgram, runResult, type RunResult } from './runEnd.js';
import { callerGoroutine, closeSegment, releaseSlot, startGoroutine } from './runningGoroutine.js';
import { randomSeed, SeededRandom } from './seededRandom.js';
import type { RuntimeTimer } from './timerQueue.js';
import { WaitCycleSampler, type WaitCycleSampling } from './waitCycleSampler.js';

// What the runtime's other modules export, for importers outside core/runtime that name this module.
export { Goroutine, isWaitCases, type WaitCase, type WaitOn, type Waitable } from './goroutine.js';
export { callerGoroutine, closeSegment } from './runningGoroutine.js';
export { resolveRuntime, setAmbientRuntime, withRuntime } from './ambientRuntime.js';
export {
  abort,
  never,
  parkPromise,
  readyFailure,
  readyPromise,
  readyVoid,
  resume,
  resumeAfter,
  type Parked,
} from './handOff.js';
export { IoOp, ioWait } from './ioWait.js';
export type { RunResult } from './runEnd.js';

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

const DEFAULT_SITES = 1000;

/** Where `go` was called from: the frames above this function are the caller's. */
type SpawnEntry = (...args: never[]) => unknown;

export class Runtime {
  readonly seed: number;
  readonly rng: SeededRandom;
  readonly clock: 'real' | 'virtual';
  /** The run's clock and timers. */
  readonly runClock: RunClock;
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
   * A fatal error or a deadlock ended the run (see haltsProgram): the hook is detached and the snippet host drops
   * the program's output.
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
  private readonly deadlocks: DeadlockDetector;

  /** Scratch space for select's poll order (select never nests within one synchronous call). */
  readonly pollOrder: number[] = [];

  constructor(options: RuntimeOptions = {}) {
    this.seed = options.seed ?? randomSeed();
    this.rng = new SeededRandom(this.seed);
    this.clock = options.clock ?? 'real';
    this.runClock = new RunClock(this.clock, () => this.checkStuck());
    const sites = options.creationSites ?? DEFAULT_SITES;
    this.sitesLeft = sites === true ? Infinity : sites === false ? 0 : sites;
    this.recordWaits = this.sitesLeft > 0;
    this.detectDeadlock = options.detectDeadlock ?? true;
    this.listener = options.onEvent ?? null;
    this.sampler = options.sampleWaitCycles ? new WaitCycleSampler(options.sampleWaitCycles) : null;
    this.deadlocks = new DeadlockDetector(this);
    this.done = new Promise<RunResult>((resolve) => (this.resolveDone = resolve));
  }

  /** Attaches (or with null, detaches) the instrumentation hook; a halted run hears nothing. */
  setListener(listener: RuntimeListener | null): void {
    if (!this.halted) this.listener = listener;
  }

  /** Milliseconds since the run's clock started. */
  now(): number {
    return this.runClock.now();
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
      const e: GoroutineEvent = {
        kind: 'go.spawn',
        source: 'observed',
        gid: g.id,
        parent: g.parent?.id ?? 0,
        fn: g.fnName,
      };
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
      startGoroutine(q[i]);
    }
    q.length = 0;
    this.runqScheduled = false;
  };

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
    if (l !== null && g.cycleShown)
      l({ kind: 'go.unblock', source: 'observed', gid: g.id, by: by === null ? 0 : by.id });
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

  // ---- Timers (runClock.ts) ----

  /** Calls fire after ms on the run's clock (runs outside any goroutine). Pending timers keep a run alive. */
  addTimer(ms: number, fire: () => void): RuntimeTimer {
    return this.runClock.add(ms, fire);
  }

  /** Re-arms a timer (fired or not) for ms from now. */
  resetTimer(t: RuntimeTimer, ms: number): void {
    this.runClock.reset(t, ms);
  }

  /** Stops a timer; false if it had already fired or been stopped (as Go's Timer.Stop). */
  stopTimer(t: RuntimeTimer): boolean {
    return this.runClock.stop(t);
  }

  timerPending(t: RuntimeTimer): boolean {
    return t.index >= 0;
  }

  /** Called whenever every goroutine might be blocked (deadlockDetector.ts). */
  checkStuck(): void {
    this.deadlocks.check();
  }

  /** The deadlock detector confirmed that every goroutine is asleep. */
  deadlocked(): void {
    const dump = this.dump();
    const message = 'fatal error: all goroutines are asleep - deadlock!';
    const l = this.listener;
    if (l !== null) l({ kind: 'go.deadlock', source: 'observed', message, dump });
    this.finish('deadlock', `${message}\n\n${formatGoroutineDump(dump)}`, undefined, dump);
  }

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
    this.halted = haltsProgram(status);
    const result = runResult(status, report, dump ?? this.dump(), this.seed, this.lastGid, error);
    this.result = result;
    this.runClock.close();
    // Their slots stay taken: a goroutine still runnable may yet run a line, and must not pass for another.
    for (let g = this.liveHead; g !== null; g = g.nextLive) closeSegment(g);
    this.liveHead = null;
    const l = this.listener;
    if (l !== null) {
      if (result.leaks.length > 0) l({ kind: 'go.leak', source: 'observed', leaks: result.leaks });
      const end: GoroutineEvent = { kind: 'go.runEnd', source: 'observed', status };
      if (status !== 'ok' && status !== 'stopped') end.message = result.report.split('\n')[0];
      l(end);
    }
    if (this.halted) this.listener = null;
    this.resolveDone(result);
  }
}

type StackCapture = (target: object, constructorOpt?: SpawnEntry) => void;

/** The stack at `go`, without the runtime's own frames (formatted only if a dump needs it). */
function captureSite(entry: SpawnEntry): Error {
  const capture = (Error as unknown as { captureStackTrace?: StackCapture }).captureStackTrace;
  const holder = new Error('created here');
  if (capture !== undefined) capture(holder, entry);
  return holder;
}

/** Creates an independent run. */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  return new Runtime(options);
}

export { GoPanic };

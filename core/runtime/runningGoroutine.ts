// Which goroutine is running. Goroutines are async functions, so JavaScript does not say whose code runs. Whoever
// settles a promise a goroutine awaits queues that goroutine's `enter` job, settles the promise (queueing the
// goroutine's continuation) and queues its `leave` job (handOff.ts): the three run back to back, so between enter
// and leave `current` is exactly the running goroutine. A call from any other job (an async helper returning, a
// foreign promise) finds `current` null; then the async stack trace names the goroutine (its outermost frame is a
// runner function called goroutine$<slot>), where the engine provides one, and otherwise the oldest goroutine whose
// segment (enter … its next blocking call) is still open is taken.
import type { Goroutine } from './goroutine.js';

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

/** The `enter` job: g's continuation runs next. */
export function enterGoroutine(g: Goroutine): void {
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

/** The `leave` job: g's continuation has run up to its next await. */
export function leaveGoroutine(g: Goroutine): void {
  if (current === g) current = null;
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
      if (name !== null && name.startsWith(RUNNER_PREFIX))
        return slotOwner[Number(name.slice(RUNNER_PREFIX.length))] ?? null;
    }
    return null;
  } catch {
    return undefined;
  } finally {
    V8Error.prepareStackTrace = savedPrepare;
    V8Error.stackTraceLimit = savedLimit;
  }
}

/** Runs g's function in a runner slot: g's first segment, up to its first await. */
export function startGoroutine(g: Goroutine): void {
  openSegment(g);
  g.state = 'running';
  const l = g.rt.listener;
  if (l !== null) {
    l({ kind: 'go.run', source: 'observed', gid: g.id });
    if (g.rt.sampler !== null) g.cycleShown = false;
  }
  void runners[takeSlot(g)](g);
  // The goroutine's first segment ends at its first await; its continuation comes back through enter.
  if (current === g) current = null;
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

/** g has exited: its slot may run another goroutine. */
export function releaseSlot(g: Goroutine): void {
  if (g.slot < 0) return;
  slotOwner[g.slot] = null;
  freeSlots.push(g.slot);
  g.slot = -1;
  liveSlots--;
}

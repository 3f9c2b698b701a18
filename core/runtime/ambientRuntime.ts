// Which runtime a free function (go, chan, select, time.sleep…) belongs to: the calling goroutine's, else the one
// code outside goroutines was given (withRuntime, setAmbientRuntime), else a default one.
import { callerGoroutine } from './runningGoroutine.js';
import { Runtime } from './scheduler.js';

let ambientRuntime: Runtime | null = null;
let defaultRuntime: Runtime | null = null;

/** The runtime of the calling goroutine; outside goroutines, the one set by withRuntime/setAmbientRuntime, else a default. */
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
export function setAmbientRuntime(rt: Runtime): void {
  defaultRuntime = rt;
}

// The goroutine runtime's public API, in Go's shape: go, chan, select, sync, context, time, panic.
// Shared by the Node server (demos) and the browser's snippet Web Worker: it imports nothing from Node or the DOM.
//
//   const rt = createRuntime({ seed: 7 });
//   const result = await rt.run(async function main() {
//     const ch = chan<number>();
//     go(async () => { await ch.send(42); });
//     const [v, ok] = await ch.recv();
//   });
//   result.status; // 'ok' | 'panic' | 'fatal' | 'deadlock' | 'stopped'
import { resolveRuntime } from './ambientRuntime.js';
import type { RunResult } from './runEnd.js';
import { callerGoroutine } from './runningGoroutine.js';
import { createRuntime, type RuntimeOptions } from './scheduler.js';

export {
  createRuntime,
  setAmbientRuntime,
  withRuntime,
  Runtime,
  type RuntimeListener,
  type RuntimeOptions,
  type RunResult,
  type Waitable,
} from './scheduler.js';
export type { WaitCycleSampling } from './waitCycleSampler.js';
export { IoOp, ioWait } from './ioWait.js';
export { Chan, chan, send, recv, close, len, cap, type Received, type ChanOptions } from './channel.js';
export { select, recvCase, sendCase, type SelectCase, type Selected, type SelectOptions } from './select.js';
export { GoPanic, GoFatalError, panic, PANIC } from './panic.js';
export * as sync from './sync.js';
export * as time from './time.js';
export * as context from './context.js';
export { WaitGroup, Mutex, RWMutex, Once } from './sync.js';
export type { Context, CancelFunc } from './context.js';

/** `go fn(args...)`: starts fn as a new goroutine of the caller's run. Returns the goroutine's id. */
export function go<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): number {
  const rt = resolveRuntime();
  if (rt.stopped) return 0;
  return rt.spawn(fn as (...args: never[]) => unknown, args, callerGoroutine(), go as (...args: never[]) => unknown).id;
}

/** Runs main in a fresh runtime: `const result = await run(main)`. */
export function run(main: () => unknown, options: RuntimeOptions = {}): Promise<RunResult> {
  return createRuntime(options).run(main);
}

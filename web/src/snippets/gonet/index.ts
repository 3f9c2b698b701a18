// The module every snippet imports: `import { go, chan, select, net, time, fmt } from 'gonet'`. The goroutine
// runtime (core/runtime) in Go's shape, plus the lab's Go-style packages: net (real sockets through the bridge),
// io, bufio, fmt, binary, errors, os, http (HTTP/1.1 on a connection) and lab (where the demos listen).
import { callerGoroutine, resolveRuntime } from '@core/runtime/scheduler';
import { currentHost } from './host';

export {
  Chan,
  chan,
  send,
  recv,
  close,
  len,
  cap,
  select,
  recvCase,
  sendCase,
  GoPanic,
  panic,
  sync,
  time,
  context,
  WaitGroup,
  Mutex,
  RWMutex,
  Once,
  type Received,
  type SelectCase,
  type Selected,
  type Context,
  type CancelFunc,
} from '@core/runtime/index';
export * as net from './net';
export * as io from './io';
export * as bufio from './bufio';
export * as fmt from './fmt';
export * as binary from './binary';
export * as errors from './errors';
export * as os from './os';
export * as lab from './lab';
export * as http from './http';

/**
 * `go fn(args...)`: starts fn as a new goroutine. The lab stops a run that keeps more goroutines alive at once
 * than its limit (100,000 unless the lesson says otherwise).
 * @example go(handleConn, conn);
 */
export function go<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): number {
  const rt = resolveRuntime();
  if (rt.stopped) return 0;
  const max = currentHost().maxGoroutines;
  if (rt.live >= max) {
    // A fatal error ends the run even if the caller catches what is thrown here.
    const err = rt.fatal(`too many goroutines: ${rt.live} alive, the limit is ${max}`, callerGoroutine());
    currentHost().limitExceeded('E_SNIPPET_TOO_MANY_GOROUTINES', err.message);
    throw err;
  }
  return rt.spawn(fn as (...args: never[]) => unknown, args, callerGoroutine(), go as (...args: never[]) => unknown).id;
}

// A GoConn as goroutines of the lab's runtime use it: each read and write is an I/O wait that parks the goroutine
// only when it would block (nothing buffered yet, a write the kernel cannot take yet), as Go's netpoller does.
import type { Runtime } from '../runtime/index.js';
import type { GoConn } from './goConn.js';

type IoResult = [number, Error | null];

export function readAsGoroutine(rt: Runtime, conn: GoConn, buf: Uint8Array): Promise<IoResult> {
  return rt.ioWait<IoResult>((complete) => conn.readInto(buf, (n, err) => complete([n, err])));
}

export function writeAsGoroutine(rt: Runtime, conn: GoConn, data: Uint8Array): Promise<IoResult> {
  return rt.ioWait<IoResult>((complete) => conn.writeFrom(data, (n, err) => complete([n, err])));
}

/** read, write and close of conn for code running as a goroutine of rt. */
export function goroutineConn(rt: Runtime, conn: GoConn): Pick<GoConn, 'read' | 'write' | 'close'> {
  return {
    read: (buf) => readAsGoroutine(rt, conn, buf),
    write: (data) => writeAsGoroutine(rt, conn, data),
    close: () => conn.close(),
  };
}

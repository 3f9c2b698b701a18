// A GoConn as goroutines of the lab's runtime use it: each read and write is an I/O wait that parks the goroutine
// only when it would block (nothing buffered yet, a write the kernel cannot take yet), as Go's netpoller does.
import { IoOp, type Runtime } from '../../core/runtime/index.js';
import type { GoConn, IoSink } from './goConn.js';

type IoResult = [number, Error | null];

/** One read or write: the runtime's I/O wait is itself what the connection reports to (no closure per call). */
class ConnIo extends IoOp<IoResult> implements IoSink {
  ioDone(n: number, err: Error | null): void {
    this.complete([n, err]);
  }
}

export function readAsGoroutine(rt: Runtime, conn: GoConn, buf: Uint8Array): Promise<IoResult> {
  const op = new ConnIo();
  if (op.begin(rt)) conn.readInto(buf, op);
  return op.wait();
}

export function writeAsGoroutine(rt: Runtime, conn: GoConn, data: Uint8Array): Promise<IoResult> {
  const op = new ConnIo();
  if (op.begin(rt)) conn.writeFrom(data, op);
  return op.wait();
}

/** read, write and close of conn for code running as a goroutine of rt. */
export function goroutineConn(rt: Runtime, conn: GoConn): Pick<GoConn, 'read' | 'write' | 'close'> {
  return {
    read: (buf) => readAsGoroutine(rt, conn, buf),
    write: (data) => writeAsGoroutine(rt, conn, data),
    close: () => conn.close(),
  };
}

// The lesson-1 echo server, goroutine-style: an accept loop that starts one handler task per connection
// (Go's `go handleConn(conn)`), each handler reading and writing back until the peer closes.
import net from 'node:net';
import { GoConn, type ConnObserver } from '../../net/goConn.js';
import { goroutineConn } from '../../net/goroutineConn.js';
import { listenTcp, boundPort } from '../../net/listen.js';
import { admitConnection, ECHO_CONNECTION_LIMITS, type ConnectionLimits } from '../../net/connectionLimits.js';
import type { Runtime } from '../../../core/runtime/index.js';

export interface EchoServerOptions {
  host: string;
  port: number;
  flag: string;
  /** Observes each accepted connection (events, counters); absent for the uninstrumented comparison. */
  observer?: ConnObserver;
  onAccept?(conn: GoConn): void;
  onHandlerError?(conn: GoConn, err: unknown): void;
  /** Runs each handler as a goroutine of this runtime, its reads and writes as I/O waits (shown on the timeline). */
  runtime?: Runtime;
  /** Connection cap and idle timeout (default ECHO_CONNECTION_LIMITS). */
  limits?: Partial<ConnectionLimits>;
}

/** What a handler uses of a connection. */
export type HandlerConn = Pick<GoConn, 'read' | 'write' | 'close'>;

/** handleConn is the body of every connection's task: read what arrives, write it back, stop at EOF. */
export async function handleConn(conn: HandlerConn): Promise<void> {
  // One buffer per connection, reused: write() resolves only once the kernel has the bytes. A Buffer, so the
  // slice written back is one too (node:net turns a plain Uint8Array into a Buffer on every write).
  const buf = Buffer.alloc(32 * 1024);
  try {
    for (;;) {
      const [n, readErr] = await conn.read(buf);
      if (readErr) return;
      const [, writeErr] = await conn.write(buf.subarray(0, n));
      if (writeErr) return;
    }
  } finally {
    await conn.close();
  }
}

export class EchoServer {
  private readonly server: net.Server;
  private readonly conns = new Set<GoConn>();
  private nextId = 1;

  constructor(private readonly options: EchoServerOptions) {
    this.server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  get port(): number {
    return boundPort(this.server);
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  async listen(): Promise<void> {
    await listenTcp(this.server, this.options);
  }

  private accept(socket: net.Socket): void {
    if (!admitConnection(socket, this.conns.size, { ...ECHO_CONNECTION_LIMITS, ...this.options.limits })) return;
    const conn = new GoConn(socket, { id: `s${this.nextId++}`, observer: this.options.observer });
    this.conns.add(conn);
    socket.once('close', () => this.conns.delete(conn));
    this.options.onAccept?.(conn);
    const fail = (err: unknown) => {
      this.options.onHandlerError?.(conn, err);
      conn.destroy();
    };
    const rt = this.options.runtime;
    if (rt) {
      // A goroutine named handleConn whose socket calls park it as I/O waits when they would block (a read with
      // nothing buffered, a write the kernel cannot take yet); a failure is reported, not fatal.
      const goroutine = {
        handleConn: async (c: GoConn) => {
          await handleConn(goroutineConn(rt, c)).catch(fail);
        },
      };
      rt.go(goroutine.handleConn, conn);
      return;
    }
    // `go handleConn(conn)`: the accept loop does not wait for the handler.
    handleConn(conn).catch(fail);
  }

  /** Stops accepting and closes every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const conn of this.conns) conn.destroy();
    await closed;
  }
}

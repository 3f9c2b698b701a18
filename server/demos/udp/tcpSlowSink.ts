// The TCP side of the comparison: a listener that holds each new connection's reads back until asked, then records
// the size of every read, so the same writes that stay apart over UDP can be seen merging over TCP.
import net from 'node:net';
import { endpointName } from '../../../core/protocol/events/tcpState.js';

interface SinkConn {
  socket: net.Socket;
  reads: number[];
  total: number;
  waiters: Array<() => void>;
}

/** Connections the sink holds at most (the compare runs are few; anything beyond is refused). */
const MAX_CONNS = 32;

export class TcpSlowSink {
  private readonly server: net.Server;
  private readonly conns = new Map<string, SinkConn>();
  private readonly arrivals = new Map<string, () => void>();

  constructor(private readonly host: string) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo | null)?.port ?? 0;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, this.host, () => resolve());
    });
  }

  /** Resolves once the connection from `client` (`ip:port`) is accepted and held. */
  accepted(client: string): Promise<void> {
    if (this.conns.has(client)) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.set(client, resolve));
  }

  /** Lets the held connection read, and resolves with its reads' sizes once `bytes` arrived (or after `timeoutMs`). */
  async release(client: string, bytes: number, timeoutMs: number): Promise<number[]> {
    const conn = this.conns.get(client);
    if (!conn) return [];
    conn.socket.resume();
    if (conn.total < bytes) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        conn.waiters.push(() => {
          if (conn.total >= bytes) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    }
    conn.socket.destroy();
    this.conns.delete(client);
    return conn.reads;
  }

  async close(): Promise<void> {
    for (const c of this.conns.values()) c.socket.destroy();
    this.conns.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    if (this.conns.size >= MAX_CONNS) {
      socket.destroy();
      return;
    }
    // Paused from the start: the writes pile up in the kernel's buffer, as for a reader that is busy elsewhere.
    socket.pause();
    const client = endpointName(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    const conn: SinkConn = { socket, reads: [], total: 0, waiters: [] };
    this.conns.set(client, conn);
    socket.on('data', (chunk: Buffer) => {
      conn.reads.push(chunk.length);
      conn.total += chunk.length;
      for (const w of conn.waiters) w();
    });
    socket.on('error', () => {});
    socket.on('close', () => this.conns.get(client) === conn && this.conns.delete(client));
    this.arrivals.get(client)?.();
    this.arrivals.delete(client);
  }
}

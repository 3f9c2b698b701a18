// The server lesson 16 shuts down: each line "REQ <id>" is worked on for workMs, then answered "OK <id>" ("OK <id>
// close" when it is the connection's last answer). It can
// stop hard (every connection closed at once, as if the process exited) or gracefully (stop accepting, close idle
// connections, let requests in flight finish and close their connections after the answer, cut what is left at a
// deadline). It counts what it read, answered and threw away.
import net from 'node:net';
import { GRACEFUL_SHUTDOWN_LIMITS } from '../../../core/protocol/demos/gracefulShutdown.js';
import { admitConnection, type ConnectionLimits } from '../../net/connectionLimits.js';

/** A run's clients plus room for students' nc; idle ones leave after 5 minutes, as on every demo server. */
export const REQUEST_SERVER_LIMITS: ConnectionLimits = {
  maxConnections: GRACEFUL_SHUTDOWN_LIMITS.clients + 256,
  idleMs: 5 * 60_000,
};
/** Longest request line read; longer ones close the connection. */
const MAX_LINE = 256;

interface Conn {
  socket: net.Socket;
  inFlight: Set<ReturnType<typeof setTimeout>>;
}

export interface ServerCounts {
  read: number;
  answered: number;
  lostInFlight: number;
  cutAtDeadline: number;
}

export class RequestServer {
  private server: net.Server | null = null;
  private readonly conns = new Set<Conn>();
  private draining = false;
  private drained: (() => void) | null = null;
  boundPort = 0;
  readonly counts: ServerCounts = { read: 0, answered: 0, lostInFlight: 0, cutAtDeadline: 0 };

  constructor(
    private readonly host: string,
    private workMs: number,
  ) {}

  get listening(): boolean {
    return this.server !== null;
  }

  get connections(): number {
    return this.conns.size;
  }

  get inFlight(): number {
    let n = 0;
    for (const c of this.conns) n += c.inFlight.size;
    return n;
  }

  /** Listens afresh (counts reset) on `port` (0: any free port), with the given work per request. */
  async listen(port: number, workMs = this.workMs): Promise<void> {
    if (this.server) throw new Error('already listening');
    this.workMs = workMs;
    this.draining = false;
    Object.assign(this.counts, { read: 0, answered: 0, lostInFlight: 0, cutAtDeadline: 0 });
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
  }

  private accept(socket: net.Socket): void {
    if (this.draining) {
      socket.destroy();
      return;
    }
    if (!admitConnection(socket, this.conns.size, REQUEST_SERVER_LIMITS)) return;
    const conn: Conn = { socket, inFlight: new Set() };
    this.conns.add(conn);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      // Whatever was still being worked on when the connection went is work thrown away.
      this.dropInFlight(conn);
      this.conns.delete(conn);
      if (this.draining && this.conns.size === 0) this.drained?.();
    });
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line.length > 0) this.request(conn, line);
      }
      if (buffered.length > MAX_LINE) socket.destroy();
    });
  }

  private request(conn: Conn, line: string): void {
    this.counts.read++;
    const id = line.startsWith('REQ ') ? line.slice(4) : line;
    const timer = setTimeout(() => {
      conn.inFlight.delete(timer);
      if (conn.socket.destroyed) return;
      this.counts.answered++;
      // Draining: the answer is the connection's last word and says so (like HTTP's "Connection: close").
      if (this.draining && conn.inFlight.size === 0) conn.socket.end(`OK ${id} close\n`);
      else conn.socket.write(`OK ${id}\n`);
    }, this.workMs);
    conn.inFlight.add(timer);
  }

  /** Stops as a killed process does: the listener and every connection close now; requests in flight are lost. */
  async stopHard(): Promise<void> {
    this.draining = true;
    const server = this.server;
    this.server = null;
    for (const c of this.conns) {
      this.dropInFlight(c);
      c.socket.destroy();
    }
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The connection's requests in flight are thrown away (counted once, now, not when its close event comes). */
  private dropInFlight(c: Conn): void {
    for (const timer of c.inFlight) clearTimeout(timer);
    this.counts.lostInFlight += c.inFlight.size;
    c.inFlight.clear();
  }

  /**
   * Shuts down gracefully: stop accepting; stop reading; close idle connections now; close each busy one right after
   * its last answer; at the deadline, close what is left (its requests are cut). Resolves once every connection
   * is closed.
   */
  async shutdown(deadlineMs: number): Promise<void> {
    this.draining = true;
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    const drained = new Promise<void>((resolve) => {
      this.drained = resolve;
      if (this.conns.size === 0) resolve();
    });
    for (const c of this.conns) {
      c.socket.pause(); // requests not yet read stay unread: the client sees its connection close instead
      if (c.inFlight.size === 0) c.socket.end();
    }
    const deadline = setTimeout(() => {
      for (const c of this.conns) {
        this.counts.cutAtDeadline += c.inFlight.size;
        this.dropInFlight(c);
        c.socket.destroy();
      }
    }, deadlineMs);
    await drained;
    clearTimeout(deadline);
    this.drained = null;
    await closed;
  }
}

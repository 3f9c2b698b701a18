// One client connection of lesson 19's callers to the lab's line server (through the fault proxy): dialled once, then
// used for request after request ("call\n" out, one reply line back). It notes when the peer closes or resets it,
// which is what the pool's health check asks before handing it out again.
import net from 'node:net';
import { UPSTREAM_OK } from '../circuitBreaker/upstreamServer.js';

export class LineConn {
  private dead = false;
  private pending = '';
  private waiter: ((line: string | null) => void) | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.pending += chunk;
      const nl = this.pending.indexOf('\n');
      if (nl < 0) return;
      const line = this.pending.slice(0, nl + 1);
      this.pending = this.pending.slice(nl + 1);
      this.settle(line);
    });
    // A FIN or an RST from the peer, or any error: the connection is no use for another request.
    const died = () => {
      this.dead = true;
      this.settle(null);
    };
    socket.on('end', died);
    socket.on('error', died);
    socket.on('close', died);
  }

  /** Dials host:port; rejects on refusal, reset or when the handshake takes longer than timeoutMs. */
  static dial(host: string, port: number, timeoutMs: number): Promise<LineConn> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`dial timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new LineConn(socket));
      });
    });
  }

  /** The health check: false once the peer closed or reset the connection (or it errored). */
  healthy(): boolean {
    return !this.dead && !this.socket.destroyed;
  }

  /** This end's port: the fault proxy knows the connection by it. */
  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** One request: true when the server's "ok" line came back within timeoutMs. */
  request(timeoutMs: number): Promise<boolean> {
    if (this.waiter) return Promise.reject(new Error('one request at a time per connection'));
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(null), timeoutMs);
      this.waiter = (line) => {
        clearTimeout(timer);
        resolve(line === UPSTREAM_OK);
      };
      // A connection the peer already reset: the write fails (as a Go Write on it returns an error).
      if (this.socket.destroyed || !this.socket.writable) return this.settle(null);
      this.socket.write('call\n');
    });
  }

  close(): void {
    this.dead = true;
    this.socket.destroy();
  }

  private settle(line: string | null): void {
    const w = this.waiter;
    this.waiter = null;
    w?.(line);
  }
}

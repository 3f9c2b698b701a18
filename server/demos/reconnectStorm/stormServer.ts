// The server the storm's clients lose: a plain TCP listener on loopback that can go down (listener closed, every
// connection closed: new connects are refused by the kernel) and come back on the same port.
import net from 'node:net';
import { RECONNECT_STORM_LIMITS } from '../../../core/protocol/demos/reconnectStorm.js';
import { admitConnection, type ConnectionLimits } from '../../net/connectionLimits.js';

/** A run's clients plus room for students' nc; idle ones leave after 5 minutes, as on every demo server. */
export const STORM_SERVER_LIMITS: ConnectionLimits = {
  maxConnections: RECONNECT_STORM_LIMITS.clients + 256,
  idleMs: 5 * 60_000,
};

export class StormServer {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private boundPort = 0;

  constructor(private readonly host: string) {}

  get port(): number {
    return this.boundPort;
  }

  get up(): boolean {
    return this.server !== null;
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Listens on `port` (0: any free port the first time); later calls reuse the port it got. */
  async listen(port = this.boundPort): Promise<void> {
    if (this.server) return;
    const server = net.createServer((socket) => {
      if (!admitConnection(socket, this.sockets.size, STORM_SERVER_LIMITS)) return;
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
      // A client that sends nothing is fine; what it sends is read and dropped.
      socket.resume();
    });
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

  /**
   * Comes back on the same port. While it was down a client's connect may have been given that very port as its
   * own local port (EADDRINUSE); it is retried a few times, 20 ms apart.
   */
  async comeBack(): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        await this.listen(this.boundPort);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || tries >= 50) throw err;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  /** Goes down: stops listening (connects are refused from now on) and closes every connection. */
  async goDown(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

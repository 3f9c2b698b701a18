// A framing server: one TCP listener whose every connection runs handleFramedConn with the server's framing.
import net from 'node:net';
import type { FramingConfig } from '../../../core/framing/framingConfig.js';
import { GoConn, type ConnObserver } from '../../net/goConn.js';
import { boundPort, listenTcp } from '../../net/listen.js';
import { admitConnection, DEMO_CONNECTION_LIMITS, type ConnectionLimits } from '../../net/connectionLimits.js';
import { handleFramedConn, type FramedConnOptions } from './framedConnHandler.js';

export interface FramingServerOptions extends Omit<FramedConnOptions, 'config'> {
  host: string;
  port: number;
  flag: string;
  config: FramingConfig;
  /** Prefix of connection ids ("lp" gives lp1, lp2…). */
  idPrefix: string;
  connObserver?: ConnObserver;
  onAccept?(conn: GoConn): void;
  onClose?(conn: GoConn): void;
  onHandlerError?(conn: GoConn, err: unknown): void;
  limits?: Partial<ConnectionLimits>;
}

export class FramingServer {
  private readonly server: net.Server;
  private readonly conns = new Set<GoConn>();
  private nextId = 1;

  constructor(private readonly options: FramingServerOptions) {
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

  /** The open connection whose peer is at this port (a lab client's local port), if any. */
  connFromPort(peerPort: number): GoConn | undefined {
    for (const c of this.conns) if (c.remoteAddr.port === peerPort) return c;
    return undefined;
  }

  private accept(socket: net.Socket): void {
    const { options } = this;
    // Each connection may hold a whole frame (up to 1 MiB), so their number is bounded; idle ones leave.
    if (!admitConnection(socket, this.conns.size, { ...DEMO_CONNECTION_LIMITS, ...options.limits })) return;
    const conn = new GoConn(socket, { id: `${options.idPrefix}${this.nextId++}`, observer: options.connObserver });
    this.conns.add(conn);
    socket.once('close', () => {
      this.conns.delete(conn);
      options.onClose?.(conn);
    });
    options.onAccept?.(conn);
    // `go handleFramedConn(conn)`: the accept loop does not wait.
    handleFramedConn(conn, options).catch((err: unknown) => {
      options.onHandlerError?.(conn, err);
      conn.destroy();
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const conn of this.conns) conn.destroy();
    await closed;
  }
}

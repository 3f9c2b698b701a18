// The handshake demo's server: a real loopback listener whose way of closing connections is chosen per scenario (echo and close on EOF, close first, reply after EOF, or the bug of never closing).
import net from 'node:net';
import { admitConnection, DEMO_CONNECTION_LIMITS, type ConnectionLimits } from '../../net/connectionLimits.js';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import type { HandshakeCall } from '../../../core/protocol/events/handshake.js';

export type ServerBehaviour =
  /** Echo what arrives; close our side when the client closes its (the polite server, like lesson 1's). */
  | 'echo'
  /** Say a line and close first: the server is the active closer and ends in TIME_WAIT. */
  | 'closeFirst'
  /** Read the whole request until the client's FIN, then answer in several writes and close (half-close). */
  | 'replyAfterEof'
  /** The classic bug: see EOF and never call Close, so the socket stays in CLOSE_WAIT. */
  | 'neverClose';

export interface ServerStep {
  client: string;
  call: HandshakeCall;
  bytes?: number;
  detail?: string;
}

export interface HandshakeServerOptions {
  host: string;
  port: number;
  onStep(step: ServerStep): void;
  /** Connection cap and idle timeout (default DEMO_CONNECTION_LIMITS). */
  limits?: Partial<ConnectionLimits>;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class HandshakeServer {
  private server: net.Server | null = null;
  private readonly open = new Set<net.Socket>();
  private readonly leaked = new Set<net.Socket>();
  behaviour: ServerBehaviour = 'echo';
  stepDelayMs = 0;

  constructor(private readonly options: HandshakeServerOptions) {}

  get port(): number {
    return (this.server?.address() as net.AddressInfo | null)?.port ?? 0;
  }

  /** Connections open now (the cap counts them). */
  get connectionCount(): number {
    return this.open.size;
  }

  get leakedCount(): number {
    return this.leaked.size;
  }

  async listen(): Promise<void> {
    // allowHalfOpen: Node would otherwise answer a client's FIN with its own at once; a Go server closes only when its code says so.
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** Closes the sockets the never-close behaviour left in CLOSE_WAIT (the fix: call Close). */
  closeLeaked(): number {
    const n = this.leaked.size;
    for (const s of this.leaked) this.closeSocket(s, endpointName(s.remoteAddress ?? '?', s.remotePort ?? 0));
    this.leaked.clear();
    return n;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.open) s.destroy();
    this.open.clear();
    this.leaked.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private step(client: string, call: HandshakeCall, bytes?: number, detail?: string): void {
    const s: ServerStep = { client, call };
    if (bytes !== undefined) s.bytes = bytes;
    if (detail !== undefined) s.detail = detail;
    this.options.onStep(s);
  }

  private closeSocket(socket: net.Socket, client: string): void {
    this.step(client, 'close');
    socket.end();
  }

  private accept(socket: net.Socket): void {
    if (!admitConnection(socket, this.open.size, { ...DEMO_CONNECTION_LIMITS, ...this.options.limits })) return;
    const client = endpointName(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    const behaviour = this.behaviour;
    const pause = this.stepDelayMs;
    this.open.add(socket);
    socket.setNoDelay(true);
    this.step(client, 'accept');
    socket.on('error', (err) => this.step(client, 'error', undefined, err.message));
    socket.once('close', () => {
      this.open.delete(socket);
      this.leaked.delete(socket);
    });
    socket.on('data', (data: Buffer) => {
      this.step(client, 'read', data.length);
      if (behaviour === 'echo') {
        socket.write(data);
        this.step(client, 'write', data.length);
      }
    });
    socket.once('end', () => {
      this.step(client, 'eof');
      switch (behaviour) {
        case 'echo':
          this.closeSocket(socket, client);
          break;
        case 'replyAfterEof':
          void this.replyThenClose(socket, client, pause);
          break;
        case 'neverClose':
          this.leaked.add(socket);
          break;
        case 'closeFirst':
          break; // we closed already; Node destroys the socket once both sides have ended
      }
    });
    if (behaviour === 'closeFirst') {
      void delay(pause).then(() => {
        if (socket.destroyed) return;
        const line = Buffer.from('bye\n');
        socket.write(line);
        this.step(client, 'write', line.length);
        this.closeSocket(socket, client);
      });
    }
  }

  /** The client has shut down its sending side; the server still answers, in three writes, then closes. */
  private async replyThenClose(socket: net.Socket, client: string, pause: number): Promise<void> {
    for (const part of ['part 1 of the reply\n', 'part 2 of the reply\n', 'part 3 of the reply\n']) {
      await delay(pause);
      if (socket.destroyed) return;
      socket.write(part);
      this.step(client, 'write', part.length);
    }
    await delay(pause);
    if (!socket.destroyed) this.closeSocket(socket, client);
  }
}

// The TLS echo server of lesson 27: node:tls with the lab's certificate, TLS 1.2 and 1.3 (the client chooses), one
// line back for every line, and every session's secrets handed over as NSS key log lines (Node's 'keylog' event).
import net from 'node:net';
import tls from 'node:tls';
import { DEMO_CONNECTION_LIMITS, admitConnection, type ConnectionLimits } from '../../net/connectionLimits.js';
import { boundPort, listenTcp } from '../../net/listen.js';

/**
 * The groups the server takes key shares for. P-384 is left out on purpose: a client that offers only a P-384 share
 * (and lists P-256 as well) gets a HelloRetryRequest, which the lesson shows.
 */
export const SERVER_GROUPS = 'X25519:P-256';

export interface TlsEchoServerOptions {
  host: string;
  port: number;
  key: string;
  cert: string;
  /** One NSS key log line (with its newline) per secret, as the session derives it. */
  onKeyLog?(line: Buffer, socket: tls.TLSSocket): void;
  /** A TLS handshake that failed (bad client, garbage): what OpenSSL said. */
  onTlsError?(error: Error, socket: tls.TLSSocket): void;
  limits?: ConnectionLimits;
  /** The `--demo-ports` flag, named when the port is taken. */
  flag?: string;
}

export class TlsEchoServer {
  private server: tls.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly options: TlsEchoServerOptions) {}

  get connections(): number {
    return this.sockets.size;
  }

  async listen(): Promise<void> {
    const o = this.options;
    const server = tls.createServer({
      key: o.key,
      cert: o.cert,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ecdhCurve: SERVER_GROUPS,
      ALPNProtocols: ['echo/1'],
      // A handshake that never finishes (nc typing nothing) is dropped rather than held.
      handshakeTimeout: 10_000,
    });
    server.on('connection', (socket: net.Socket) => {
      if (!admitConnection(socket, this.sockets.size, o.limits ?? DEMO_CONNECTION_LIMITS)) return;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('keylog', (line, socket) => o.onKeyLog?.(line, socket));
    server.on('tlsClientError', (err, socket) => o.onTlsError?.(err, socket));
    server.on('secureConnection', (socket) => {
      socket.on('error', () => socket.destroy());
      socket.pipe(socket); // echo: every byte back, so every line comes back as it was sent
    });
    await listenTcp(server, { host: o.host, port: o.port, flag: o.flag ?? '--demo-ports' });
    this.server = server;
    this.port = boundPort(server);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// The lesson-18 upstream: a line server on loopback whose behaviour the demo switches live. healthy: "ok" after a
// small latency; failing: an error line at once; stalled: reads and never answers (the connection stays open);
// down: the listener is closed and its connections reset, so a dial is refused (a restart in progress).
import net from 'node:net';
import { MAX_WAITING_PER_PATH, type UpstreamMode } from '../../../core/protocol/demos/circuitBreaker.js';
import { admitConnection, refusalLine, type ConnectionLimits } from '../../net/connectionLimits.js';
import { boundPort, listenTcp } from '../../net/listen.js';

export const UPSTREAM_OK = 'ok\n';
/** Two paths' calls in flight at the most a run allows, plus room for students' nc clients. */
export const UPSTREAM_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 2 * MAX_WAITING_PER_PATH + 256,
  idleMs: 5 * 60_000,
};

export interface UpstreamOptions {
  host: string;
  port: number;
  flag: string;
}

export class UpstreamServer {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private boundTo = 0;
  mode: UpstreamMode = 'healthy';
  latencyMs = 5;

  constructor(private readonly options: UpstreamOptions) {}

  /** The port it listens on (kept while down, so it comes back where callers expect it). */
  get port(): number {
    return this.boundTo;
  }

  async listen(): Promise<void> {
    const server = net.createServer((s) => this.accept(s));
    await listenTcp(server, { ...this.options, port: this.boundTo || this.options.port });
    this.server = server;
    this.boundTo = boundPort(server);
  }

  async setMode(mode: UpstreamMode, latencyMs = this.latencyMs): Promise<void> {
    const was = this.mode;
    this.mode = mode;
    this.latencyMs = latencyMs;
    if (mode === 'down' && was !== 'down') await this.closeListener();
    else if (mode !== 'down' && was === 'down') await this.listen();
  }

  async close(): Promise<void> {
    await this.closeListener();
  }

  private async closeListener(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    if (!admitConnection(socket, this.sockets.size, UPSTREAM_CONNECTION_LIMITS)) return;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      if (pending.length > 4096) return void socket.destroy();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        pending = pending.slice(nl + 1);
        this.answer(socket);
      }
    });
  }

  private answer(socket: net.Socket): void {
    // The mode when the request arrived decides: a request read while healthy is answered even if a fault follows.
    switch (this.mode) {
      case 'healthy':
        // No latency: answered at once (a timer would add a millisecond to every request of lesson 19's runs).
        if (this.latencyMs === 0) socket.write(UPSTREAM_OK);
        else setTimeout(() => socket.writable && socket.write(UPSTREAM_OK), this.latencyMs);
        return;
      case 'failing':
        socket.write(refusalLine('E_UPSTREAM_FAILED', 'the demo set the upstream to failing'));
        return;
      case 'stalled':
      case 'down':
        return; // read and never answered: the caller's deadline is all that ends its wait
    }
  }
}

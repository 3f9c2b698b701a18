// The lesson-17 server: a line server on loopback behind two token buckets (one per connection, one for all). Each
// request line is answered at once: "ok <line>" when both buckets give a token, otherwise an error line naming the
// bucket and when to retry (lab: E_DEMO_RATE_LIMITED …): a refused client is told, never left hanging.
import net from 'node:net';
import { TokenBucket } from '../../../core/limits/tokenBucket.js';
import type { RateLimitConfig } from '../../../core/protocol/demos/rateLimit.js';
import { RATE_LIMIT_LIMITS } from '../../../core/protocol/demos/rateLimit.js';
import { admitConnection, refusalLine, type ConnectionLimits } from '../../net/connectionLimits.js';
import { boundPort, listenTcp } from '../../net/listen.js';
import { admitRequest } from './requestGate.js';
import { RateLimitWindow } from './rateLimitWindow.js';

/** A request line longer than this closes the connection (the server never buffers without bound). */
export const MAX_LINE_BYTES = 4096;
export const REPLY_OK = 'ok ';

/** A load run's connections plus room for students' nc clients. */
export const RATE_LIMIT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: RATE_LIMIT_LIMITS.connections + 256,
  idleMs: 5 * 60_000,
};

export interface RateLimitServerOptions {
  host: string;
  port: number;
  flag: string;
  config: RateLimitConfig;
  clock?: () => number;
}

export class RateLimitServer {
  private readonly server = net.createServer((s) => this.accept(s));
  private readonly sockets = new Map<net.Socket, TokenBucket>();
  private readonly clock: () => number;
  private global: TokenBucket;
  private window: RateLimitWindow;
  config: RateLimitConfig;

  constructor(private readonly options: RateLimitServerOptions) {
    this.clock = options.clock ?? (() => performance.now());
    this.config = options.config;
    this.global = this.globalBucket();
    this.window = new RateLimitWindow(this.clock());
  }

  get port(): number {
    return boundPort(this.server);
  }

  listen(): Promise<void> {
    return listenTcp(this.server, this.options);
  }

  /** New buckets, full, for everyone (connections stay open). */
  reconfigure(config: RateLimitConfig): void {
    this.config = config;
    this.global = this.globalBucket();
    for (const socket of this.sockets.keys()) this.sockets.set(socket, this.clientBucket());
  }

  /** The statistics window ending now; the next starts. */
  snapshot(targetPerSec: number) {
    const now = this.clock();
    return this.window.close(now, {
      globalLevel: this.global.level(now),
      targetPerSec,
      connections: this.sockets.size,
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets.keys()) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private globalBucket(): TokenBucket {
    return new TokenBucket({ perSecond: this.config.globalRate, burst: this.config.globalBurst, clock: this.clock });
  }

  private clientBucket(): TokenBucket {
    return new TokenBucket({ perSecond: this.config.clientRate, burst: this.config.clientBurst, clock: this.clock });
  }

  private accept(socket: net.Socket): void {
    if (!admitConnection(socket, this.sockets.size, RATE_LIMIT_CONNECTION_LIMITS)) return;
    socket.setNoDelay(true);
    this.sockets.set(socket, this.clientBucket());
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      let replies = '';
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        replies += this.answer(socket, line);
      }
      if (replies) socket.write(replies);
      if (pending.length > MAX_LINE_BYTES) {
        socket.end(refusalLine('E_LINE_TOO_LONG', `a request line is at most ${MAX_LINE_BYTES} bytes`));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private answer(socket: net.Socket, line: string): string {
    const client = this.sockets.get(socket);
    if (!client) return '';
    const now = this.clock();
    const v = admitRequest(client, this.global, now);
    this.window.record(v, this.global.level(now));
    if (v.accepted) return `${REPLY_OK}${line}\n`;
    return refusalLine(
      'E_DEMO_RATE_LIMITED',
      `${v.by} bucket, retry-after-ms=${Number.isFinite(v.retryAfterMs) ? Math.ceil(v.retryAfterMs) : 'never'}`,
    );
  }
}

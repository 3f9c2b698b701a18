// A fleet of real TCP clients that reconnect under one backoff policy whenever their connection is lost or refused,
// counting every attempt per 100 ms. Bounded: at most a given number of attempts, and stop() ends every client.
import net from 'node:net';
import {
  Backoff,
  BucketCounter,
  type BackoffOptions,
  type BackoffPolicy,
} from '../../../core/backoff/backoffPolicy.js';

export interface FleetOptions {
  host: string;
  port: number;
  clients: number;
  policy: BackoffPolicy;
  backoff: BackoffOptions;
  /** Attempts in all; once reached nobody retries (the fleet is `capped`). */
  maxAttempts: number;
  bucketMs: number;
  now?: () => number;
  random?: () => number;
}

interface Client {
  socket: net.Socket | null;
  connected: boolean;
  backoff: Backoff;
  /** Cancels the pending retry. */
  cancel: (() => void) | null;
}

export class ClientFleet {
  attempts = 0;
  failed = 0;
  connected = 0;
  capped = false;
  /** Counting starts at markStart() (the server going down); attempts before it are not in the chart. */
  private counter: BucketCounter | null = null;
  private failedCounter: BucketCounter | null = null;
  private readonly clients: Client[];
  private stopped = false;
  private readonly now: () => number;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: FleetOptions) {
    this.now = options.now ?? (() => performance.now());
    this.clients = Array.from({ length: options.clients }, () => ({
      socket: null,
      connected: false,
      backoff: new Backoff(options.policy, options.backoff, options.random),
      cancel: null,
    }));
  }

  /** Every client dials once. */
  start(): void {
    for (const c of this.clients) this.dial(c);
  }

  /** Bucket 0 starts now; attempts are counted from here on. */
  markStart(): void {
    const t = this.now();
    this.attempts = 0;
    this.failed = 0;
    this.counter = new BucketCounter(this.options.bucketMs, t, this.now);
    this.failedCounter = new BucketCounter(this.options.bucketMs, t, this.now);
  }

  attemptSeries(): number[] {
    return this.counter?.series() ?? [];
  }

  failedSeries(): number[] {
    return this.failedCounter?.series() ?? [];
  }

  /** Resolves when every client is connected, or after `timeoutMs` (false), or when stopped (false). */
  allConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected === this.clients.length) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(ok);
      };
      const check = () => {
        if (this.stopped) done(false);
        else if (this.connected === this.clients.length) done(true);
      };
      this.waiters.push(check);
    });
  }

  /** Closes every client and cancels every pending retry. */
  stop(): void {
    this.stopped = true;
    for (const c of this.clients) {
      c.cancel?.();
      c.cancel = null;
      c.socket?.destroy();
    }
    for (const w of [...this.waiters]) w();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private dial(c: Client): void {
    if (this.stopped) return;
    if (this.attempts >= this.options.maxAttempts) {
      this.capped = true;
      return;
    }
    this.attempts++;
    this.counter?.add();
    const socket = net.connect({ host: this.options.host, port: this.options.port });
    c.socket = socket;
    let failed = false;
    socket.on('connect', () => {
      // A connect to a port nobody listens on can be given that same port as its own: a self-connection, not the server.
      if (socket.localPort === socket.remotePort && socket.localAddress === socket.remoteAddress) {
        failed = true;
        socket.destroy();
        return;
      }
      c.connected = true;
      c.backoff.reset();
      this.connected++;
      this.notify();
    });
    socket.on('error', () => {
      if (!c.connected) failed = true;
    });
    socket.on('close', () => {
      if (c.socket !== socket) return;
      c.socket = null;
      if (c.connected) {
        c.connected = false;
        this.connected--;
      } else if (failed) {
        this.failed++;
        this.failedCounter?.add();
      }
      this.retryLater(c);
    });
  }

  private retryLater(c: Client): void {
    if (this.stopped) return;
    const wait = c.backoff.next();
    // Without backoff the retry is immediate: the next turn of the event loop, not a timer's minimum delay.
    if (wait === 0) {
      const immediate = setImmediate(() => this.dial(c));
      c.cancel = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(() => this.dial(c), wait);
      c.cancel = () => clearTimeout(timer);
    }
  }
}

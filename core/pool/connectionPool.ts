// A connection pool's bookkeeping: at most maxOpen connections (in use, idle or being dialled), at most maxIdle kept
// idle, idle ones closed after idleTimeoutMs, callers queued (bounded, with a deadline) when maxOpen is reached, and a
// health check on checkout that discards a connection the peer closed or reset instead of handing it out. Idle
// connections are reused newest first (LIFO), as Go's net/http Transport and database/sql do. The dial, close and
// health probe are injected, and so are the clock and the timer, so the pool is tested without sockets or real time.
import type { Clock } from '../budget/rateBudget.js';
import { LabError } from '../protocol/errors.js';

export interface PoolSettings {
  /** Connections open at once, in use + idle + being dialled (Go: MaxConnsPerHost, db.SetMaxOpenConns). */
  maxOpen: number;
  /** Idle connections kept for reuse; one more given back is closed (Go: MaxIdleConnsPerHost, SetMaxIdleConns). */
  maxIdle: number;
  /** An idle connection unused this long is closed; 0 keeps it (Go: IdleConnTimeout, SetConnMaxIdleTime). */
  idleTimeoutMs: number;
  /** Callers that may wait for a connection at once; one more is refused at once (E_POOL_QUEUE_FULL). */
  maxWaiting: number;
  /** How long a caller waits for a connection before E_POOL_WAIT_TIMEOUT. */
  waitTimeoutMs: number;
  /** Probe an idle connection before handing it out and discard it when the peer has closed or reset it. */
  healthCheck: boolean;
}

export interface PoolIo<C> {
  dial(): Promise<C>;
  close(conn: C): void;
  /** False when the peer closed or reset the connection (what the health check asks). */
  healthy(conn: C): boolean;
  clock: Clock;
  /** Calls fn after ms; the returned function cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export interface PoolCounters {
  /** Connections dialled successfully (each one a TCP handshake). */
  dials: number;
  dialFailures: number;
  /** Checkouts served by an idle connection (or one handed straight from a caller that gave it back). */
  reuses: number;
  /** Idle connections the health check found closed or reset and discarded instead of handing out. */
  discardedUnhealthy: number;
  closedIdleTimeout: number;
  closedOverMaxIdle: number;
  /** Connections given back as broken (the caller's request on it failed). */
  closedBroken: number;
  /** Callers that had to wait, of them those whose wait timed out, and those refused because the queue was full. */
  waited: number;
  waitTimeouts: number;
  queueFull: number;
}

export interface PoolGauges {
  open: number;
  idle: number;
  inUse: number;
  dialing: number;
  waiting: number;
}

export interface Lease<C> {
  conn: C;
  /** True when the connection was used before (no handshake for this checkout). */
  reused: boolean;
}

interface Waiter<C> {
  resolve(lease: Lease<C>): void;
  reject(err: unknown): void;
  cancelTimer: () => void;
}

/** Checks settings the way the lab's command schema does, for callers that build a pool themselves. */
export function checkPoolSettings(s: PoolSettings): void {
  const whole = (name: keyof PoolSettings, min: number) => {
    const v = s[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
  };
  whole('maxOpen', 1);
  whole('maxIdle', 0);
  whole('idleTimeoutMs', 0);
  whole('maxWaiting', 0);
  whole('waitTimeoutMs', 1);
}

export class ConnectionPool<C> {
  private readonly idleList: { conn: C; since: number }[] = [];
  private readonly inUse = new Set<C>();
  private readonly waiters: Waiter<C>[] = [];
  private dialing = 0;
  private closed = false;
  private cancelPrune: (() => void) | null = null;
  readonly counters: PoolCounters = {
    dials: 0,
    dialFailures: 0,
    reuses: 0,
    discardedUnhealthy: 0,
    closedIdleTimeout: 0,
    closedOverMaxIdle: 0,
    closedBroken: 0,
    waited: 0,
    waitTimeouts: 0,
    queueFull: 0,
  };

  constructor(
    readonly settings: PoolSettings,
    private readonly io: PoolIo<C>,
  ) {
    checkPoolSettings(settings);
  }

  gauges(): PoolGauges {
    const idle = this.idleList.length;
    const inUse = this.inUse.size;
    return { open: idle + inUse + this.dialing, idle, inUse, dialing: this.dialing, waiting: this.waiters.length };
  }

  /** The idle connections, oldest first (the demo resets exactly these with the proxy's fault). */
  idleConnections(): C[] {
    return this.idleList.map((e) => e.conn);
  }

  /** A connection for one caller: an idle one (newest first), a new one, or a wait in the queue. */
  acquire(): Promise<Lease<C>> {
    if (this.closed) return Promise.reject(new LabError('E_POOL_CLOSED'));
    this.prune();
    const idle = this.takeIdle();
    if (idle !== null) return Promise.resolve({ conn: idle, reused: true });
    if (this.gauges().open < this.settings.maxOpen) return this.dialNew();
    if (this.waiters.length >= this.settings.maxWaiting) {
      this.counters.queueFull++;
      return Promise.reject(
        new LabError('E_POOL_QUEUE_FULL', `${this.waiters.length} callers already wait (maxWaiting)`),
      );
    }
    this.counters.waited++;
    return new Promise<Lease<C>>((resolve, reject) => {
      const waiter: Waiter<C> = {
        resolve,
        reject,
        cancelTimer: this.io.setTimer(() => {
          const i = this.waiters.indexOf(waiter);
          if (i < 0) return;
          this.waiters.splice(i, 1);
          this.counters.waitTimeouts++;
          reject(new LabError('E_POOL_WAIT_TIMEOUT', `no connection within ${this.settings.waitTimeoutMs} ms`));
        }, this.settings.waitTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Gives a connection back. broken: the caller's request on it failed, so it is closed, never reused. Otherwise
   * the first waiting caller gets it at once; else it goes idle, or is closed when maxIdle are idle already.
   */
  release(conn: C, broken = false): void {
    if (!this.inUse.delete(conn)) throw new RangeError('release of a connection the pool did not hand out');
    if (broken || this.closed) {
      if (broken) this.counters.closedBroken++;
      this.io.close(conn);
      this.serveWaiters();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.cancelTimer();
      this.inUse.add(conn);
      this.counters.reuses++;
      waiter.resolve({ conn, reused: true });
      return;
    }
    if (this.idleList.length >= this.settings.maxIdle) {
      this.counters.closedOverMaxIdle++;
      this.io.close(conn);
      return;
    }
    this.idleList.push({ conn, since: this.io.clock() });
    this.schedulePrune();
  }

  /** Closes the idle connections now and refuses new checkouts; connections in use close when given back. */
  close(): void {
    this.closed = true;
    this.cancelPrune?.();
    this.cancelPrune = null;
    for (const e of this.idleList.splice(0)) this.io.close(e.conn);
    for (const w of this.waiters.splice(0)) {
      w.cancelTimer();
      w.reject(new LabError('E_POOL_CLOSED'));
    }
  }

  /** Closes idle connections unused for idleTimeoutMs (the pool calls it on a timer and on every checkout). */
  prune(): void {
    const limit = this.settings.idleTimeoutMs;
    if (limit <= 0) return;
    const now = this.io.clock();
    let expired = 0;
    // Oldest first: the list is in the order connections went idle.
    while (expired < this.idleList.length && now - this.idleList[expired]!.since >= limit) expired++;
    if (expired === 0) return;
    for (const e of this.idleList.splice(0, expired)) {
      this.counters.closedIdleTimeout++;
      this.io.close(e.conn);
    }
    this.serveWaiters();
  }

  private takeIdle(): C | null {
    for (;;) {
      const e = this.idleList.pop();
      if (!e) return null;
      if (this.settings.healthCheck && !this.io.healthy(e.conn)) {
        this.counters.discardedUnhealthy++;
        this.io.close(e.conn);
        continue;
      }
      this.inUse.add(e.conn);
      this.counters.reuses++;
      return e.conn;
    }
  }

  private async dialNew(): Promise<Lease<C>> {
    this.dialing++;
    let conn: C;
    try {
      conn = await this.io.dial();
    } catch (err) {
      this.dialing--;
      this.counters.dialFailures++;
      this.serveWaiters();
      throw err;
    }
    this.dialing--;
    this.counters.dials++;
    if (this.closed) {
      this.io.close(conn);
      throw new LabError('E_POOL_CLOSED');
    }
    this.inUse.add(conn);
    return { conn, reused: false };
  }

  /** A slot came free (a connection closed): the first waiting callers dial in it. */
  private serveWaiters(): void {
    while (this.waiters.length > 0 && this.gauges().open < this.settings.maxOpen) {
      const w = this.waiters.shift()!;
      w.cancelTimer();
      this.dialNew().then(w.resolve, w.reject);
    }
  }

  private schedulePrune(): void {
    if (this.settings.idleTimeoutMs <= 0 || this.cancelPrune || this.idleList.length === 0) return;
    const due = this.idleList[0]!.since + this.settings.idleTimeoutMs - this.io.clock();
    this.cancelPrune = this.io.setTimer(
      () => {
        this.cancelPrune = null;
        this.prune();
        this.schedulePrune();
      },
      Math.max(0, due),
    );
  }
}

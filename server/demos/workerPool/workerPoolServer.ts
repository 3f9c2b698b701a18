// The lesson-9 server: a real TCP listener whose connections are read by one goroutine each on the lab's runtime;
// every request line becomes a job on a buffered `jobs` channel (capacity Q) served by K worker goroutines, which
// do the simulated work and write "done <line>". In 'unbounded' mode each connection's goroutine does the work
// itself (concurrency = number of requests). Changing the configuration starts a fresh runtime (and closes clients).
import net from 'node:net';
import type { WorkerPoolConfig } from '../../../core/protocol/demos/workerPool.js';
import { admitConnection, WORKER_POOL_CONNECTION_LIMITS, type ConnectionLimits } from '../../net/connectionLimits.js';
import { GoConn } from '../../net/goConn.js';
import { readAsGoroutine, writeAsGoroutine } from '../../net/goroutineConn.js';
import { boundPort, listenTcp } from '../../net/listen.js';
import {
  Chan,
  close,
  createRuntime,
  recvCase,
  select,
  sendCase,
  time,
  WaitGroup,
  withRuntime,
  type Runtime,
  type RuntimeListener,
} from '../../../core/runtime/index.js';
import { PoolStatsWindow, type PoolGauges } from './poolStats.js';

/** A request line longer than this closes the connection (the server never buffers without bound). */
export const MAX_LINE_BYTES = 4096;
export const REPLY_DONE = 'done ';
export const REPLY_BUSY = 'busy ';

export interface WorkerPoolServerOptions {
  host: string;
  port: number;
  flag: string;
  config: WorkerPoolConfig;
  /** The runtime's instrumentation hook (goroutine events); absent for uninstrumented runs (benchmarks). */
  onGoEvent?: RuntimeListener;
  /** Called when a new runtime starts (a new configuration). */
  onRuntime?(rt: Runtime): void;
  /** Connection cap and idle timeout (default WORKER_POOL_CONNECTION_LIMITS). */
  limits?: Partial<ConnectionLimits>;
}

class Job {
  constructor(
    readonly conn: GoConn,
    readonly line: string,
    /** performance.now() when the line was read. */
    readonly readAt: number,
  ) {}

  /** How the job appears on the timeline's hand-off arrows: the connection and the request, not the socket. */
  toString(): string {
    return `${this.conn.id}: ${this.line}`;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One configuration's goroutines: the runtime, the jobs channel, the workers, the connections' readers. */
class PoolRun {
  readonly rt: Runtime;
  readonly jobs: Chan<Job> | null;
  readonly done: Chan<void>;
  private readonly readers: WaitGroup;
  private readonly workerGroup: WaitGroup;
  private readonly release: () => void;
  readonly conns = new Set<GoConn>();
  busy = 0;
  inFlight = 0;
  readonly stats: PoolStatsWindow;

  constructor(
    readonly config: WorkerPoolConfig,
    onGoEvent: RuntimeListener | undefined,
  ) {
    const rt = createRuntime({ onEvent: onGoEvent, creationSites: 300 });
    this.rt = rt;
    this.stats = new PoolStatsWindow(performance.now());
    // The listening socket can always bring new work: not a deadlock while the server runs.
    this.release = rt.keepAlive();
    this.done = new Chan<void>(rt, 0, { name: 'done' });
    this.jobs = config.mode === 'pool' ? new Chan<Job>(rt, config.queue, { name: 'jobs' }) : null;
    [this.readers, this.workerGroup] = withRuntime(rt, () => [new WaitGroup('readers'), new WaitGroup('workers')]);
    if (this.jobs) {
      for (let i = 1; i <= config.workers; i++) {
        this.workerGroup.add(1);
        rt.go(this.worker, i);
      }
    }
  }

  get queueLen(): number {
    return this.jobs ? this.jobs.len() : 0;
  }

  /** `for job := range jobs { reply(job, work(job)) }` */
  private readonly worker = async (_id: number): Promise<void> => {
    const jobs = this.jobs!;
    try {
      for await (const job of jobs) {
        this.started();
        await this.work();
        await this.answer(job, REPLY_DONE);
        this.finished();
      }
    } finally {
      this.workerGroup.done();
    }
  };

  /** A connection's goroutine: reads request lines; hands each to the pool (or serves it itself when unbounded). */
  readonly serveConn = async (conn: GoConn): Promise<void> => {
    const buf = new Uint8Array(8 * 1024);
    let pending = '';
    try {
      for (;;) {
        const [n, err] = await readAsGoroutine(this.rt, conn, buf);
        if (err) return;
        pending += decoder.decode(buf.subarray(0, n), { stream: true });
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
          const line = pending.slice(0, nl).replace(/\r$/, '');
          pending = pending.slice(nl + 1);
          const job = new Job(conn, line, performance.now());
          this.inFlight++;
          if (!(await this.dispatch(job))) return;
        }
        if (pending.length > MAX_LINE_BYTES) return;
      }
    } finally {
      conn.destroy();
      this.readers.done();
    }
  };

  /** Hands a job on; false when the server is shutting down. */
  private async dispatch(job: Job): Promise<boolean> {
    const jobs = this.jobs;
    if (jobs === null) {
      // Unbounded: this connection's goroutine does the work; as many at once as there are requests.
      this.started();
      await this.work();
      await this.answer(job, REPLY_DONE);
      this.finished();
      return true;
    }
    if (this.config.whenFull === 'reject') {
      // select { case jobs <- job: default: reply busy } — never waits for a full queue.
      const sel = await select([sendCase(jobs, job)], { default: () => undefined });
      if (sel.index === -1) {
        this.stats.rejectedOne();
        await this.answer(job, REPLY_BUSY);
        this.inFlight--;
      }
      this.stats.observe(this.queueLen, this.busy);
      return true;
    }
    // select { case jobs <- job: case <-done: } — waits while the queue is full (back-pressure on this client).
    const sel = await select([sendCase(jobs, job), recvCase(this.done)]);
    this.stats.observe(this.queueLen, this.busy);
    return sel.index === 0;
  }

  private started(): void {
    this.busy++;
    this.stats.observe(this.queueLen, this.busy);
  }

  private finished(): void {
    this.busy--;
  }

  private async work(): Promise<void> {
    const ms = this.config.workMs;
    if (ms <= 0) return;
    if (this.config.work === 'sleep') {
      await time.sleep(ms);
      return;
    }
    // A CPU loop holds Node's one thread: no other goroutine runs meanwhile, whatever K is.
    const end = performance.now() + ms;
    while (performance.now() < end) {
      /* spin */
    }
  }

  private async answer(job: Job, status: string): Promise<void> {
    await writeAsGoroutine(this.rt, job.conn, encoder.encode(`${status}${job.line}\n`));
    if (status === REPLY_DONE) {
      this.inFlight--;
      this.stats.completedOne(performance.now() - job.readAt);
    }
  }

  accept(conn: GoConn): void {
    this.conns.add(conn);
    conn.socket.once('close', () => this.conns.delete(conn));
    this.readers.add(1);
    this.rt.go(this.serveConn, conn);
  }

  /**
   * Graceful shutdown, Go-style: close(done) releases readers waiting on a full queue, closing the connections ends
   * the others' reads; once every reader is gone, close(jobs) ends the workers' range loops.
   */
  async shutdown(): Promise<void> {
    if (this.rt.stopped) return;
    const finished = new Promise<void>((resolve) => {
      this.rt.go(async function shutdown(run: PoolRun): Promise<void> {
        close(run.done);
        for (const c of run.conns) c.destroy();
        await run.readers.wait();
        if (run.jobs) close(run.jobs);
        await run.workerGroup.wait();
        resolve();
      }, this);
    });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1500).unref());
    await Promise.race([finished, timeout]);
    this.release();
    this.rt.stop();
  }
}

export class WorkerPoolServer {
  private readonly server: net.Server;
  private run: PoolRun;
  private nextId = 1;

  constructor(private readonly options: WorkerPoolServerOptions) {
    this.server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.run = new PoolRun(options.config, options.onGoEvent);
    options.onRuntime?.(this.run.rt);
  }

  get port(): number {
    return boundPort(this.server);
  }

  get config(): WorkerPoolConfig {
    return this.run.config;
  }

  get runtime(): Runtime {
    return this.run.rt;
  }

  async listen(): Promise<void> {
    await listenTcp(this.server, this.options);
  }

  /** Replaces the pool with one of a new configuration; open connections are closed. */
  async reconfigure(config: WorkerPoolConfig): Promise<void> {
    const old = this.run;
    await old.shutdown();
    this.run = new PoolRun(config, this.options.onGoEvent);
    this.options.onRuntime?.(this.run.rt);
  }

  /** The live figures the stats events carry (everything but the window's counts). */
  gauges(loadRunning: boolean): PoolGauges {
    const r = this.run;
    return {
      mode: r.config.mode,
      workers: r.config.mode === 'pool' ? r.config.workers : r.busy,
      queueCap: r.config.mode === 'pool' ? r.config.queue : 0,
      workMs: r.config.workMs,
      queueLen: r.queueLen,
      busy: r.busy,
      inFlight: r.inFlight,
      goroutines: r.rt.live,
      connections: r.conns.size,
      loadRunning,
    };
  }

  /** Closes the current statistics window. */
  snapshot(loadRunning: boolean): ReturnType<PoolStatsWindow['snapshot']> {
    return this.run.stats.snapshot(performance.now(), this.gauges(loadRunning));
  }

  private accept(socket: net.Socket): void {
    if (!admitConnection(socket, this.run.conns.size, { ...WORKER_POOL_CONNECTION_LIMITS, ...this.options.limits }))
      return;
    const conn = new GoConn(socket, { id: `w${this.nextId++}` });
    socket.on('error', () => {});
    this.run.accept(conn);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.run.shutdown();
    await closed;
  }
}

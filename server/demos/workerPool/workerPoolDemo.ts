// The worker-pool demo of lesson 9: the pool server on loopback, its statistics every half second, its goroutine
// events (while they stay under a budget), and bounded load runs from the lab's load generator.
import { LabError } from '../../../core/protocol/errors.js';
import {
  WORKER_POOL_COMMANDS,
  WORKER_POOL_DEMO,
  WorkerPoolConfigureArgs,
  type WorkerPoolLoadArgs,
  type WorkerPoolConfig,
  type WorkerPoolLoadResult,
} from '../../../core/protocol/demos/workerPool.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { runRoundTripLoad } from '../../load/roundTripLoad.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { OwnedRun } from '../ownedRun.js';
import { labErrorOf, mayChangeShared } from '../sharedControl.js';
import { GoEventBudget } from './goEventBudget.js';
import { REPLY_DONE, WorkerPoolServer } from './workerPoolServer.js';

export const STATS_INTERVAL_MS = 500;
/** Goroutine events per second sent to browsers before the demo switches to summaries. */
export const GO_EVENT_BUDGET = 4000;
/** The load generator's request line ("xxxxxxx\n") and the server's reply to it ("done xxxxxxx\n"). */
const LOAD_MESSAGE_BYTES = 8;

export const DEFAULT_CONFIG: WorkerPoolConfig = WorkerPoolConfigureArgs.parse({});

export class WorkerPoolDemo implements Demo {
  readonly id = WORKER_POOL_DEMO;
  readonly title = { en: 'Worker pool on TCP', zh: 'TCP 上的工作池' };
  readonly portCount = 1;

  private server: WorkerPoolServer | null = null;
  private readonly life = new DemoLifecycle({
    stats: { intervalMs: STATS_INTERVAL_MS, publish: () => this.publishStats(), publishOnStop: false },
  });
  private readonly budget = new GoEventBudget(GO_EVENT_BUDGET, () => performance.now());
  private readonly load = new OwnedRun<WorkerPoolLoadResult>('a load run');

  private get host(): string {
    return this.life.host;
  }

  private get emit(): DemoContext['emit'] {
    return this.life.emit;
  }

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const server = new WorkerPoolServer({
      host: ctx.host,
      port: ctx.port(0),
      flag: '--demo-ports',
      config: DEFAULT_CONFIG,
      onGoEvent: (e) => {
        if (e.kind === 'go.runStart' || e.kind === 'go.runEnd' || this.budget.allow()) ctx.emit(e);
        else if (this.budget.suppressed === 1) {
          ctx.emit({
            kind: 'workerPool.trace',
            source: 'observed',
            streaming: false,
            suppressed: 1,
            budgetPerSec: GO_EVENT_BUDGET,
          });
        }
      },
      onRuntime: () => this.budget.reset(),
    });
    await server.listen();
    this.server = server;
    this.life.listening('worker-pool', server.port);
    ctx.emit({ kind: 'workerPool.config', source: 'observed', config: server.config, port: server.port });
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      await this.load.abortAndWait();
      const server = this.server;
      this.server = null;
      if (!server) return false;
      await server.close();
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.server) return [];
    const port = this.server.port;
    return [{ name: 'worker-pool', protocol: 'tcp', host: this.host, port, tryWith: `nc ${this.host} ${port}` }];
  }

  readonly commands = demoCommands(WORKER_POOL_COMMANDS, {
    // The pool is one server every page sees: the instructor changes it; a load run is its starter's (sharedControl.ts).
    configure: (args, caller) => {
      const refusal = mayChangeShared(caller, 'the worker pool');
      if (refusal) throw labErrorOf(refusal);
      this.load.checkStart(caller);
      return this.configure(args);
    },
    load: (args, caller) => {
      this.load.checkStart(caller);
      return this.startLoad(args, caller.session, caller);
    },
    stopLoad: (_args, caller) => this.load.stop(caller),
  });

  private requireServer(): WorkerPoolServer {
    if (!this.server) throw new LabError('E_ACTION_FAILED', 'the worker-pool server is not running');
    return this.server;
  }

  /** Restarts the pool with a new configuration (open connections are closed). Not while a load run is going. */
  async configure(config: WorkerPoolConfig): Promise<{ config: WorkerPoolConfig }> {
    const server = this.requireServer();
    if (this.load.current)
      throw new LabError('E_ACTION_FAILED', 'a load run is going: stop it before changing the pool');
    await server.reconfigure(config);
    this.emit({ kind: 'workerPool.config', source: 'observed', config, port: server.port });
    return { config };
  }

  /** Starts a load run and returns once it has started; its end is published as workerPool.loadEnd. */
  startLoad(
    args: WorkerPoolLoadArgs,
    session: string,
    caller?: CommandCaller,
  ): { started: true; connections: number; durationMs: number } {
    void this.beginLoad(args, session, caller?.local).catch(() => undefined);
    return { started: true, connections: args.connections, durationMs: args.durationMs };
  }

  /** Runs load to its end (the headless scenario and tests wait on this). */
  runLoad(args: WorkerPoolLoadArgs, session = 'headless'): Promise<WorkerPoolLoadResult> {
    return this.beginLoad(args, session);
  }

  /** The browser that started a load run left: its run stops (nobody is watching it). */
  sessionClosed(session: string): void {
    this.load.sessionClosed(session);
  }

  private beginLoad(args: WorkerPoolLoadArgs, session: string, local?: boolean): Promise<WorkerPoolLoadResult> {
    const server = this.requireServer();
    return this.load.start(
      { session, local },
      async (signal) => {
        this.emit({
          kind: 'workerPool.loadStart',
          source: 'observed',
          connections: args.connections,
          durationMs: args.durationMs,
          ...(args.ratePerConnection ? { ratePerConnection: args.ratePerConnection } : {}),
        });
        try {
          const r = await runRoundTripLoad({
            host: this.host,
            port: server.port,
            connections: args.connections,
            messageBytes: LOAD_MESSAGE_BYTES,
            replyBytes: LOAD_MESSAGE_BYTES + REPLY_DONE.length,
            durationMs: args.durationMs,
            ratePerConnection: args.ratePerConnection,
            signal,
          });
          const result: WorkerPoolLoadResult = { ...r, stoppedEarly: signal.aborted };
          this.emit({ kind: 'workerPool.loadEnd', source: 'observed', ...result });
          return result;
        } catch (err) {
          this.emit({
            kind: 'demo.error',
            source: 'observed',
            error: new LabError('E_ACTION_FAILED', `load run failed: ${String(err)}`).toWire(),
          });
          throw err;
        }
      },
      undefined,
    );
  }

  private publishStats(): void {
    if (!this.server) return;
    this.emit({ kind: 'workerPool.stats', source: 'observed', ...this.server.snapshot(this.load.current !== null) });
  }

  /** Headless scenario: K=2 workers, 20 ms of work; 2 clients (no queueing) then 8 clients (queueing), 1.5 s each. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    await this.configure({ ...DEFAULT_CONFIG, workers: 2, queue: 4, workMs: 20 });
    for (const connections of [2, 8]) {
      if (signal.aborted) return;
      await this.runLoad({ connections, durationMs: 1500 });
      await delay(STATS_INTERVAL_MS + 50);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The rate-limit demo of lesson 17: the limited line server on loopback, its statistics four times a second, and
// bounded load runs that offer requests at a staircase of rates from the lab's open-loop load generator.
import { LabError } from '../../../core/protocol/errors.js';
import {
  RATE_LIMIT_COMMANDS,
  RATE_LIMIT_DEMO,
  RateLimitConfigureArgs,
  type RateLimitConfig,
  type RateLimitLoadArgs,
  type RateLimitLoadResult,
} from '../../../core/protocol/demos/rateLimit.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { runOfferedRateLoad } from '../../load/offeredRateLoad.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { OwnedRun } from '../ownedRun.js';
import { labErrorOf, mayChangeShared } from '../sharedControl.js';
import { RateLimitServer, REPLY_OK } from './rateLimitServer.js';

export const STATS_INTERVAL_MS = 250;
export const DEFAULT_CONFIG: RateLimitConfig = RateLimitConfigureArgs.parse({});

export class RateLimitDemo implements Demo {
  readonly id = RATE_LIMIT_DEMO;
  readonly title = { en: 'Rate-limited line server', zh: '限流的行服务器' };
  readonly portCount = 1;

  private server: RateLimitServer | null = null;
  private readonly life = new DemoLifecycle({
    stats: { intervalMs: STATS_INTERVAL_MS, publish: () => this.publishStats(), publishOnStop: false },
  });
  /** A load run; what it keeps: the rate being offered now (the current step's). */
  private readonly load = new OwnedRun<RateLimitLoadResult, { perSec: number }>('a load run');

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const server = new RateLimitServer({
      host: ctx.host,
      port: ctx.port(0),
      flag: '--demo-ports',
      config: DEFAULT_CONFIG,
    });
    await server.listen();
    this.server = server;
    this.life.listening('rate-limit', server.port);
    ctx.emit({ kind: 'rateLimit.config', source: 'observed', config: server.config, port: server.port });
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
    const { host } = this.life;
    const port = this.server.port;
    return [{ name: 'rate-limit', protocol: 'tcp', host, port, tryWith: `nc ${host} ${port}` }];
  }

  readonly commands = demoCommands(RATE_LIMIT_COMMANDS, {
    // The limiter is one server every page sees: the instructor changes it; a load run is its starter's.
    configure: (args, caller) => {
      const refusal = mayChangeShared(caller, 'the rate limiter');
      if (refusal) throw labErrorOf(refusal);
      return this.configure(args);
    },
    load: (args, caller) => {
      this.load.checkStart(caller);
      void this.runLoad(args, caller.session, caller).catch(() => undefined);
      return { started: true as const, steps: args.steps, stepMs: args.stepMs };
    },
    stopLoad: (_args, caller) => this.load.stop(caller),
  });

  private requireServer(): RateLimitServer {
    if (!this.server) throw new LabError('E_ACTION_FAILED', 'the rate-limit server is not running');
    return this.server;
  }

  configure(config: RateLimitConfig): { config: RateLimitConfig } {
    const server = this.requireServer();
    server.reconfigure(config);
    this.life.emit({ kind: 'rateLimit.config', source: 'observed', config, port: server.port });
    return { config };
  }

  sessionClosed(session: string): void {
    this.load.sessionClosed(session);
  }

  /** Runs load to its end; its start and end are published as events. */
  runLoad(args: RateLimitLoadArgs, session = 'headless', caller?: CommandCaller): Promise<RateLimitLoadResult> {
    const server = this.requireServer();
    const target = { perSec: 0 };
    return this.load.start(
      caller ?? { session },
      async (signal) => {
        this.life.emit({
          kind: 'rateLimit.loadStart',
          source: 'observed',
          connections: args.connections,
          steps: args.steps,
          stepMs: args.stepMs,
        });
        try {
          const r = await runOfferedRateLoad({
            host: this.life.host,
            port: server.port,
            connections: args.connections,
            steps: args.steps,
            stepMs: args.stepMs,
            accepted: (line) => line.startsWith(REPLY_OK),
            onStep: (_i, rate) => (target.perSec = rate),
            signal,
          });
          const result: RateLimitLoadResult = { ...r, stoppedEarly: signal.aborted };
          this.life.emit({ kind: 'rateLimit.loadEnd', source: 'observed', ...result });
          return result;
        } catch (err) {
          this.life.emit({
            kind: 'demo.error',
            source: 'observed',
            error: new LabError('E_ACTION_FAILED', `load run failed: ${String(err)}`).toWire(),
          });
          throw err;
        }
      },
      target,
    );
  }

  private publishStats(): void {
    if (!this.server) return;
    this.life.emit({
      kind: 'rateLimit.stats',
      source: 'observed',
      ...this.server.snapshot(this.load.current?.extra.perSec ?? 0),
    });
  }

  /** Headless scenario: global 200/s (burst 50); 4 clients offer 100, 200, 400 requests/s, 1.5 s each. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    this.configure(DEFAULT_CONFIG);
    if (signal.aborted) return;
    await this.runLoad({ connections: 4, steps: [100, 200, 400], stepMs: 1500 });
  }
}

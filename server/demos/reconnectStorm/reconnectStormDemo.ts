// The reconnect-storm demo of lesson 15: a server on loopback and up to 200 real clients. In a run, for each chosen
// policy, the clients connect, the server goes down and comes back, and the clients reconnect under the policy;
// attempts per 100 ms and the time to recover are published as they happen. One run at a time; it stops by itself.
import { LabError } from '../../../core/protocol/errors.js';
import type { BackoffPolicy } from '../../../core/backoff/backoffPolicy.js';
import {
  RECONNECT_STORM_COMMANDS,
  RECONNECT_STORM_DEMO,
  RECONNECT_STORM_LIMITS,
  ReconnectStormRunArgs,
  STORM_BUCKET_MS,
} from '../../../core/protocol/demos/reconnectStorm.js';
import type { StormPolicyResult } from '../../../core/protocol/events/reconnectStorm.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { OwnedRun, waitOrAbort } from '../ownedRun.js';
import { ClientFleet } from './stormClients.js';
import { StormServer } from './stormServer.js';

/** How long the clients may take to connect before the server goes down. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Pause between two policies, so one policy's last closes do not fall into the next one's chart. */
const BETWEEN_POLICIES_MS = 300;

export class ReconnectStormDemo implements Demo {
  readonly id = RECONNECT_STORM_DEMO;
  readonly title = { en: 'Reconnect storm', zh: '重连风暴' };
  readonly portCount = 1;

  private server: StormServer | null = null;
  private readonly life = new DemoLifecycle({ stats: { intervalMs: 60_000, publish: () => {}, publishOnStop: false } });
  private readonly run = new OwnedRun<StormPolicyResult[]>('a reconnect-storm run');

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const server = new StormServer(ctx.host);
    await server.listen(ctx.port(0));
    this.server = server;
    this.life.listening('reconnect-storm', server.port);
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      await this.run.abortAndWait();
      const server = this.server;
      this.server = null;
      if (!server) return false;
      await server.goDown();
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.server) return [];
    const { port } = this.server;
    const host = this.life.host;
    return [{ name: 'reconnect-storm', protocol: 'tcp', host, port, tryWith: `nc ${host} ${port}` }];
  }

  readonly commands = demoCommands(RECONNECT_STORM_COMMANDS, {
    run: (args, caller) => {
      this.run.checkStart(caller);
      void this.runStorm(args, caller).catch(() => undefined);
      return { started: true as const, policies: args.policies };
    },
    stop: (_args, caller) => this.run.stop(caller),
  });

  sessionClosed(session: string): void {
    this.run.sessionClosed(session);
  }

  /** Runs every chosen policy in turn and resolves with their results (the scenario and tests wait on this). */
  runStorm(args: ReconnectStormRunArgs, caller: CommandCaller = { session: 'headless' }): Promise<StormPolicyResult[]> {
    const server = this.server;
    if (!server) throw new LabError('E_ACTION_FAILED', 'the reconnect-storm server is not running');
    // A page restarting its own run replaces it.
    return this.run.start(
      caller,
      async (signal) => {
        const emit = this.life.emit;
        emit({ kind: 'storm.runStart', source: 'observed', bucketMs: STORM_BUCKET_MS, port: server.port, ...args });
        const results: StormPolicyResult[] = [];
        try {
          for (const policy of args.policies) {
            if (signal.aborted) break;
            results.push(await this.runPolicy(server, policy, args, signal));
            await waitOrAbort(BETWEEN_POLICIES_MS, signal);
          }
        } finally {
          if (!server.up && this.server === server) await server.comeBack().catch(() => undefined);
          emit({ kind: 'storm.runEnd', source: 'observed', stoppedEarly: signal.aborted });
        }
        return results;
      },
      undefined,
      { replaceOwn: true },
    );
  }

  private async runPolicy(
    server: StormServer,
    policy: BackoffPolicy,
    args: ReconnectStormRunArgs,
    signal: AbortSignal,
  ): Promise<StormPolicyResult> {
    const emit = this.life.emit;
    const fleet = new ClientFleet({
      host: this.life.host,
      port: server.port,
      clients: args.clients,
      policy,
      backoff: { baseMs: args.baseMs, capMs: args.capMs },
      maxAttempts: RECONNECT_STORM_LIMITS.attemptsPerPolicy,
      bucketMs: STORM_BUCKET_MS,
    });
    const stopFleet = () => fleet.stop();
    signal.addEventListener('abort', stopFleet, { once: true });
    let ticker: ReturnType<typeof setInterval> | null = null;
    let sent = 0;
    const publishBuckets = (all: boolean) => {
      const attempts = fleet.attemptSeries();
      const failed = fleet.failedSeries();
      // The newest bucket is still filling: it goes out on the next tick (or at the end).
      const upTo = all ? attempts.length : attempts.length - 1;
      for (; sent < upTo; sent++) {
        emit({
          kind: 'storm.bucket',
          source: 'observed',
          policy,
          index: sent,
          attempts: attempts[sent] ?? 0,
          failed: failed[sent] ?? 0,
          connected: fleet.connected,
        });
      }
    };
    try {
      emit({ kind: 'storm.phase', source: 'observed', policy, phase: 'connecting', atMs: 0 });
      fleet.start();
      await fleet.allConnected(CONNECT_TIMEOUT_MS);
      const downAt = performance.now();
      fleet.markStart();
      ticker = setInterval(() => publishBuckets(false), STORM_BUCKET_MS);
      await server.goDown();
      emit({ kind: 'storm.phase', source: 'observed', policy, phase: 'down', atMs: 0 });
      await waitOrAbort(args.downMs, signal);
      if (!signal.aborted) await server.comeBack();
      const upAt = performance.now();
      emit({ kind: 'storm.phase', source: 'observed', policy, phase: 'up', atMs: Math.round(upAt - downAt) });
      // Every client is back within about one cap after the server returns; the rest is a busy machine's margin.
      const recovered = signal.aborted ? false : await fleet.allConnected(2 * args.capMs + 3_000);
      const recoverMs = recovered ? performance.now() - upAt : null;
      publishBuckets(true);
      const series = fleet.attemptSeries();
      const peakPerBucket = Math.max(0, ...series);
      const result: StormPolicyResult = {
        policy,
        clients: args.clients,
        attempts: fleet.attempts,
        failed: fleet.failed,
        peakPerBucket,
        peakBucket: series.indexOf(peakPerBucket),
        recoverMs: recoverMs === null ? null : Math.round(recoverMs),
        connected: fleet.connected,
        capped: fleet.capped,
      };
      emit({ kind: 'storm.policyEnd', source: 'observed', ...result });
      return result;
    } finally {
      if (ticker) clearInterval(ticker);
      signal.removeEventListener('abort', stopFleet);
      fleet.stop();
      if (!server.up) await server.comeBack().catch(() => undefined);
    }
  }

  /** Headless scenario: 50 clients, server down for 1 s, each policy in turn. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    if (signal.aborted) return;
    await this.runStorm(ReconnectStormRunArgs.parse({ clients: 50, downMs: 1_000, baseMs: 50, capMs: 800 }));
  }
}

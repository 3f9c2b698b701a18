// The graceful-shutdown demo of lesson 16: a request server on loopback under load from the lab's load generator,
// shut down hard or gracefully in turn; in-flight requests every 100 ms and what each shutdown lost are published.
// One run at a time; it stops by itself, and the server listens again on the same port afterwards.
import {
  GRACEFUL_SHUTDOWN_COMMANDS,
  GRACEFUL_SHUTDOWN_DEMO,
  ShutdownRunArgs,
  type ShutdownMode,
} from '../../../core/protocol/demos/gracefulShutdown.js';
import { LabError } from '../../../core/protocol/errors.js';
import type { ShutdownResult } from '../../../core/protocol/events/gracefulShutdown.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { OwnedRun, waitOrAbort } from '../ownedRun.js';
import { RequestServer } from './requestServer.js';
import { ShutdownLoad } from './shutdownLoad.js';

const SAMPLE_MS = 100;
/** Work per request of the server between runs (what nc sees). */
const IDLE_WORK_MS = 300;
/** Samples after the server exited, so the chart shows it at zero. */
const TAIL_MS = 300;

export class GracefulShutdownDemo implements Demo {
  readonly id = GRACEFUL_SHUTDOWN_DEMO;
  readonly title = { en: 'Graceful shutdown', zh: '优雅关闭' };
  readonly portCount = 1;

  private server: RequestServer | null = null;
  private port = 0;
  private readonly life = new DemoLifecycle({ stats: { intervalMs: 60_000, publish: () => {}, publishOnStop: false } });
  private readonly run = new OwnedRun<ShutdownResult[]>('a shutdown run');

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    const server = new RequestServer(ctx.host, IDLE_WORK_MS);
    await server.listen(ctx.port(0));
    this.server = server;
    this.port = server.boundPort;
    this.life.listening('graceful-shutdown', this.port);
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      await this.run.abortAndWait();
      const server = this.server;
      this.server = null;
      if (!server) return false;
      await server.stopHard();
      return true;
    });
  }

  endpoints(): DemoEndpoint[] {
    if (!this.server) return [];
    const host = this.life.host;
    return [{ name: 'graceful-shutdown', protocol: 'tcp', host, port: this.port, tryWith: `nc ${host} ${this.port}` }];
  }

  readonly commands = demoCommands(GRACEFUL_SHUTDOWN_COMMANDS, {
    run: (args, caller) => {
      this.run.checkStart(caller);
      if (this.run.current) throw new LabError('E_ACTION_FAILED', 'a shutdown run is already going: stop it first');
      void this.runShutdowns(args, caller).catch(() => undefined);
      return { started: true as const, modes: args.modes };
    },
    stop: (_args, caller) => this.run.stop(caller),
  });

  sessionClosed(session: string): void {
    this.run.sessionClosed(session);
  }

  /** Runs each mode in turn; resolves with their results (the scenario and tests wait on this). */
  runShutdowns(args: ShutdownRunArgs, caller: CommandCaller = { session: 'headless' }): Promise<ShutdownResult[]> {
    const server = this.server;
    if (!server) throw new LabError('E_ACTION_FAILED', 'the graceful-shutdown server is not running');
    return this.run.start(
      caller,
      async (signal) => {
        this.life.emit({ kind: 'shutdown.runStart', source: 'observed', port: this.port, ...args });
        const results: ShutdownResult[] = [];
        try {
          for (const mode of args.modes) {
            if (signal.aborted) break;
            results.push(await this.runMode(server, mode, args, signal));
          }
        } finally {
          if (!server.listening && this.server === server)
            await server.listen(this.port, IDLE_WORK_MS).catch(() => undefined);
          this.life.emit({ kind: 'shutdown.runEnd', source: 'observed', stoppedEarly: signal.aborted });
        }
        return results;
      },
      undefined,
    );
  }

  private async runMode(
    server: RequestServer,
    mode: ShutdownMode,
    args: ShutdownRunArgs,
    signal: AbortSignal,
  ): Promise<ShutdownResult> {
    const emit = this.life.emit;
    // A fresh server for each mode: the one between runs (or the last mode's) stops first, its clients with it.
    await server.stopHard();
    await server.listen(this.port, args.workMs);
    const load = new ShutdownLoad(this.life.host, this.port);
    const began = performance.now();
    const at = () => Math.round(performance.now() - began);
    const sampler = setInterval(
      () =>
        emit({
          kind: 'shutdown.sample',
          source: 'observed',
          mode,
          atMs: at(),
          inFlight: server.inFlight,
          connections: server.connections,
        }),
      SAMPLE_MS,
    );
    try {
      emit({ kind: 'shutdown.phase', source: 'observed', mode, phase: 'load', atMs: 0 });
      await load.start(args.clients);
      await waitOrAbort(args.loadMs, signal);
      const shutdownAt = performance.now();
      emit({ kind: 'shutdown.phase', source: 'observed', mode, phase: 'shutdown', atMs: at() });
      if (mode === 'hard' || signal.aborted) await server.stopHard();
      else await server.shutdown(args.deadlineMs);
      const drainMs = Math.round(performance.now() - shutdownAt);
      emit({ kind: 'shutdown.phase', source: 'observed', mode, phase: 'exited', atMs: at() });
      // The clients' last closes and their one retry each arrive within a moment on loopback.
      await waitOrAbort(TAIL_MS, signal);
      const result: ShutdownResult = {
        mode,
        read: server.counts.read,
        answered: server.counts.answered,
        lostInFlight: server.counts.lostInFlight,
        cutAtDeadline: server.counts.cutAtDeadline,
        unanswered: load.counts.unanswered,
        refusedConnects: load.counts.refusedConnects,
        drainMs,
      };
      emit({ kind: 'shutdown.result', source: 'observed', ...result });
      return result;
    } finally {
      clearInterval(sampler);
      load.stop();
    }
  }

  /** Headless scenario: 20 clients, 300 ms of work, hard then graceful. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    if (signal.aborted) return;
    await this.runShutdowns(ShutdownRunArgs.parse({}));
  }
}

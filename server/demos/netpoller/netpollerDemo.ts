// The netpoller demo of lesson 30: the same echo job done by three real servers — Go (a goroutine per connection
// on the netpoller), Node (one JS thread on libuv's epoll) and a thread per connection — each measured in turn
// under the same idle and busy connections: threads and memory from /proc, CPU from each thread's stat, and
// system calls by kind from strace. Without Go, the Go servers' figures are the lab's recording, labelled so.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import {
  NETPOLLER_COMMANDS,
  NETPOLLER_DEMO,
  NetpollerRunArgs,
  type NetpollerServer,
} from '../../../core/protocol/demos/netpoller.js';
import { LabError, wireError } from '../../../core/protocol/errors.js';
import type { NetpollerMachine, NetpollerPhase, ServerMeasurement } from '../../../core/protocol/events/netpoller.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { findGoToolchain, type GoToolchain } from '../../gorun/goToolchain.js';
import { defaultLabCacheDir } from '../../gorun/goRunner.js';
import { readProcessStatus, readTaskIds, readTaskStats } from '../../observers/process/processSampler.js';
import { taskActivity } from '../../observers/process/processStatus.js';
import { countSyscalls } from '../../observers/process/syscallCounter.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { waitOrAbort } from '../ownedRun.js';
import { labErrorOf, mayStart, mayStop, ownerOf, type RunOwner } from '../sharedControl.js';
import { EchoLoad } from './echoLoad.js';
import { EchoServers } from './echoServers.js';
import { cpuModel, syscallRates } from './netpollerFigures.js';

/** After the last connection opens, before measuring: the servers' accept backlogs and thread starts settle. */
const SETTLE_MS = 500;
/** The servers are the machine's own processes being measured: loopback, whatever address the lab serves on. */
const LOOPBACK = '127.0.0.1';
const RECORDING = new URL('./recordedRun.json', import.meta.url);

export interface NetpollerDemoOptions {
  /** The go command (tests name a missing one to see the recorded figures). */
  go?: string;
  /** The strace command and any words before it (tests run it through setpriv). */
  tracer?: readonly string[];
  cacheDir?: string;
}

/** The recording shipped with the lab (made by its own run; see README), used where Go is missing. */
export interface NetpollerRecording {
  at: string;
  machine: NetpollerMachine;
  results: ServerMeasurement[];
}

export function loadRecording(): NetpollerRecording | null {
  try {
    const r = JSON.parse(readFileSync(RECORDING, 'utf8')) as NetpollerRecording;
    return Array.isArray(r.results) && typeof r.at === 'string' ? r : null;
  } catch {
    return null;
  }
}

export class NetpollerDemo implements Demo {
  readonly id = NETPOLLER_DEMO;
  readonly title = { en: 'Netpoller: threads and system calls', zh: '网络轮询器：线程与系统调用' };
  readonly portCount = 0;

  private readonly life = new DemoLifecycle({ stats: { intervalMs: 60_000, publish: () => {}, publishOnStop: false } });
  private servers: EchoServers | null = null;
  private toolchain: Promise<GoToolchain> | null = null;
  private run: { abort: AbortController; done: Promise<ServerMeasurement[]>; owner: RunOwner } | null = null;

  constructor(private readonly options: NetpollerDemoOptions = {}) {}

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    this.servers = new EchoServers(this.options.cacheDir ?? defaultLabCacheDir(), () => this.goToolchain());
    const tracer = this.options.tracer ?? ['strace'];
    if (await straceInstalled(tracer)) ctx.setCapability?.('system call counts', { available: true });
    else
      ctx.setCapability?.('system call counts', {
        available: false,
        reason: {
          en: 'strace is not installed, so the netpoller lesson shows threads and CPU time only, not system calls.',
          zh: '没有安装 strace，所以网络轮询器一课只显示线程数和 CPU 时间，不显示系统调用。',
        },
        howTo: 'apt install strace',
      });
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      this.run?.abort.abort();
      await this.run?.done.catch(() => undefined);
      const servers = this.servers;
      this.servers = null;
      await servers?.dispose();
      return servers !== null;
    });
  }

  endpoints(): DemoEndpoint[] {
    return [];
  }

  readonly commands = demoCommands(NETPOLLER_COMMANDS, {
    run: (args, caller) => {
      const refusal = mayStart(this.run?.owner ?? null, caller, 'a netpoller measurement');
      if (refusal) throw labErrorOf(refusal);
      if (this.run) throw new LabError('E_ACTION_FAILED', 'a netpoller measurement is already going: stop it first');
      void this.measure(args, caller).catch(() => undefined);
      return { started: true as const, servers: args.servers };
    },
    stop: async (_args, caller) => {
      const run = this.run;
      if (!run) return { stopped: false };
      const refusal = mayStop(run.owner, caller, 'the netpoller measurement');
      if (refusal) throw labErrorOf(refusal);
      run.abort.abort();
      await run.done.catch(() => undefined);
      return { stopped: true };
    },
  });

  sessionClosed(session: string): void {
    if (this.run?.owner.session === session) this.run.abort.abort();
  }

  /** Measures each server in turn; resolves with their figures (the scenario and tests wait on this). */
  measure(args: NetpollerRunArgs, caller: CommandCaller = { session: 'headless' }): Promise<ServerMeasurement[]> {
    const servers = this.servers;
    if (!servers) throw new LabError('E_ACTION_FAILED', 'the netpoller demo is not running');
    const abort = new AbortController();
    const done = (async () => {
      const began = performance.now();
      const machine = await this.machine();
      this.life.emit({ kind: 'netpoller.runStart', source: 'observed', machine, ...args });
      const results: ServerMeasurement[] = [];
      try {
        for (const server of args.servers) {
          if (abort.signal.aborted) break;
          const progress = (phase: NetpollerPhase, extra: { connected?: number; of?: number } = {}) =>
            this.life.emit({
              kind: 'netpoller.progress',
              source: 'observed',
              server,
              phase,
              atMs: Math.round(performance.now() - began),
              ...extra,
            });
          try {
            const m = await this.measureOne(servers, server, args, machine, progress, abort.signal);
            if (m) {
              results.push(m);
              this.life.emit({ kind: 'netpoller.result', source: 'observed', ...m });
            }
            progress('done');
          } catch (err) {
            const wire = err instanceof LabError ? err.toWire() : wireError('E_ACTION_FAILED', (err as Error).message);
            this.life.emit({ kind: 'netpoller.serverFailed', source: 'observed', server, error: wire });
          }
        }
      } finally {
        this.life.emit({ kind: 'netpoller.runEnd', source: 'observed', stoppedEarly: abort.signal.aborted });
        if (this.run?.abort === abort) this.run = null;
      }
      return results;
    })();
    this.run = { abort, done, owner: ownerOf(caller) };
    return done;
  }

  private async measureOne(
    servers: EchoServers,
    server: NetpollerServer,
    args: NetpollerRunArgs,
    machine: NetpollerMachine,
    progress: (phase: NetpollerPhase, extra?: { connected?: number; of?: number }) => void,
    signal: AbortSignal,
  ): Promise<ServerMeasurement | null> {
    if (server !== 'node') {
      progress('building');
      const goMissing = await this.goToolchain().then(
        () => false,
        () => true,
      );
      if (goMissing) return this.recorded(server);
      await servers.build(server);
    }
    progress('starting');
    const running = await servers.start(server, LOOPBACK);
    const load = new EchoLoad(LOOPBACK, running.port);
    try {
      progress('connecting', { connected: 0, of: args.idle + args.busy });
      await load.openIdle(args.idle, (n) => progress('connecting', { connected: n, of: args.idle + args.busy }));
      await load.openBusy(args.busy);
      progress('connecting', { connected: args.idle + args.busy, of: args.idle + args.busy });
      await waitOrAbort(SETTLE_MS, signal);
      if (signal.aborted) return null;

      progress('measuring');
      const tasksBefore = await readTaskStats(running.pid);
      const tripsBefore = load.roundTrips;
      const t0 = performance.now();
      await waitOrAbort(args.windowMs, signal);
      const tasksAfter = await readTaskStats(running.pid);
      const windowMs = performance.now() - t0;
      const trips = load.roundTrips - tripsBefore;
      const [status, taskIds] = await Promise.all([readProcessStatus(running.pid), readTaskIds(running.pid)]);
      if (!status) throw new LabError('E_ACTION_FAILED', `the ${server} echo server ended while being measured`);
      const activity = taskActivity(tasksBefore, tasksAfter, windowMs);
      if (signal.aborted) return null;

      progress('tracing');
      const tracedBefore = load.roundTrips;
      const count = await countSyscalls(running.pid, args.windowMs, { tracer: this.options.tracer, signal });
      const tracedTrips = load.roundTrips - tracedBefore;
      const open = load.open;
      return {
        server,
        pid: running.pid,
        threads: status.threads,
        tasks: taskIds.length,
        rssKiB: status.rssKiB,
        idle: Math.min(args.idle, Math.max(0, open - args.busy)),
        busy: args.busy,
        roundTripsPerSecond: trips / (windowMs / 1000),
        cpuMsPerSecond: activity.cpuMsPerSecond,
        wakeupsPerSecond: activity.wakeupsPerSecond,
        syscalls: count.ok
          ? {
              by: 'strace',
              windowMs: Math.round(count.windowMs),
              totalPerSecond: count.summary.totalCalls / (count.windowMs / 1000),
              rates: syscallRates(count.summary, count.windowMs),
              tracedRoundTripsPerSecond: tracedTrips / (count.windowMs / 1000),
            }
          : { by: 'none', reason: count.reason },
        windowMs: Math.round(windowMs),
        runtime: server === 'node' ? `node ${process.version}` : (await this.goToolchain()).version,
      };
    } finally {
      load.stop();
      await running.stop();
    }
  }

  /** The recording's figures for a Go server where Go is missing here, labelled with when and where they were made. */
  private recorded(server: NetpollerServer): ServerMeasurement {
    const recording = loadRecording();
    const m = recording?.results.find((r) => r.server === server);
    if (!recording || !m) throw new LabError('E_GO_NOT_INSTALLED', 'no Go here, and no recording of this server');
    return { ...m, recorded: { at: recording.at, machine: recording.machine } };
  }

  private goToolchain(): Promise<GoToolchain> {
    if (!this.toolchain) {
      this.toolchain = findGoToolchain(this.options.go);
      this.toolchain.catch(() => (this.toolchain = null));
    }
    return this.toolchain;
  }

  private async machine(): Promise<NetpollerMachine> {
    const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
    const go = await this.goToolchain().then(
      (t) => t.version,
      () => null,
    );
    return {
      cpu: cpuModel(cpuinfo) || os.cpus()[0]?.model || '',
      cores: os.cpus().length,
      kernel: os.release(),
      go,
      node: process.version,
    };
  }

  /** Headless scenario: the defaults (1,000 idle, 10 busy, 2 s windows), all three servers. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    if (signal.aborted) return;
    const done = this.measure(NetpollerRunArgs.parse({}));
    signal.addEventListener('abort', () => this.run?.abort.abort(), { once: true });
    await done;
  }
}

/** Whether `strace -V` runs (the tracer's words before strace are kept, so a setpriv wrapper is asked too). */
function straceInstalled(tracer: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const [command, ...rest] = tracer;
    const child = spawn(command!, [...rest, '-V'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

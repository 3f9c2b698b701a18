// The page's Go runs (demo id 'go', commands in core/protocol/demos/goRun.ts): status, run, stop and gofmt, behind
// the request guard the /ws edge applies. Who may run is decided by goRunAccess.ts; each page has one run at a time
// and a budget of Run presses; a run's events go out under its own demo id, owned by its page, and a page that
// leaves stops its run.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RateBudget } from '@core/budget/rateBudget.js';
import {
  GO_COMMANDS,
  GO_DEMO,
  MIN_GO_VERSION,
  goRunDemo,
  type GoStatusResult,
} from '../../../core/protocol/demos/goRun.js';
import { ERROR_MESSAGES, LabError, wireError } from '../../../core/protocol/errors.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { freePort } from '../../net/freePort.js';
import { connectionOwners } from '../../net/connectionOwners.js';
import { formatGoSource } from '../../gorun/goFormat.js';
import { checkGoExercise } from '../../gorun/goExerciseCheck.js';
import { installHints, installPlatform, goVersionOlderThan } from '../../gorun/goInstallHints.js';
import { decideGoAccess } from '../../gorun/goRunAccess.js';
import { GoRunner, type GoRun, type GoRunnerOptions } from '../../gorun/goRunner.js';
import { lessonDialArgs, lessonDialDemo, lessonListens, lessonRunArgs } from '../../gorun/lessonRunArgs.js';
import { startWatchedRun, type WatchOptions } from '../../gorun/watchedGoRun.js';
import { demoCommands, type CommandCaller, type Demo, type DemoContext } from '../demo.js';

export interface GoRunDemoOptions {
  /** Classroom students may run Go (always sandboxed): the instructor's --allow-student-go. */
  allowStudentGo?: boolean;
  runner?: GoRunner;
  /** Options of the runner made when none is given. */
  runnerOptions?: GoRunnerOptions;
  watch?: WatchOptions;
  /** Run presses a page may make: so many a second, bursts up to so many. */
  runsPerSecond?: number;
  runBurst?: number;
}

/** A page's past run's events are kept this long for a reload, unless it starts another run first. */
const FORGET_RUN_AFTER_MS = 10 * 60_000;

export class GoRunDemo implements Demo {
  readonly id = GO_DEMO;
  readonly title = { en: 'Your Go program', zh: '你的 Go 程序' };
  readonly portCount = 0;
  private ctx: DemoContext | null = null;
  private readonly runner: GoRunner;
  private readonly budgets = new Map<string, RateBudget>();
  /** Each page's current run, and its last run's demo id (forgotten when the next starts). */
  private readonly runs = new Map<string, GoRun>();
  private readonly lastRunDemo = new Map<string, string>();
  private readonly forgetTimers = new Set<NodeJS.Timeout>();
  /** Runs whose end (after the watcher's last events and its tcpdumps' exit) is not published yet. */
  private readonly ending = new Set<Promise<void>>();

  constructor(private readonly options: GoRunDemoOptions = {}) {
    this.runner =
      options.runner ?? new GoRunner({ ...options.runnerOptions, reachablePorts: () => this.ctx?.labPorts?.() ?? [] });
  }

  async start(ctx: DemoContext): Promise<void> {
    this.ctx = ctx;
    // Said in the banner and /api/status: without Go the Go tab explains itself and everything else works.
    try {
      await this.runner.goToolchain();
      ctx.setCapability?.('Go programs', { available: true });
    } catch {
      ctx.setCapability?.('Go programs', {
        available: false,
        reason: { en: ERROR_MESSAGES.E_GO_NOT_INSTALLED.en, zh: ERROR_MESSAGES.E_GO_NOT_INSTALLED.zh },
        howTo: installHints(installPlatform(process.platform, readOsRelease()))[0]!.command,
      });
    }
  }

  async stop(): Promise<void> {
    await this.runner.stopAll();
    await Promise.all([...this.ending]);
    for (const t of this.forgetTimers) clearTimeout(t);
    this.forgetTimers.clear();
  }

  endpoints(): DemoEndpoint[] {
    return [];
  }

  sessionClosed(session: string): void {
    this.runs.get(session)?.stop();
    this.budgets.delete(session);
  }

  readonly commands = demoCommands(GO_COMMANDS, {
    status: (_args, caller) => this.status(caller),
    run: (args, caller) => this.run(args.lesson, args.source, caller),
    stop: (args, caller) => {
      const run = this.runs.get(caller.session);
      if (!run || run.id !== args.runId) throw new LabError('E_GO_NO_SUCH_RUN', args.runId);
      run.stop();
      return { runId: run.id, stopped: true };
    },
    check: async (args, caller) => {
      await this.admit(caller);
      return checkGoExercise(args.lesson, args.source, {
        runner: this.runner,
        owner: caller.session,
        emit: (e) => {
          const demo = goRunDemo(e.run);
          // The checked program's events are this page's, like its runs'.
          if (e.kind === 'gorun.build') connectionOwners.claimRun(demo, caller.session);
          this.ctx?.emitAs?.(demo, e);
          if (e.kind === 'gorun.end') this.forgetLater(caller.session, demo);
        },
      });
    },
    format: async (args) => {
      const toolchain = await this.runner.goToolchain();
      return formatGoSource(args.source, gofmtOf(toolchain.go));
    },
  });

  private async status(caller: CommandCaller): Promise<GoStatusResult> {
    const sandbox = await this.runner.sandbox();
    const access = decideGoAccess({
      local: caller.local,
      allowStudentGo: this.options.allowStudentGo ?? false,
      sandbox,
    });
    const hints = installHints(installPlatform(process.platform, readOsRelease()));
    let toolchain: GoStatusResult['toolchain'];
    try {
      const { version } = await this.runner.goToolchain();
      const tooOld = goVersionOlderThan(version, MIN_GO_VERSION);
      toolchain = {
        found: true,
        version,
        tooOld,
        needs: MIN_GO_VERSION,
        install: hints,
        ...(tooOld
          ? { error: wireError('E_GO_TOO_OLD', `found ${version}, the lessons need go${MIN_GO_VERSION}`) }
          : {}),
      };
    } catch (err) {
      const error = err instanceof LabError ? err.toWire() : wireError('E_GO_NOT_INSTALLED', String(err));
      toolchain = { found: false, tooOld: false, needs: MIN_GO_VERSION, error, install: hints };
    }
    const run = this.runs.get(caller.session);
    return {
      toolchain,
      sandbox: sandbox.ok ? { available: true } : { available: false, reason: sandbox.reason },
      mayRun: access.allowed && toolchain.found && !toolchain.tooOld,
      ...(!access.allowed ? { refusal: access.error } : toolchain.error ? { refusal: toolchain.error } : {}),
      sandboxed: access.sandboxed,
      ...(run ? { activeRun: { runId: run.id, demo: goRunDemo(run.id) } } : {}),
    };
  }

  private async run(lesson: string, source: string, caller: CommandCaller) {
    const ctx = this.ctx;
    if (!ctx?.emitAs) throw new LabError('E_INTERNAL', 'the Go demo is not started');
    await this.admit(caller);
    const port = lessonListens(lesson) ? await freePort(ctx.host) : undefined;
    // A program that dials a demo (lesson 28's resolver) gets its address, and its sandbox lets it through.
    const dial = lessonDialDemo(lesson);
    const target = dial ? ctx.demoEndpoint?.(dial.demo) : undefined;
    const args = [
      ...(port !== undefined ? lessonRunArgs(lesson, ctx.host, port) : []),
      ...(target ? lessonDialArgs(lesson, target) : []),
    ];
    const emitAs = ctx.emitAs;
    const { run, ended } = startWatchedRun(
      this.runner,
      {
        owner: caller.session,
        source,
        args,
        ...(port !== undefined ? { port } : {}),
        ...(target ? { dialPorts: [target.port], ...(dial?.udp ? { dialUdpPorts: [target.port] } : {}) } : {}),
      },
      (demo, body) => emitAs(demo, body),
      this.options.watch,
    );
    // Claimed before the run's first event (the runner publishes nothing before its first await).
    const demo = goRunDemo(run.id);
    connectionOwners.claimRun(demo, caller.session);
    this.runs.set(caller.session, run);
    const previous = this.lastRunDemo.get(caller.session);
    if (previous) this.forgetRun(previous);
    this.lastRunDemo.set(caller.session, demo);
    this.ending.add(ended);
    void ended.then(() => {
      this.ending.delete(ended);
      if (this.runs.get(caller.session) === run) this.runs.delete(caller.session);
      this.forgetLater(caller.session, demo);
    });
    return { runId: run.id, demo, args, ...(port !== undefined ? { port } : {}) };
  }

  /** Refuses, with its code, a caller who may not run Go, presses too fast, or has a run going. */
  private async admit(caller: CommandCaller): Promise<void> {
    const access = decideGoAccess({
      local: caller.local,
      allowStudentGo: this.options.allowStudentGo ?? false,
      sandbox: caller.local === false ? await this.runner.sandbox() : { ok: true },
    });
    if (!access.allowed) throw new LabError(access.error.code, access.error.detail);
    if (!this.budget(caller.session).take()) throw new LabError('E_GO_RUN_TOO_FAST');
    if (this.runs.has(caller.session)) throw new LabError('E_GO_RUN_BUSY');
  }

  /** A run's events stay on the bus a while after its end (a page that subscribes late replays them), then go. */
  private forgetLater(session: string, demo: string): void {
    const timer = setTimeout(() => {
      this.forgetTimers.delete(timer);
      if (this.lastRunDemo.get(session) === demo) this.lastRunDemo.delete(session);
      this.forgetRun(demo);
    }, FORGET_RUN_AFTER_MS);
    timer.unref();
    this.forgetTimers.add(timer);
  }

  private forgetRun(demo: string): void {
    this.ctx?.forget?.(demo);
    connectionOwners.releaseRun(demo);
  }

  private budget(session: string): RateBudget {
    let b = this.budgets.get(session);
    if (!b) {
      b = new RateBudget({
        perSecond: this.options.runsPerSecond ?? 1,
        burst: this.options.runBurst ?? 3,
        clock: () => performance.now(),
      });
      this.budgets.set(session, b);
    }
    return b;
  }
}

/** gofmt beside the go command when it was named by path, else the one on PATH. */
function gofmtOf(go: string): string {
  return go.includes('/') ? join(dirname(go), 'gofmt') : 'gofmt';
}

function readOsRelease(): string {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}

// The goroutines demo (lessons 5–8 and 10): runs one of its Go-shaped programs at a time on the lab's goroutine
// runtime and publishes every goroutine event, plus what the program prints; measures what goroutines cost here.
import { LabError } from '../../../core/protocol/errors.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import {
  GOROUTINES_DEMO,
  GoroutinesMeasureArgs,
  GoroutinesRunArgs,
  GoroutinesStopArgs,
  type GoroutineProgram,
  type GoroutinesMeasureResult,
  type GoroutinesRunResult,
} from '../../../core/protocol/demos/goroutines.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { createRuntime, type Runtime } from '../../../core/runtime/index.js';
import { callerGoroutine } from '../../../core/runtime/scheduler.js';
import { command, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { labErrorOf, mayStart, mayStop, ownerOf, type RunOwner } from '../sharedControl.js';
import { measureGoCost, measureRuntimeCost } from './goroutineCost.js';
import { programMain } from './goroutinePrograms.js';

/** A program may run this long before the lab stops it. */
const RUN_LIMIT_MS = 20_000;
const MAX_OUTPUT_LINES = 200;

export class GoroutineDemo implements Demo {
  readonly id = GOROUTINES_DEMO;
  readonly title = { en: 'Goroutines on the lab runtime', zh: '实验室运行时上的 goroutine' };
  readonly portCount = 0;

  private emit: (body: LabEventBody) => void = () => {};
  private current: Runtime | null = null;
  private currentOwner: RunOwner = { session: 'headless', local: undefined };
  private measuring = false;

  async start(ctx: DemoContext): Promise<void> {
    this.emit = ctx.emit;
    ctx.emit({ kind: 'demo.started', source: 'observed' });
  }

  async stop(): Promise<void> {
    this.current?.stop();
    this.current = null;
  }

  endpoints(): DemoEndpoint[] {
    return [];
  }

  readonly commands = {
    // One run at a time on the lab's runtime: it is its starter's to stop or replace (sharedControl.ts).
    run: command(GoroutinesRunArgs, (args, caller) => {
      const refusal = this.current ? mayStart(this.currentOwner, caller, 'a goroutine program') : null;
      if (refusal) throw labErrorOf(refusal);
      return this.run(args, ownerOf(caller));
    }),
    stop: command(GoroutinesStopArgs, (_args, caller) => {
      const refusal = this.current ? mayStop(this.currentOwner, caller, 'the goroutine program') : null;
      if (refusal) throw labErrorOf(refusal);
      const r = this.current?.stop();
      return { status: r?.status ?? 'stopped' };
    }),
    measure: command(GoroutinesMeasureArgs, (args) => this.measure(args.count, args.withGo)),
  };

  /** The page that started the run left: its run stops (nobody is watching it, and it would block other pages). */
  sessionClosed(session: string): void {
    if (this.current && this.currentOwner.session === session) this.current.stop();
  }

  /** Runs a program to its end (a newer run stops an older one). */
  async run(args: GoroutinesRunArgs, owner: RunOwner = { session: 'headless', local: undefined }): Promise<GoroutinesRunResult> {
    this.current?.stop();
    this.currentOwner = owner;
    const emit = this.emit;
    const rt = createRuntime({ seed: args.seed ?? 1, onEvent: (e) => emit(e) });
    this.current = rt;
    const output: string[] = [];
    const println = (...parts: unknown[]) => {
      const text = parts.map(String).join(' ');
      if (output.length < MAX_OUTPUT_LINES) output.push(text);
      const g = callerGoroutine();
      emit({ kind: 'go.print', source: 'observed', gid: g?.id ?? 0, text });
    };
    const { program, ...params } = args;
    const started = performance.now();
    const limit = setTimeout(() => rt.stop(), RUN_LIMIT_MS);
    try {
      const result = await rt.run(programMain(program as GoroutineProgram, params, println));
      return { status: result.status, report: result.report, output, goroutines: result.goroutines, ms: performance.now() - started };
    } finally {
      clearTimeout(limit);
      if (this.current === rt) this.current = null;
    }
  }

  /** Measures the runtime here and, when Go is installed, real goroutines and OS threads; publishes both. */
  async measure(count: number, withGo: boolean): Promise<GoroutinesMeasureResult> {
    if (this.measuring) throw new LabError('E_ACTION_FAILED', 'a measurement is already running');
    this.measuring = true;
    try {
      const runtime = await measureRuntimeCost(count);
      this.emit({ kind: 'go.cost', source: 'observed', cost: runtime });
      if (!withGo) return { runtime, go: null };
      try {
        const go = await measureGoCost(count);
        this.emit({ kind: 'go.cost', source: 'observed', cost: go });
        return { runtime, go };
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return { runtime, go: null, goUnavailable: { en: `No Go figures: ${why}`, zh: `没有 Go 的测量结果:${why}` } };
      }
    } finally {
      this.measuring = false;
    }
  }

  /** Headless scenario: a few programs in turn, each to its end. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    for (const program of ['unbuffered', 'buffered', 'select-timeout', 'leak'] as const) {
      if (signal.aborted) return;
      await this.run({ program, n: 4, seed: 1 });
    }
  }
}

// The goroutines demo: runs one Go-shaped program at a time on the lab's goroutine runtime and publishes every
// goroutine event, plus what the program prints; measures what goroutines cost here. The programs are the lessons'
// own (lessons/NN-slug/programs.ts), found when the demo starts; the demo knows none of them by name.
import { fileURLToPath } from 'node:url';
import { LabError } from '../../../core/protocol/errors.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import {
  GOROUTINES_DEMO,
  GOROUTINES_COMMANDS,
  KNOBS,
  type GoroutinesRunArgs,
  type GoroutinesMeasureResult,
  type GoroutinesRunResult,
  type KnobValues,
} from '../../../core/protocol/demos/goroutines.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { createRuntime, type Runtime } from '../../../core/runtime/index.js';
import { callerGoroutine } from '../../../core/runtime/scheduler.js';
import { demoCommands, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { labErrorOf, mayStart, mayStop, ownerOf, type RunOwner } from '../sharedControl.js';
import { measureGoCost, measureRuntimeCost } from './goroutineCost.js';
import { programRegistry } from '../../lessons/lessonCatalog.js';
import type { ProgramRegistry } from '../../lessons/lessonPrograms.js';

const LESSONS_DIR = fileURLToPath(new URL('../../../lessons', import.meta.url));

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
  private programs: ProgramRegistry = new Map();

  /** lessonsDir: where the programs are declared (tests pass a folder of their own). */
  constructor(private readonly lessonsDir = LESSONS_DIR) {}

  async start(ctx: DemoContext): Promise<void> {
    this.emit = ctx.emit;
    this.programs = await programRegistry(this.lessonsDir);
    ctx.emit({ kind: 'demo.started', source: 'observed' });
  }

  async stop(): Promise<void> {
    this.current?.stop();
    this.current = null;
  }

  endpoints(): DemoEndpoint[] {
    return [];
  }

  readonly commands = demoCommands(GOROUTINES_COMMANDS, {
    // One run at a time on the lab's runtime: it is its starter's to stop or replace (sharedControl.ts).
    run: (args, caller) => {
      const refusal = this.current ? mayStart(this.currentOwner, caller, 'a goroutine program') : null;
      if (refusal) throw labErrorOf(refusal);
      return this.run(args, ownerOf(caller));
    },
    stop: (_args, caller) => {
      const refusal = this.current ? mayStop(this.currentOwner, caller, 'the goroutine program') : null;
      if (refusal) throw labErrorOf(refusal);
      const r = this.current?.stop();
      return { status: r?.status ?? 'stopped' };
    },
    measure: (args) => this.measure(args.count, args.withGo),
  });

  /** The page that started the run left: its run stops (nobody is watching it, and it would block other pages). */
  sessionClosed(session: string): void {
    if (this.current && this.currentOwner.session === session) this.current.stop();
  }

  /** Runs a program to its end (a newer run stops an older one). */
  async run(
    args: GoroutinesRunArgs,
    owner: RunOwner = { session: 'headless', local: undefined },
  ): Promise<GoroutinesRunResult> {
    const knobs = this.knobValues(args);
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
    const main = this.programs.get(args.program)?.program.main(knobs, { println, seed: args.seed ?? 1 });
    const started = performance.now();
    const limit = setTimeout(() => rt.stop(), RUN_LIMIT_MS);
    try {
      const result = await rt.run(main!);
      return {
        status: result.status,
        report: result.report,
        output,
        goroutines: result.goroutines,
        ms: performance.now() - started,
      };
    } finally {
      clearTimeout(limit);
      if (this.current === rt) this.current = null;
    }
  }

  /** The run's knob values: the program's defaults, overridden by the arguments within the program's limits. */
  knobValues(args: GoroutinesRunArgs): KnobValues {
    const found = this.programs.get(args.program);
    if (!found) {
      throw new LabError(
        'E_BAD_ARGS',
        `program: no program named "${args.program}" (known: ${[...this.programs.keys()].join(', ')})`,
      );
    }
    const spec = found.program.knobs;
    const values: KnobValues = {};
    for (const k of KNOBS) {
      const given = args[k];
      const knob = spec[k];
      if (!knob) {
        if (given !== undefined) throw new LabError('E_BAD_ARGS', `${k}: the program ${args.program} has no such knob`);
        continue;
      }
      if (k === 'useMutex') {
        values.useMutex = typeof given === 'boolean' ? given : (knob as { default: boolean }).default;
        continue;
      }
      const { min, max, default: d } = knob as { min: number; max: number; default: number };
      if (typeof given === 'number' && (given < min || given > max)) {
        throw new LabError('E_BAD_ARGS', `${k}: ${given} is outside ${min}–${max} for the program ${args.program}`);
      }
      values[k] = typeof given === 'number' ? given : d;
    }
    return values;
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
        return { runtime, go: null, goUnavailable: { en: `No Go figures: ${why}`, zh: `没有 Go 的测量结果：${why}` } };
      }
    } finally {
      this.measuring = false;
    }
  }

  /** Headless scenario: every lesson's programs in turn, each with its default knobs, each to its end. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    for (const program of this.programs.keys()) {
      if (signal.aborted) return;
      await this.run({ program, seed: 1 });
    }
  }
}

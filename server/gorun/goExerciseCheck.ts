// Checks a student's Go exercise with the lab as its real TCP peer: builds and runs the program with the lab's Go
// runner (sandboxed where available), lets the exercise's checks talk to it over loopback, and answers per-check
// results in both languages, in the shape of the TypeScript checks' results.
//
// The WebSocket `check` action (another part of the lab) calls checkGoExercise(lesson, source, options): keep this
// signature simple and stable.
import { randomSeed } from '../../core/runtime/seededRandom.js';
import { LabError, wireError, type LocalizedText } from '../../core/protocol/errors.js';
import type { GoRunEvent } from '../../core/protocol/events/goRun.js';
import { isGoExercise, type GoExercise, type GoExerciseReport } from '../../core/protocol/goExercise.js';
import { GoRunner, type GoRun, type GoRunResult } from './goRunner.js';
import { checkLengthPrefixServer } from './exercises/lengthPrefixChecks.js';
import { checkBoundedDialer } from './exercises/boundedDialerChecks.js';
import { checkHeartbeatClient } from './exercises/heartbeatChecks.js';
import { checkTokenBucketServer } from './exercises/tokenBucketChecks.js';
import { checkCircuitBreaker } from './exercises/circuitBreakerChecks.js';
import { checkReconnectingClient } from './exercises/reconnectChecks.js';

export interface GoExerciseCheckOptions {
  /** The lab's runner (its limits, sandbox and one-run-per-owner rule); a new one when absent. */
  runner?: GoRunner;
  /** Who checks (a page or a student): the runner allows one run each at a time. Default 'check'. */
  owner?: string;
  /** Seed of the random splits; a fresh one when absent (the report names it, so a run can be replayed). */
  seed?: number;
  /** The program's run events (output, goroutines), for a page that shows the checked program live. */
  emit?: (event: GoRunEvent) => void;
  /** Ends the check early (the page left, or the student pressed Stop): the report says E_GO_STOPPED. */
  signal?: AbortSignal;
}

/** Builds the student's program and runs every check of the lesson's Go exercise against it. */
export async function checkGoExercise(
  lesson: string,
  source: string,
  options: GoExerciseCheckOptions = {},
): Promise<GoExerciseReport> {
  if (!isGoExercise(lesson)) throw new LabError('E_GO_NOT_AN_EXERCISE', lesson);
  const started = performance.now();
  const seed = options.seed ?? randomSeed();
  const env = new ExerciseEnv(options.runner ?? new GoRunner(), options.owner ?? 'check', source, seed, options.emit);
  const abort = () => void env.abort();
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  const report = (rest: Pick<GoExerciseReport, 'status' | 'checks' | 'error'>): GoExerciseReport => ({
    lesson,
    seed,
    ...rest,
    ms: Math.round(performance.now() - started),
  });
  try {
    const verdicts = await CHECKS[lesson](env);
    if (env.aborted) throw new LabError('E_GO_STOPPED');
    return report({
      status: 'checked',
      checks: verdicts.map((v, index) => ({
        index,
        name: v.name,
        pass: v.message === null,
        message: v.message,
        position: null,
      })),
    });
  } catch (err) {
    if (err instanceof ProgramDidNotBuild)
      return report({
        status: err.result.status === 'compile-error' ? 'compile-error' : 'failed',
        error: err.result.error,
        checks: [],
      });
    if (err instanceof LabError) return report({ status: 'failed', error: err.toWire(), checks: [] });
    return report({ status: 'failed', error: wireError('E_INTERNAL', String(err)), checks: [] });
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await env.stopAll();
  }
}

const CHECKS: Record<GoExercise, (env: ExerciseEnv) => Promise<Verdict[]>> = {
  '11-length-prefix-decoder': checkLengthPrefixServer,
  '12-bounded-dialer': checkBoundedDialer,
  '13-heartbeat-client': checkHeartbeatClient,
  '21-token-bucket': checkTokenBucketServer,
  '22-failing-fast': checkCircuitBreaker,
  '20-reconnecting-client': checkReconnectingClient,
};

/** One check's outcome before numbering: null message means it passed. */
export interface Verdict {
  name: LocalizedText;
  message: LocalizedText | null;
}

/** Thrown by expect(): ends a check as failed with the text the student reads. */
export class CheckFailed extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
    this.name = 'CheckFailed';
  }
}

/** Thrown when the student's program does not build (or cannot start): no check can run. */
export class ProgramDidNotBuild extends Error {
  constructor(readonly result: GoRunResult) {
    super(result.error?.message.en ?? result.status);
    this.name = 'ProgramDidNotBuild';
  }
}

export function expect(cond: boolean, text: LocalizedText): asserts cond {
  if (!cond) throw new CheckFailed(text);
}

/** Runs one check: passes unless `body` fails an expectation; a build failure goes on up (it ends the whole check). */
export async function verdict(name: LocalizedText, body: () => Promise<void> | void): Promise<Verdict> {
  try {
    await body();
    return { name, message: null };
  } catch (err) {
    if (err instanceof CheckFailed) return { name, message: err.text };
    if (err instanceof ProgramDidNotBuild || err instanceof LabError) throw err;
    return {
      name,
      message: {
        en: `The checker itself failed (this is not your program's fault; try again): ${String(err)}`,
        zh: `检查程序本身出错（不是你的程序的问题；请再试一次）：${String(err)}`,
      },
    };
  }
}

/** The student's program, running: its output so far and how it ended. */
export class ProgramRun {
  private stdoutText = '';
  private allText = '';
  private result: GoRunResult | null = null;
  readonly ended: Promise<GoRunResult>;

  constructor(private readonly run: GoRun) {
    this.ended = run.done.then((r) => (this.result = r));
  }

  /** Called with each event of the run. */
  observe(event: GoRunEvent): void {
    if (event.kind !== 'gorun.output') return;
    this.allText += event.text;
    if (event.stream === 'stdout') this.stdoutText += event.text;
  }

  /** Whole lines the program printed on stdout. */
  stdoutLines(): string[] {
    const lines = this.stdoutText.split('\n');
    lines.pop(); // an unfinished last line (or the empty string after the final newline)
    return lines;
  }

  /** stdout and stderr, interleaved as they came. */
  output(): string {
    return this.allText;
  }

  hasEnded(): boolean {
    return this.result !== null;
  }

  endResult(): GoRunResult | null {
    return this.result;
  }

  /** Waits up to `ms` for the program to end by itself; null when it is still running. */
  async endWithin(ms: number): Promise<GoRunResult | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
    try {
      return await Promise.race([this.ended, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the program (if it still runs) and waits until it is gone. */
  async stop(): Promise<GoRunResult> {
    if (!this.result) this.run.stop();
    return this.ended;
  }

  /** How it ended, for a failure message: exit code or signal, and the last lines it printed. */
  describeEnd(): LocalizedText {
    const r = this.result;
    const tail = this.allText.trimEnd().split('\n').slice(-4).join(' | ').slice(-300);
    const how = !r
      ? { en: 'it is still running', zh: '它仍在运行' }
      : r.exitCode !== undefined
        ? { en: `it exited with status ${r.exitCode}`, zh: `它以状态码 ${r.exitCode} 退出` }
        : {
            en: `it ended (${[r.status, r.signal].filter(Boolean).join(', ')})`,
            zh: `它结束了（${[r.status, r.signal].filter(Boolean).join('，')}）`,
          };
    return tail
      ? { en: `${how.en}; its last output: ${tail}`, zh: `${how.zh}；它最后的输出：${tail}` }
      : { en: `${how.en}, printing nothing`, zh: `${how.zh}，没有任何输出` };
  }
}

/** What an exercise's checks get: the seed, the loopback host, and a way to start the student's program. */
export class ExerciseEnv {
  readonly host = '127.0.0.1';
  private readonly runs: ProgramRun[] = [];
  aborted = false;

  constructor(
    private readonly runner: GoRunner,
    private readonly owner: string,
    private readonly source: string,
    readonly seed: number,
    private readonly emit?: (event: GoRunEvent) => void,
  ) {}

  /**
   * Builds and starts the program with `args`; resolves once it runs. `listen` is the port it is told to listen
   * on, `dial` the checker's ports it may connect to (a sandboxed run may dial nothing else).
   */
  async start(args: string[], ports: { listen?: number; dial?: number[] } = {}): Promise<ProgramRun> {
    if (this.aborted) throw new LabError('E_GO_STOPPED');
    let running!: () => void;
    const spawned = new Promise<void>((resolve) => (running = resolve));
    let program: ProgramRun | null = null;
    const run = this.runner.start({
      owner: this.owner,
      source: this.source,
      args,
      ...(ports.listen !== undefined ? { port: ports.listen } : {}),
      ...(ports.dial ? { dialPorts: ports.dial } : {}),
      emit: (event) => {
        program?.observe(event);
        this.emit?.(event);
        if (event.kind === 'gorun.start') running();
      },
    });
    program = new ProgramRun(run);
    this.runs.push(program);
    const first = await Promise.race([spawned.then(() => null), program.ended]);
    if (first !== null) throw new ProgramDidNotBuild(first);
    return program;
  }

  /** Ends the check: stops what runs, and no program starts after this. */
  async abort(): Promise<void> {
    this.aborted = true;
    await this.stopAll();
  }

  /** Stops whatever still runs: a check that failed midway leaves nothing behind. */
  async stopAll(): Promise<void> {
    await Promise.all(this.runs.map((r) => r.stop()));
  }
}

/** Milliseconds to sleep. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Runs one snippet or one exercise's checks on the goroutine runtime: compiles in place (no server round trip),
// runs main() as goroutine 1 or each check in a runtime of its own, maps every error back to the student's
// line and column, and closes every socket a run opened. The browser worker and the Node tests share it.
import type { LocalizedText } from '@core/protocol/errors';
import { ERROR_MESSAGES } from '@core/protocol/errors';
import type { GoroutineEvent, GoroutineInfo, RunStatus } from '@core/protocol/events/goroutine';
import { GoPanic } from '@core/runtime/panic';
import { createRuntime, setAmbientRuntime, type Runtime, type RunResult } from '@core/runtime/scheduler';
import type { SourcePosition } from './compileSnippet';
import * as gonetCheck from './gonet/check';
import { CheckFailure, checkContext, type CheckSpec } from './gonet/check';
import { bindHost, closeAllOf, type SnippetHost } from './gonet/host';
import * as framingReference from './gonet/framingReference';
import * as gonet from './gonet/index';
import { ModuleLoader, SnippetCompileError } from './moduleLoader';

export interface RunRequest {
  mode: 'run' | 'check';
  /** The student's file name as the editor shows it, e.g. "start.ts". */
  file: string;
  source: string;
  /** The exercise's checks.ts (mode 'check'). */
  checks?: string;
  seed?: number;
  /** Default time limit of one check, in milliseconds. */
  checkTimeoutMs?: number;
}

export interface CheckResult {
  index: number;
  name: LocalizedText;
  pass: boolean;
  message: LocalizedText | null;
  position: SourcePosition | null;
}

export type OutcomeStatus = RunStatus | 'compile' | 'nomain';

export interface RunOutcome {
  status: OutcomeStatus;
  /** What Go would print at the end (panic, deadlock, leaks), in the student's positions. */
  report: string;
  /** Where the error is in the student's file, for the editor marker. */
  position: SourcePosition | null;
  leaks: GoroutineInfo[];
  checks?: CheckResult[];
}

export interface RunnerEvents {
  /** A check finished (mode 'check'). */
  check?(result: CheckResult): void;
  /** A check is starting: lets the host say which one was running if the run is cut short. */
  checkStarted?(index: number, name: LocalizedText): void;
  /** Every state change of the run's goroutines (the runtime's instrumentation hook), creation sites mapped to the student's file. */
  runtimeEvent?(event: GoroutineEvent): void;
}

const both = (en: string, zh: string): LocalizedText => ({ en, zh });

export class SnippetRunner {
  private current: Runtime | null = null;
  private aborted = false;

  /** `host`, when given, serves only this runner's runs (else the one set with setHost serves every run). */
  constructor(
    private readonly events: RunnerEvents = {},
    private readonly host: SnippetHost | null = null,
  ) {}

  private newRuntime(seed: number | undefined, loader: ModuleLoader | null): Runtime {
    const rt = createRuntime(seed === undefined ? {} : { seed });
    const listener = this.events.runtimeEvent;
    if (listener && loader) rt.setListener((e) => listener(withStudentSites(e, loader)));
    if (this.host) bindHost(rt, this.host);
    setAmbientRuntime(rt);
    return rt;
  }

  /** Stops the run now, and any checks not started yet (a host's time or output limit). */
  stop(): void {
    this.aborted = true;
    this.current?.stop();
  }

  async run(req: RunRequest): Promise<RunOutcome> {
    const loader = new ModuleLoader(
      (name, from) => {
        if (name === 'gonet') return gonet;
        if (from === 'checks.ts' && name === 'gonet/check') return gonetCheck;
        if (from === 'checks.ts' && name === 'gonet/framing') return framingReference;
        return undefined;
      },
      (specifier, from) =>
        from === 'checks.ts' ? req.file : specifier.replace(/^\.\//, '').replace(/(\.ts)?$/, '.ts'),
    );
    try {
      loader.add(req.file, req.source);
      if (req.mode === 'check') loader.add('checks.ts', req.checks ?? 'export default []');
    } catch (err) {
      if (err instanceof SnippetCompileError) {
        return { status: 'compile', report: err.reason, position: err.position, leaks: [] };
      }
      throw err;
    }
    return req.mode === 'run' ? this.runMain(loader, req) : this.runChecks(loader, req);
  }

  private async runMain(loader: ModuleLoader, req: RunRequest): Promise<RunOutcome> {
    const rt = this.newRuntime(req.seed, loader);
    this.current = rt;
    try {
      let mod: Record<string, unknown>;
      try {
        mod = loader.load(req.file);
      } catch (err) {
        rt.stop();
        return {
          status: 'panic',
          report: `panic: ${describeThrown(err)}\n${loader.mapStack(stackOf(err))}`,
          position: loader.locate(err),
          leaks: [],
        };
      }
      const main = mod.main;
      if (typeof main !== 'function') {
        rt.stop();
        return {
          status: 'nomain',
          report: ERROR_MESSAGES.E_SNIPPET_NO_MAIN.en,
          position: { file: req.file, line: 1, column: 1 },
          leaks: [],
        };
      }
      const result = await rt.run(main as () => unknown);
      return outcomeOf(result, loader, req.file);
    } finally {
      closeAllOf(rt);
      this.current = null;
    }
  }

  private async runChecks(loader: ModuleLoader, req: RunRequest): Promise<RunOutcome> {
    // The student's module is evaluated once; its top-level code (if any) runs in a runtime of its own.
    const setup = this.newRuntime(undefined, null);
    let student: Record<string, unknown>;
    let specs: CheckSpec[];
    try {
      student = loader.load(req.file);
      const checksModule = loader.load('checks.ts');
      specs = (checksModule.default ?? checksModule.checks) as CheckSpec[];
    } catch (err) {
      setup.stop();
      closeAllOf(setup);
      return {
        status: 'panic',
        report: `panic: ${describeThrown(err)}\n${loader.mapStack(stackOf(err))}`,
        position: loader.locate(err),
        leaks: [],
      };
    }
    setup.stop();
    const results: CheckResult[] = [];
    for (const [index, spec] of specs.entries()) {
      if (this.aborted) break;
      this.events.checkStarted?.(index, spec.name);
      const result = await this.runCheck(loader, req, student, spec, index);
      results.push(result);
      this.events.check?.(result);
    }
    const failed = results.filter((r) => !r.pass).length;
    return {
      status: 'ok',
      report: failed === 0 ? `all ${results.length} checks passed` : `${failed} of ${results.length} checks failed`,
      position: results.find((r) => !r.pass && r.position)?.position ?? null,
      leaks: [],
      checks: results,
    };
  }

  private async runCheck(
    loader: ModuleLoader,
    req: RunRequest,
    student: Record<string, unknown>,
    spec: CheckSpec,
    index: number,
  ): Promise<CheckResult> {
    const rt = this.newRuntime(req.seed, loader);
    this.current = rt;
    const t = checkContext();
    let timedOut = false;
    const limit = spec.timeoutMs ?? req.checkTimeoutMs ?? 5000;
    const timer = setTimeout(() => {
      timedOut = true;
      rt.stop();
    }, limit);
    let result: RunResult;
    try {
      result = await rt.run(() => spec.run(student, t));
    } finally {
      clearTimeout(timer);
      closeAllOf(rt);
      this.current = null;
    }
    const base = { index, name: spec.name };
    const inStudent = (f: string) => f === req.file;
    const studentGoroutines = (gs: readonly GoroutineInfo[]) =>
      gs.filter((g) => g.site !== undefined && loader.mapText(g.site).startsWith(`${req.file}:`));
    if (timedOut) {
      // The check's own goroutine 1 is the one that called the student's function: show it too.
      const all = result.dump.length > 0 ? result.dump : result.leaks;
      const stuck = all.filter((g) => g.state === 'waiting' && (g.id === 1 || studentGoroutines([g]).length > 0));
      const where = stuck.length > 0 ? ` ${describeStuck(stuck, loader)}` : '';
      return {
        ...base,
        pass: false,
        message: both(
          `${ERROR_MESSAGES.E_SNIPPET_CHECK_TIMEOUT.en} (${limit} ms)${where}`,
          `${ERROR_MESSAGES.E_SNIPPET_CHECK_TIMEOUT.zh}（${limit} 毫秒）${where}`,
        ),
        position: null,
      };
    }
    if (result.status === 'panic' || result.status === 'fatal') {
      if (result.error instanceof CheckFailure)
        return { ...base, pass: false, message: result.error.text, position: null };
      const position = loader.locate(result.error, inStudent);
      const at = position ? ` (${position.file}:${position.line}:${position.column})` : '';
      const text = `${describeThrown(result.error)}${at}`;
      return {
        ...base,
        pass: false,
        message: both(`Your code panicked: ${text}`, `你的代码发生了 panic：${text}`),
        position,
      };
    }
    if (result.status === 'deadlock') {
      const first = loader.mapText(result.report).split('\n')[0] ?? '';
      return {
        ...base,
        pass: false,
        message: both(
          `${first} — ${describeStuck(studentGoroutines(result.dump), loader)}`,
          `${first} —— ${describeStuck(studentGoroutines(result.dump), loader)}`,
        ),
        position: null,
      };
    }
    if (spec.noLeaks) {
      const leaks = studentGoroutines(result.leaks);
      if (leaks.length > 0) {
        const d = describeStuck(leaks, loader);
        return {
          ...base,
          pass: false,
          message: both(
            `${leaks.length} goroutine(s) started by your code were still blocked after it returned (a goroutine leak): ${d}`,
            `你的代码返回后，它启动的 ${leaks.length} 个 goroutine 仍然阻塞（goroutine 泄漏）：${d}`,
          ),
          position: null,
        };
      }
    }
    return { ...base, pass: true, message: null, position: null };
  }
}

/** Creation sites as the student's file:line:column (only spawns with a site, and dumps, are copied). */
function withStudentSites(e: GoroutineEvent, loader: ModuleLoader): GoroutineEvent {
  const mapAll = (gs: GoroutineInfo[]) =>
    gs.map((g) => (g.site === undefined ? g : { ...g, site: loader.mapText(g.site) }));
  switch (e.kind) {
    case 'go.spawn':
      return e.site === undefined ? e : { ...e, site: loader.mapText(e.site) };
    case 'go.deadlock':
      return { ...e, dump: mapAll(e.dump) };
    case 'go.leak':
      return { ...e, leaks: mapAll(e.leaks) };
    default:
      return e;
  }
}

/** Go-like end-of-run text with the student's positions; a JavaScript error also gets its mapped stack. */
function outcomeOf(result: RunResult, loader: ModuleLoader, file: string): RunOutcome {
  let report = studentSitesOnly(loader.mapText(result.report));
  const err = result.error;
  if ((result.status === 'panic' || result.status === 'fatal') && err instanceof Error && !(err instanceof GoPanic)) {
    const stack = loader.mapStack(stackOf(err)).split('\n').slice(1).join('\n');
    if (stack.trim() !== '') report += `\n\n${stack}`;
  }
  const position = err === undefined ? null : (loader.locate(err, (f) => f === file) ?? loader.locate(err));
  return { status: result.status, report, position, leaks: result.leaks };
}

function describeStuck(gs: readonly GoroutineInfo[], loader: ModuleLoader): string {
  return gs
    .slice(0, 4)
    .map((g) => {
      const on = g.waitingOn?.[0]?.name ? ` on ${g.waitingOn[0].name}` : '';
      const where =
        g.id === 1 ? ' (the check, inside your function)' : g.site ? ` created at ${loader.mapText(g.site)}` : '';
      return `goroutine ${g.id} [${g.waitReason ?? g.state}${on}]${where}`;
    })
    .join('; ');
}

/** Keeps only creation sites in the student's files: the lab's own frames mean nothing to a student. */
function studentSitesOnly(report: string): string {
  return report.replace(/\n\t[^\n]*\/[^\n]*:\d+:\d+(?=\n|$)/g, '');
}

function describeThrown(err: unknown): string {
  if (err instanceof GoPanic) return err.message;
  if (err instanceof Error) return err.name === 'Error' ? err.message : `${err.name}: ${err.message}`;
  return String(err);
}

function stackOf(err: unknown): string {
  return err instanceof Error ? (err.stack ?? String(err)) : String(err);
}

// Builds and runs a student's Go program: a fresh run folder, `go build` offline with the shared cache, the program
// as a child in its own process group under resource limits, its output and sampled goroutines as events, Stop,
// limits with coded messages, and nothing left behind (process group killed, run folder removed).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { LabError, wireError, type ErrorCode, type WireError } from '../../core/protocol/errors.js';
import type { GoRunEndStatus, GoRunEvent, GoRunIsolation, SampledGoroutine } from '../../core/protocol/events/goRun.js';
import { parseCompileErrors } from './compileErrors.js';
import { detectGoCrash, parseGoroutineDump, programGoroutines } from './goroutineDumpParser.js';
import {
  GoroutineSampleDecoder,
  SAMPLER_FD_ENV,
  SAMPLER_FILE,
  SAMPLER_PERIOD_ENV,
  SAMPLER_SOURCE,
} from './goroutineSampler.js';
import { allGoroutinesStuck, DEADLOCK_SAMPLES } from './sampledDeadlock.js';
import { findGoToolchain, goBuildEnv, runModuleFile, type GoToolchain } from './goToolchain.js';
import {
  bwrapArgs,
  nftDeleteTable,
  nftRuleset,
  probeSandbox,
  releaseRunUid,
  runTool,
  sandboxedExit,
  sandboxedProgramPids,
  takeRunUid,
  type SandboxProbe,
} from './goSandbox.js';
import { fatalErrorLimit, limitNotices, prlimitArgs, DEFAULT_GO_RUN_LIMITS, type GoRunLimits } from './goRunLimits.js';

export interface GoRunnerOptions {
  /** The lab's cache folder; the Go build and module caches live in it and are shared by every run. */
  cacheDir?: string;
  /** Where run folders are made (each run gets a fresh one, removed when the run ends). */
  runsDir?: string;
  /** The go command (tests name a missing one). */
  go?: string;
  limits?: Partial<GoRunLimits>;
  /** How many runs may build or run at once, over all students. */
  maxRuns?: number;
  samplePeriodMs?: number;
  /** False: the program's goroutines are not sampled (the sampling-overhead benchmark's baseline). Default true. */
  sampleGoroutines?: boolean;
  /** The bubblewrap command (tests name a missing one to see the fallback). */
  bwrap?: string;
  /** The nft command that bounds what a sandboxed run may dial. */
  nft?: string;
  /** Loopback ports a sandboxed run may dial besides its own (the lab's demo ports). */
  reachablePorts?: () => readonly number[];
}

export interface GoRunRequest {
  /** Who runs it (a page or a student): one run each at a time. */
  owner: string;
  /** The program: the text of main.go. */
  source: string;
  args?: readonly string[];
  /** The port the lab picked and passed in the args, reported in gorun.start. */
  port?: number;
  /** Loopback ports this run may dial besides the runner's (an exercise checker's own server). */
  dialPorts?: readonly number[];
  /** Loopback ports this run may send UDP to (the lab's DNS server, lesson 28). */
  dialUdpPorts?: readonly number[];
  emit(event: GoRunEvent): void;
}

export interface GoRunResult {
  status: GoRunEndStatus;
  exitCode?: number;
  signal?: string;
  error?: WireError;
}

/** The default cache folder: $GONET_LAB_CACHE, else $XDG_CACHE_HOME/gonet-lab, else ~/.cache/gonet-lab. */
export function defaultLabCacheDir(): string {
  return process.env.GONET_LAB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gonet-lab');
}

const MAX_SOURCE_BYTES = 256 * 1024;
const STDERR_TAIL_BYTES = 512 * 1024;
const MAX_GOROUTINES_PER_EVENT = 1000;
/** After Stop's SIGQUIT (which makes Go print every goroutine), how long the program gets before SIGKILL. */
const QUIT_GRACE_MS = 1000;

let runCounter = 0;

export class GoRunner {
  readonly limits: GoRunLimits;
  readonly cacheDir: string;
  readonly runsDir: string;
  private readonly runs = new Map<string, GoRun>();
  private toolchain: Promise<GoToolchain> | null = null;
  private sandboxProbe: Promise<SandboxProbe> | null = null;
  private saidNotIsolated = false;

  constructor(private readonly options: GoRunnerOptions = {}) {
    this.limits = { ...DEFAULT_GO_RUN_LIMITS, ...options.limits };
    this.cacheDir = options.cacheDir ?? defaultLabCacheDir();
    this.runsDir = options.runsDir ?? join(tmpdir(), 'gonet-lab-runs');
  }

  /** The toolchain, looked up once; looked up again after a failure (Go may have been installed meanwhile). */
  goToolchain(): Promise<GoToolchain> {
    if (!this.toolchain) {
      this.toolchain = findGoToolchain(this.options.go);
      this.toolchain.catch(() => (this.toolchain = null));
    }
    return this.toolchain;
  }

  /** Whether runs are sandboxed here: found by a trial run once per runner. */
  sandbox(): Promise<SandboxProbe> {
    this.sandboxProbe ??= probeSandbox(this.bwrap, this.nft);
    return this.sandboxProbe;
  }

  get bwrap(): string {
    return this.options.bwrap ?? 'bwrap';
  }

  get nft(): string {
    return this.options.nft ?? 'nft';
  }

  /** Milliseconds between two goroutine samples. */
  get samplePeriodMs(): number {
    return this.options.samplePeriodMs ?? 75;
  }

  get samplesGoroutines(): boolean {
    return this.options.sampleGoroutines ?? true;
  }

  /** The lab's ports a sandboxed run may dial. */
  reachablePorts(): readonly number[] {
    return this.options.reachablePorts?.() ?? [];
  }

  /** Starts a run. Throws a LabError at once when the owner already has one, the lab is full or the program too big. */
  start(request: GoRunRequest): GoRun {
    if (this.runs.has(request.owner)) throw new LabError('E_GO_RUN_BUSY');
    if (this.runs.size >= (this.options.maxRuns ?? 4)) throw new LabError('E_GO_TOO_MANY_RUNS');
    if (Buffer.byteLength(request.source) > MAX_SOURCE_BYTES) throw new LabError('E_GO_PROGRAM_TOO_LARGE');
    const run = new GoRun(`go${++runCounter}`, this, request, this.samplePeriodMs);
    this.runs.set(request.owner, run);
    void run.done.finally(() => this.runs.delete(request.owner));
    return run;
  }

  /** True the first time only: the lab says once that runs are not sandboxed. */
  firstUnisolatedRun(): boolean {
    const first = !this.saidNotIsolated;
    this.saidNotIsolated = true;
    return first;
  }

  /** Runs still building or running. */
  active(): number {
    return this.runs.size;
  }

  /** Stops every run and waits until each has cleaned up. */
  async stopAll(): Promise<void> {
    const all = [...this.runs.values()];
    for (const r of all) r.stop();
    await Promise.all(all.map((r) => r.done));
  }
}

export class GoRun {
  readonly done: Promise<GoRunResult>;
  private child: ChildProcess | null = null;
  private stopReason: { status: GoRunEndStatus; code: ErrorCode } | null = null;
  private killTimer: NodeJS.Timeout | null = null;
  /** The run's own uid while it runs sandboxed (its nftables table is named after it). */
  private sandboxUid: number | null = null;
  private readonly started = performance.now();

  constructor(
    readonly id: string,
    private readonly runner: GoRunner,
    private readonly request: GoRunRequest,
    private readonly samplePeriodMs: number,
  ) {
    this.done = this.execute();
  }

  /** Ends the run (its whole process group); the program first prints its goroutines, which become a final sample. */
  stop(): void {
    this.halt({ status: 'stopped', code: 'E_GO_STOPPED' });
  }

  private halt(reason: { status: GoRunEndStatus; code: ErrorCode }): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    const child = this.child;
    if (!child?.pid) return; // still building: the build loop sees stopReason
    // Sandboxed, the group's leader is bwrap, which does not pass signals on: the program gets SIGQUIT itself.
    for (const pid of this.sandboxUid !== null ? sandboxedProgramPids(child.pid) : [child.pid]) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        /* already gone */
      }
    }
    this.killTimer = setTimeout(() => killGroup(child.pid!), QUIT_GRACE_MS);
  }

  /** The result of a run stopped before its program started, or null. */
  private stoppedResult(): GoRunResult | null {
    return this.stopReason ? { status: this.stopReason.status, error: wireError(this.stopReason.code) } : null;
  }

  private emit(body: GoRunEvent): void {
    this.request.emit(body);
  }

  private async execute(): Promise<GoRunResult> {
    let dir: string | null = null;
    let result: GoRunResult;
    try {
      const toolchain = await this.runner.goToolchain();
      mkdirSync(this.runner.runsDir, { recursive: true, mode: 0o755 });
      // The program may run as nobody, which must be able to pass through the runs folder to its own.
      if (process.getuid?.() === 0) chmodSync(this.runner.runsDir, 0o711);
      dir = mkdtempSync(join(this.runner.runsDir, 'run-'));
      result = await this.buildAndRun(toolchain, dir);
    } catch (err) {
      const error = err instanceof LabError ? err.toWire() : wireError('E_INTERNAL', String(err));
      result = { status: 'failed', error };
    } finally {
      if (this.killTimer) clearTimeout(this.killTimer);
      if (this.child?.pid) {
        killGroup(this.child.pid);
        await groupGone(this.child.pid);
      }
      if (this.sandboxUid !== null) {
        await runTool(this.runner.nft, ['-f', '-'], nftDeleteTable(this.sandboxUid));
        releaseRunUid(this.sandboxUid);
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    this.emit({
      kind: 'gorun.end',
      source: 'observed',
      run: this.id,
      ...result,
      ms: Math.round(performance.now() - this.started),
    });
    return result;
  }

  private async buildAndRun(toolchain: GoToolchain, dir: string): Promise<GoRunResult> {
    const { limits, cacheDir } = this.runner;
    writeFileSync(join(dir, 'main.go'), this.request.source);
    writeFileSync(join(dir, 'go.mod'), runModuleFile(toolchain.version));
    writeFileSync(join(dir, SAMPLER_FILE), SAMPLER_SOURCE);
    this.emit({ kind: 'gorun.build', source: 'observed', run: this.id, goVersion: toolchain.version });
    const stoppedEarly = this.stoppedResult();
    if (stoppedEarly) return stoppedEarly;
    const buildStart = performance.now();
    const build = await runBuild(
      toolchain.go,
      dir,
      goBuildEnv(cacheDir),
      limits.buildMs,
      () => this.stopReason !== null,
      (c) => (this.child = c),
    );
    this.child = null;
    const stopped = this.stoppedResult();
    if (stopped) return stopped;
    if (build.spawnError) return { status: 'failed', error: wireError('E_GO_NOT_INSTALLED', build.spawnError) };
    if (build.timedOut)
      return {
        status: 'limit',
        error: wireError('E_GO_TIME_LIMIT', `the build took longer than ${limits.buildMs} ms`),
      };
    if (build.code !== 0) {
      const errors = parseCompileErrors(build.output).filter((e) => e.file !== SAMPLER_FILE);
      if (errors.length > 0) {
        this.emit({ kind: 'gorun.compileErrors', source: 'observed', run: this.id, errors });
        return {
          status: 'compile-error',
          exitCode: build.code ?? undefined,
          error: wireError('E_GO_COMPILE', errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`).join('\n')),
        };
      }
      return { status: 'failed', error: wireError('E_GO_BUILD_FAILED', build.output.trim().slice(0, 4000)) };
    }
    this.emit({
      kind: 'gorun.built',
      source: 'observed',
      run: this.id,
      ms: Math.round(performance.now() - buildStart),
    });
    return this.runProgram(dir, await this.runner.sandbox());
  }

  private async runProgram(dir: string, sandbox: SandboxProbe): Promise<GoRunResult> {
    const { limits } = this.runner;
    const asRoot = process.getuid?.() === 0;
    const args = [...(this.request.args ?? [])];
    const program = join(dir, 'program');
    let isolation: GoRunIsolation;
    let command: string[];
    let uid: number | undefined;
    if (sandbox.ok) {
      uid = takeRunUid() ?? undefined;
      if (uid === undefined) return { status: 'failed', error: wireError('E_GO_TOO_MANY_RUNS') };
      this.sandboxUid = uid;
      const ports = [
        ...new Set([
          ...this.runner.reachablePorts(),
          ...(this.request.dialPorts ?? []),
          ...(this.request.port !== undefined ? [this.request.port] : []),
        ]),
      ];
      const rule = await runTool(this.runner.nft, ['-f', '-'], nftRuleset(uid, ports, this.request.dialUdpPorts));
      if (rule.code !== 0)
        return {
          status: 'failed',
          error: wireError('E_INTERNAL', `cannot add the run's network rule: ${rule.output.trim()}`),
        };
      // The run's own uid owns its folder, the only place it may write.
      chownSync(dir, uid, uid);
      chmodSync(dir, 0o755);
      isolation = { kind: 'bwrap', user: 'nobody', uid, ports };
      command = [...prlimitArgs(limits, true), '--', this.runner.bwrap, ...bwrapArgs(dir), '--', program, ...args];
    } else {
      isolation = { kind: 'rlimits', user: asRoot ? 'nobody' : (process.env.USER ?? "the lab's user") };
      if (asRoot) {
        // The program runs as nobody: it may write only its own run folder, and RLIMIT_NPROC applies to it.
        uid = NOBODY;
        chownSync(dir, NOBODY, NOBODY);
        chmodSync(dir, 0o755);
      }
      command = [...prlimitArgs(limits, asRoot), '--', program, ...args];
    }
    if (this.stopReason) return this.stoppedResult()!;
    const child = spawn('prlimit', command, {
      cwd: dir,
      detached: true, // its own process group, so Stop reaches everything it started
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: {
        PATH: '/usr/local/bin:/usr/bin:/bin',
        HOME: dir,
        GOTRACEBACK: 'all', // a panic prints every goroutine, not only the one that panicked
        // Without the descriptor's number the added sampler file does nothing.
        ...(this.runner.samplesGoroutines
          ? { [SAMPLER_FD_ENV]: '3', [SAMPLER_PERIOD_ENV]: `${this.samplePeriodMs}ms` }
          : {}),
      },
      ...(uid !== undefined ? { uid, gid: uid } : {}),
    });
    this.child = child;
    if (this.stopReason) this.halt(this.stopReason);
    return new Promise<GoRunResult>((resolve) => {
      let outputBytes = 0;
      let stderrTail = '';
      const noticed = new Set<ErrorCode>();
      let lastSignature = '';
      let stuckSamples = 0;
      const wallTimer = setTimeout(() => this.halt({ status: 'limit', code: 'E_GO_TIME_LIMIT' }), limits.wallMs);
      const onOutput = (stream: 'stdout' | 'stderr', text: string) => {
        if (stream === 'stderr') stderrTail = (stderrTail + text).slice(-STDERR_TAIL_BYTES);
        if (this.stopReason) return; // after Stop the program prints its goroutines; they arrive parsed, not as text
        for (const code of limitNotices(text)) {
          if (noticed.has(code)) continue;
          noticed.add(code);
          this.emit({ kind: 'gorun.notice', source: 'observed', run: this.id, error: wireError(code) });
        }
        const room = limits.outputBytes - outputBytes;
        outputBytes += Buffer.byteLength(text);
        if (room <= 0) return;
        this.emit({
          kind: 'gorun.output',
          source: 'observed',
          run: this.id,
          stream,
          text: outputBytes > limits.outputBytes ? text.slice(0, room) : text,
        });
        if (outputBytes > limits.outputBytes) this.halt({ status: 'limit', code: 'E_GO_OUTPUT_LIMIT' });
      };
      const pipeText = (readable: Readable, stream: 'stdout' | 'stderr') => {
        const decoder = new StringDecoder('utf8');
        readable.on('data', (b: Buffer) => onOutput(stream, decoder.write(b)));
        readable.on('end', () => {
          const rest = decoder.end();
          if (rest) onOutput(stream, rest);
        });
      };
      pipeText(child.stdout!, 'stdout');
      pipeText(child.stderr!, 'stderr');
      const samples = new GoroutineSampleDecoder();
      const sampleStream = child.stdio[3] as Readable;
      sampleStream.on('data', (b: Buffer) => {
        let got;
        try {
          got = samples.push(b);
        } catch {
          sampleStream.destroy(); // not the sampler's stream: stop reading it, the run goes on
          return;
        }
        for (const s of got) {
          const gs = programGoroutines(parseGoroutineDump(s.text), SAMPLER_FILE);
          stuckSamples = allGoroutinesStuck(gs) ? stuckSamples + 1 : 0;
          if (stuckSamples === DEADLOCK_SAMPLES) this.halt({ status: 'deadlock', code: 'E_GO_DEADLOCK_SAMPLED' });
          const signature = gs
            .map((g) => `${g.id}:${g.state}:${g.waitReason ?? ''}:${g.frames[0]?.fn ?? ''}`)
            .join('|');
          if (signature === lastSignature) continue; // only changes are sent; the view holds the last state
          lastSignature = signature;
          this.emitGoroutines(s.at, gs, false);
        }
      });
      sampleStream.on('error', () => {});
      child.on('spawn', () => {
        this.emit({
          kind: 'gorun.start',
          source: 'observed',
          run: this.id,
          pid: child.pid!,
          args,
          ...(this.request.port !== undefined ? { port: this.request.port } : {}),
          isolation,
        });
        if (!sandbox.ok && this.runner.firstUnisolatedRun())
          this.emit({
            kind: 'gorun.notice',
            source: 'observed',
            run: this.id,
            error: wireError('E_GO_NOT_ISOLATED', sandbox.reason),
          });
      });
      child.on('error', (err) => {
        clearTimeout(wallTimer);
        resolve({ status: 'failed', error: wireError('E_INTERNAL', `cannot start the program: ${err.message}`) });
      });
      child.on('close', (code, signal) => {
        clearTimeout(wallTimer);
        const end = sandbox.ok ? sandboxedExit(code, signal) : { code, signal };
        resolve(this.classifyEnd(end.code, end.signal, stderrTail));
      });
    });
  }

  private emitGoroutines(at: number, gs: SampledGoroutine[], final: boolean): void {
    this.emit({
      kind: 'gorun.goroutines',
      source: 'sampled',
      run: this.id,
      at,
      goroutines: gs.slice(0, MAX_GOROUTINES_PER_EVENT),
      total: gs.length,
      final,
    });
  }

  /** How the program ended, from its exit, the lab's own reason to stop it, and what the runtime printed. */
  private classifyEnd(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): GoRunResult {
    const exit = { ...(code !== null ? { exitCode: code } : {}), ...(signal ? { signal } : {}) };
    const crash = detectGoCrash(stderrTail);
    const dumpText = crash
      ? stderrTail.slice(stderrTail.lastIndexOf(crash.crash === 'panic' ? 'panic: ' : 'fatal error: '))
      : stderrTail.slice(Math.max(0, stderrTail.lastIndexOf('SIGQUIT: quit')));
    const goroutines = programGoroutines(parseGoroutineDump(dumpText), SAMPLER_FILE);
    if (goroutines.length > 0 && (crash || this.stopReason)) this.emitGoroutines(Date.now(), goroutines, true);
    if (this.stopReason?.status === 'deadlock') {
      this.emit({
        kind: 'gorun.crash',
        source: 'sampled',
        run: this.id,
        crash: 'deadlock',
        message: 'all goroutines are asleep - deadlock!',
        goroutines: goroutines.slice(0, MAX_GOROUTINES_PER_EVENT),
      });
    }
    if (this.stopReason) return { status: this.stopReason.status, ...exit, error: wireError(this.stopReason.code) };
    if (crash) {
      this.emit({
        kind: 'gorun.crash',
        source: 'observed',
        run: this.id,
        crash: crash.crash,
        message: crash.message,
        goroutines: goroutines.slice(0, MAX_GOROUTINES_PER_EVENT),
      });
      const limit = crash.crash === 'fatal' ? fatalErrorLimit(crash.message, stderrTail) : null;
      if (limit) return { status: 'limit', ...exit, error: wireError(limit, crash.message) };
      return { status: crash.crash, ...exit };
    }
    // The kernel's SIGKILL at the hard CPU limit is the only SIGKILL the lab did not send (no OOM killer without cgroups).
    if (signal === 'SIGKILL' || signal === 'SIGXCPU')
      return { status: 'limit', ...exit, error: wireError('E_GO_CPU_LIMIT') };
    return { status: 'exited', ...exit };
  }
}

const NOBODY = 65534;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* the group is already gone */
  }
}

/** Waits (up to two seconds) until no process of the group is left, so a run that ended has left nothing. */
async function groupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface BuildOutcome {
  code: number | null;
  output: string;
  timedOut: boolean;
  spawnError?: string;
}

/** `go build -o program .` in its own process group, bounded in time; `stopped` is polled to end it early. */
export function runBuild(
  go: string,
  dir: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  stopped: () => boolean,
  onChild: (c: ChildProcess) => void,
): Promise<BuildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(go, ['build', '-trimpath', '-o', 'program', '.'], {
      cwd: dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onChild(child);
    let output = '';
    let timedOut = false;
    const collect = (b: Buffer) => {
      if (output.length < 256 * 1024) output += b.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) killGroup(child.pid);
    }, timeoutMs);
    const poll = setInterval(() => {
      if (stopped() && child.pid) killGroup(child.pid);
    }, 50);
    child.on('error', (err) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code: null, output, timedOut, spawnError: `${go}: ${err.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      if (child.pid) killGroup(child.pid); // compiler processes it left, if any
      resolve({ code, output, timedOut });
    });
  });
}

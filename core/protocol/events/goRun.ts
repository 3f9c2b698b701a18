// Events of a real Go program the lab builds and runs (server/gorun): build, output, samples of its goroutines, end.
// Shared by server and web. Goroutine states here are what the Go runtime printed, seen at sample times ('sampled').
import type { WireError } from '../errors.js';

/** One frame of a Go stack as a dump prints it: the function and where it was. */
export interface GoStackFrame {
  /** Fully qualified, e.g. "main.handleConn" or "net.(*conn).Read". */
  fn: string;
  file: string;
  line: number;
}

/** One goroutine as the Go runtime printed it in a goroutine dump (runtime.Stack, pprof debug=2, a panic). */
export interface SampledGoroutine {
  id: number;
  /** 'running' and 'runnable' as printed; every other state (chan receive, IO wait, select, sleep…) is 'waiting'. */
  state: 'running' | 'runnable' | 'waiting' | 'syscall' | 'dead' | 'other';
  /** The text in brackets before any minutes, e.g. "chan receive", "IO wait", "semacquire", "select". */
  waitReason?: string;
  /** Whole minutes blocked, as the runtime prints them (it prints none under one minute). */
  minutesBlocked?: number;
  lockedToThread?: boolean;
  /** The goroutine's own function: the bottom frame of its stack (main.main for goroutine 1). */
  fn: string;
  /** Frames top (innermost) first. */
  frames: GoStackFrame[];
  /** Where `go` was called: the creating function and site, and (Go 1.21 and later) the creating goroutine's id. */
  createdBy?: GoStackFrame & { goroutine?: number };
}

/** A compile error at file:line:col in the student's program. */
export interface GoCompileError {
  file: string;
  line: number;
  /** 0 when the compiler gave no column. */
  col: number;
  message: string;
}

/** How a Go run ended. */
export type GoRunEndStatus =
  /** The program exited by itself (exit code in `exitCode`). */
  | 'exited'
  | 'compile-error'
  | 'panic'
  | 'deadlock'
  /** Another fatal runtime error (out of memory, cannot create a thread…). */
  | 'fatal'
  | 'stopped'
  /** The lab ended it at a limit (the error says which). */
  | 'limit'
  /** The lab could not build or start it (toolchain missing or failing). */
  | 'failed';

export type GoRunEvent =
  /** The build began (fresh run folder, the lab's shared build cache). */
  | { kind: 'gorun.build'; source: 'observed'; run: string; goVersion: string }
  | { kind: 'gorun.built'; source: 'observed'; run: string; ms: number }
  | { kind: 'gorun.compileErrors'; source: 'observed'; run: string; errors: GoCompileError[] }
  /** The program started; `port` is the port the lab picked and passed in, when the lesson's program listens. */
  | {
      kind: 'gorun.start';
      source: 'observed';
      run: string;
      pid: number;
      args: string[];
      port?: number;
      isolation: GoRunIsolation;
    }
  /** Text the program wrote, in arrival order (chunks, not necessarily whole lines). */
  | { kind: 'gorun.output'; source: 'observed'; run: string; stream: 'stdout' | 'stderr'; text: string }
  /**
   * Every goroutine of the program as one dump showed it. Sent when something changed since the last sample;
   * `final` for the dump printed as the program ended (panic, deadlock, Stop). `total` counts every goroutine seen;
   * a very large dump is cut to its first goroutines.
   */
  | {
      kind: 'gorun.goroutines';
      source: 'sampled';
      run: string;
      at: number;
      goroutines: SampledGoroutine[];
      total: number;
      final: boolean;
    }
  /**
   * The program panicked or hit a fatal runtime error; `goroutines` is the parsed dump the runtime printed. A
   * deadlock the lab saw in its samples (the sampler keeps Go's own detector quiet) has source 'sampled'.
   */
  | {
      kind: 'gorun.crash';
      source: 'observed' | 'sampled';
      run: string;
      crash: 'panic' | 'deadlock' | 'fatal';
      message: string;
      goroutines: SampledGoroutine[];
    }
  /** Something the lab wants said once (a limit the program ran into, no sandbox on this machine). */
  | { kind: 'gorun.notice'; source: 'observed'; run: string; error: WireError }
  | {
      kind: 'gorun.end';
      source: 'observed';
      run: string;
      status: GoRunEndStatus;
      exitCode?: number;
      signal?: string;
      error?: WireError;
      ms: number;
    };

/** How a run was isolated from the machine. */
export interface GoRunIsolation {
  /**
   * 'rlimits': resource limits only, as the same user or an unprivileged one; no file or network isolation.
   * 'bwrap': resource limits inside a bubblewrap sandbox (only its run folder, its own uid, loopback ports allowed).
   */
  kind: 'rlimits' | 'bwrap';
  /** The user the program ran as ("nobody" when the lab runs as root or in the sandbox, else the lab's own user). */
  user: string;
  /** In the sandbox: the run's own uid outside it (its sockets' owner) and the loopback ports it may dial. */
  uid?: number;
  ports?: number[];
}

export type GoRunEventKind = GoRunEvent['kind'];

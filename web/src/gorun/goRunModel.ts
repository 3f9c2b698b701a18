// The state machine of one Go run as the Go tab shows it: asked → building → running → ended (exited with a code,
// stopped, a limit, a compile error, a panic or deadlock, or the lab could not start it), fed by the Run and Stop
// commands' answers and the run's gorun.* events. Pure: a reducer over actions.
import type { WireError } from '@core/protocol/errors';
import type {
  GoCompileError,
  GoRunEndStatus,
  GoRunEvent,
  GoRunIsolation,
  SampledGoroutine,
} from '@core/protocol/events/goRun';

export type GoRunPhase = 'idle' | 'asked' | 'building' | 'running' | 'stopping' | 'ended';

export interface GoRunCrash {
  crash: 'panic' | 'deadlock' | 'fatal';
  message: string;
  goroutines: SampledGoroutine[];
  /** 'observed' when the runtime printed it; 'sampled' for a deadlock the lab saw in its samples. */
  source: 'observed' | 'sampled';
}

export interface GoRunState {
  phase: GoRunPhase;
  /** The run's id (from the Run command's answer or its first event); null before. */
  run: string | null;
  goVersion: string | null;
  /** When the build began and how long it took (ms, the events' clock). */
  buildStartedAt: number | null;
  buildMs: number | null;
  compileErrors: GoCompileError[];
  pid: number | null;
  /** The port the lab picked and passed to the program, when the lesson's program listens. */
  port: number | null;
  args: string[];
  isolation: GoRunIsolation | null;
  startedAt: number | null;
  /** The latest goroutine sample: when, how many goroutines. */
  sample: { at: number; total: number } | null;
  crash: GoRunCrash | null;
  /** Things the lab said once during the run (a limit met, no sandbox). */
  notices: WireError[];
  end: { status: GoRunEndStatus; exitCode?: number; signal?: string; error?: WireError; ms: number } | null;
  /** The Run or Stop command was refused (not allowed, busy, no Go): nothing ran. */
  refused: WireError | null;
}

export const IDLE_RUN: GoRunState = {
  phase: 'idle',
  run: null,
  goVersion: null,
  buildStartedAt: null,
  buildMs: null,
  compileErrors: [],
  pid: null,
  port: null,
  args: [],
  isolation: null,
  startedAt: null,
  sample: null,
  crash: null,
  notices: [],
  end: null,
  refused: null,
};

export type GoRunAction =
  /** The student pressed Run: a new run begins from nothing. */
  | { type: 'ask' }
  /** The Run command answered with the run's id. */
  | { type: 'accepted'; run: string }
  /** The Run command was refused. */
  | { type: 'refused'; error: WireError }
  /** The student pressed Stop (the run ends when its gorun.end arrives). */
  | { type: 'stop' }
  /** An event of a run, with the bus's time. */
  | { type: 'event'; event: GoRunEvent; t: number };

/** Whether the run is under way (Run is Stop's business until it ends). */
export function isActive(s: GoRunState): boolean {
  return s.phase === 'asked' || s.phase === 'building' || s.phase === 'running' || s.phase === 'stopping';
}

export function goRunStep(s: GoRunState, a: GoRunAction): GoRunState {
  switch (a.type) {
    case 'ask':
      return { ...IDLE_RUN, phase: 'asked' };
    case 'accepted':
      // Events may come before the answer; a different id means they were another run's.
      if (s.run === a.run) return s;
      return { ...IDLE_RUN, phase: 'asked', run: a.run };
    case 'refused':
      return s.phase === 'asked' || s.phase === 'idle' ? { ...IDLE_RUN, phase: 'ended', refused: a.error } : s;
    case 'stop':
      return isActive(s) ? { ...s, phase: 'stopping' } : s;
    case 'event':
      return onEvent(s, a.event, a.t);
  }
}

function onEvent(s: GoRunState, e: GoRunEvent, t: number): GoRunState {
  if (s.run === null) {
    // Only a run this page asked for is adopted by its events.
    if (s.phase !== 'asked') return s;
    s = { ...s, run: e.run };
  } else if (e.run !== s.run) return s;
  if (s.phase === 'ended') return s;
  switch (e.kind) {
    case 'gorun.build':
      return { ...s, phase: keep(s, 'building'), goVersion: e.goVersion, buildStartedAt: t };
    case 'gorun.built':
      return { ...s, buildMs: e.ms };
    case 'gorun.compileErrors':
      return { ...s, compileErrors: e.errors };
    case 'gorun.start':
      return {
        ...s,
        phase: keep(s, 'running'),
        pid: e.pid,
        port: e.port ?? null,
        args: e.args,
        isolation: e.isolation,
        startedAt: t,
      };
    case 'gorun.output':
      return s;
    case 'gorun.goroutines':
      return { ...s, sample: { at: e.at, total: e.total } };
    case 'gorun.crash':
      return { ...s, crash: { crash: e.crash, message: e.message, goroutines: e.goroutines, source: e.source } };
    case 'gorun.notice':
      return s.notices.some((n) => n.code === e.error.code) ? s : { ...s, notices: [...s.notices, e.error] };
    case 'gorun.end': {
      const end: NonNullable<GoRunState['end']> = { status: e.status, ms: e.ms };
      if (e.exitCode !== undefined) end.exitCode = e.exitCode;
      if (e.signal !== undefined) end.signal = e.signal;
      if (e.error !== undefined) end.error = e.error;
      return { ...s, phase: 'ended', end };
    }
  }
}

/** Stopping stays stopping until the end arrives. */
function keep(s: GoRunState, next: GoRunPhase): GoRunPhase {
  return s.phase === 'stopping' ? 'stopping' : next;
}

/** What the status line says, as a key of the Go tab's text and the tone it is shown in. */
export type GoRunVerdict =
  | { key: 'idle' | 'asked' | 'building' | 'running' | 'stopping'; tone: '' }
  | { key: 'exited'; tone: 'ok' | 'err'; exitCode: number }
  | { key: 'stopped'; tone: 'warn' }
  | { key: 'compileError'; tone: 'err'; count: number }
  | { key: 'panic' | 'deadlock' | 'fatal'; tone: 'err' }
  | { key: 'limit' | 'failed' | 'refused'; tone: 'err'; error: WireError | null };

export function goRunVerdict(s: GoRunState): GoRunVerdict {
  if (s.refused) return { key: 'refused', tone: 'err', error: s.refused };
  if (s.phase !== 'ended' || !s.end) {
    const key = s.phase === 'ended' ? 'idle' : s.phase;
    return { key, tone: '' };
  }
  switch (s.end.status) {
    case 'exited': {
      const exitCode = s.end.exitCode ?? 0;
      return { key: 'exited', tone: exitCode === 0 ? 'ok' : 'err', exitCode };
    }
    case 'stopped':
      return { key: 'stopped', tone: 'warn' };
    case 'compile-error':
      return { key: 'compileError', tone: 'err', count: s.compileErrors.length };
    case 'panic':
    case 'deadlock':
    case 'fatal':
      return { key: s.end.status, tone: 'err' };
    case 'limit':
    case 'failed':
      return { key: s.end.status, tone: 'err', error: s.end.error ?? null };
  }
}

// The circuit-breaker view's state, folded from the demo's events: the upstream's mode, the run, the breaker's own
// transitions (drawn as bands and on the state diagram) and both caller paths' windows. Pure; tested beside it.
import type { LabEvent } from '@core/protocol/events';
import type { BreakerRunArgs, UpstreamMode } from '@core/protocol/demos/circuitBreaker';
import type { CallerPath, CallerPathStats } from '@core/protocol/events/circuitBreaker';
import type { BreakerState } from '@core/limits/circuitBreaker';
import type { Fold } from '../../store/eventFold';

export const MAX_SAMPLES = 960;

export interface BreakerSample {
  t: number;
  state: BreakerState;
  direct: CallerPathStats;
  breaker: CallerPathStats;
}

export interface TransitionRecord {
  t: number;
  from: BreakerState;
  to: BreakerState;
  reason: string;
  count: number;
}

export interface UpstreamChange {
  t: number;
  mode: UpstreamMode;
}

export type PathTotals = Record<CallerPath, { ok: number; failed: number; fastFailed: number; maxWaiting: number }>;

export interface BreakerRun {
  args: BreakerRunArgs;
  startedAt: number;
  endedAt?: number;
  totals?: PathTotals;
  stoppedEarly?: boolean;
}

export interface CircuitBreakerState {
  upstream: { mode: UpstreamMode; latencyMs: number; port: number } | null;
  run: BreakerRun | null;
  running: boolean;
  /** The run's transitions and upstream changes (reset when a run starts). */
  transitions: TransitionRecord[];
  upstreamChanges: UpstreamChange[];
  samples: BreakerSample[];
  version: number;
}

export function circuitBreakerFold(demo: string): Fold<CircuitBreakerState> {
  return {
    init: () => ({
      upstream: null,
      run: null,
      running: false,
      transitions: [],
      upstreamChanges: [],
      samples: [],
      version: 0,
    }),
    step(s, e: LabEvent) {
      if (e.demo !== demo) return;
      switch (e.kind) {
        case 'breaker.upstream':
          s.upstream = { mode: e.mode, latencyMs: e.latencyMs, port: e.port };
          if (s.running) s.upstreamChanges.push({ t: e.t, mode: e.mode });
          break;
        case 'breaker.runStart':
          s.run = { args: e.args, startedAt: e.t };
          s.running = true;
          s.transitions = [];
          s.upstreamChanges = [{ t: e.t, mode: s.upstream?.mode ?? 'healthy' }];
          s.samples = [];
          break;
        case 'breaker.transition':
          s.transitions.push({ t: e.t, from: e.from, to: e.to, reason: e.reason, count: e.count });
          break;
        case 'breaker.stats':
          s.samples.push({ t: e.t, state: e.state, direct: e.direct, breaker: e.breaker });
          if (s.samples.length > MAX_SAMPLES) s.samples.splice(0, s.samples.length - MAX_SAMPLES);
          break;
        case 'breaker.runEnd':
          if (s.run) Object.assign(s.run, { endedAt: e.t, totals: e.totals, stoppedEarly: e.stoppedEarly });
          s.running = false;
          break;
        default:
          return;
      }
      s.version++;
    },
  };
}

/** Spans of time the breaker spent in each state, from its transitions (closed before the first). */
export function stateBands(
  transitions: readonly TransitionRecord[],
  from: number,
  to: number,
): { from: number; to: number; state: BreakerState }[] {
  const bands: { from: number; to: number; state: BreakerState }[] = [];
  let state: BreakerState = 'closed';
  let start = from;
  for (const tr of transitions) {
    if (tr.t > start) bands.push({ from: start, to: tr.t, state });
    state = tr.to;
    start = Math.max(start, tr.t);
  }
  if (to > start) bands.push({ from: start, to, state });
  return bands;
}

/** How many times each edge of the state machine was taken, e.g. "closed>open": 2. */
export function edgeCounts(transitions: readonly TransitionRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tr of transitions) out[`${tr.from}>${tr.to}`] = (out[`${tr.from}>${tr.to}`] ?? 0) + 1;
  return out;
}

/** Per path over a run's windows: the most callers waiting at once and the worst p95 latency. */
export function pathPeaks(
  samples: readonly BreakerSample[],
): Record<CallerPath, { waitingMax: number; p95Max: number | null }> {
  const peak = (path: CallerPath) => {
    let waitingMax = 0;
    let p95Max: number | null = null;
    for (const s of samples) {
      waitingMax = Math.max(waitingMax, s[path].waitingMax);
      const p = s[path].p95Ms;
      if (p !== null) p95Max = Math.max(p95Max ?? 0, p);
    }
    return { waitingMax, p95Max };
  };
  return { direct: peak('direct'), breaker: peak('breaker') };
}

// The rate-limit view's state, folded from the demo's events: the limiter's settings, a bounded history of
// statistics windows for the chart, the load run, and a summary per offered-rate step (the table a student reads).
// Pure; tested in rateLimitModel.test.ts.
import type { LabEvent } from '@core/protocol/events';
import { RATE_LIMIT_LIMITS, type RateLimitConfig, type RateLimitLoadResult } from '@core/protocol/demos/rateLimit';
import type { RateLimitStats } from '@core/protocol/events/rateLimit';
import type { Fold } from '../../store/eventFold';

/** Windows kept (a quarter second each: four minutes). */
export const MAX_SAMPLES = 960;

export interface RateSample extends RateLimitStats {
  /** Event time, ms since the epoch. */
  t: number;
}

export interface RateLoadRun {
  steps: number[];
  stepMs: number;
  connections: number;
  startedAt: number;
  result?: RateLimitLoadResult;
}

export interface RateLimitState {
  config: RateLimitConfig | null;
  port: number | null;
  samples: RateSample[];
  load: RateLoadRun | null;
  running: boolean;
  version: number;
}

export function rateLimitFold(demo: string): Fold<RateLimitState> {
  return {
    init: () => ({ config: null, port: null, samples: [], load: null, running: false, version: 0 }),
    step(s, e: LabEvent) {
      if (e.demo !== demo) return;
      switch (e.kind) {
        case 'rateLimit.config':
          s.config = e.config;
          s.port = e.port;
          break;
        case 'rateLimit.stats': {
          const { seq: _seq, demo: _demo, kind: _kind, source: _source, ...stats } = e;
          s.samples.push(stats);
          if (s.samples.length > MAX_SAMPLES) s.samples.splice(0, s.samples.length - MAX_SAMPLES);
          break;
        }
        case 'rateLimit.loadStart':
          s.load = { steps: e.steps, stepMs: e.stepMs, connections: e.connections, startedAt: e.t };
          s.running = true;
          break;
        case 'rateLimit.loadEnd': {
          const { seq: _seq, demo: _demo, kind: _kind, source: _source, t: _t, ...result } = e;
          if (s.load) s.load.result = result;
          s.running = false;
          break;
        }
        default:
          return;
      }
      s.version++;
    },
  };
}

/** One offered-rate step of a run, as measured by the server over the windows inside it. */
export interface StepSummary {
  target: number;
  /** Means over the step's windows (the first window of a step, half in the one before, is left out). */
  offered: number;
  accepted: number;
  refused: number;
  /** The lowest level the global bucket reached in the step. */
  levelMin: number;
  windows: number;
}

/** Per-step means of the load run (steps that have no whole window yet are left out). */
export function stepSummaries(samples: readonly RateSample[], load: RateLoadRun | null): StepSummary[] {
  if (!load) return [];
  const out: StepSummary[] = [];
  load.steps.forEach((target, i) => {
    const from = load.startedAt + i * load.stepMs;
    const to = from + load.stepMs;
    // A window belongs to a step when it lies wholly inside it.
    const inside = samples.filter((s) => s.t - s.windowMs >= from && s.t <= to && s.targetPerSec === target);
    if (inside.length === 0) return;
    const mean = (f: (s: RateSample) => number) => inside.reduce((n, s) => n + f(s), 0) / inside.length;
    out.push({
      target,
      offered: mean((s) => s.offeredPerSec),
      accepted: mean((s) => s.acceptedPerSec),
      refused: mean((s) => s.refusedClientPerSec + s.refusedGlobalPerSec),
      levelMin: Math.min(...inside.map((s) => s.globalLevelMin)),
      windows: inside.length,
    });
  });
  return out;
}

/** The samples to chart: those since the run started (or the last minute without a run), time in seconds from t0. */
export function chartWindow(state: RateLimitState): { samples: RateSample[]; t0: number; t1: number } {
  const last = state.samples.at(-1)?.t ?? 0;
  const t0 = state.load ? state.load.startedAt : last - 60_000;
  const samples = state.samples.filter((s) => s.t >= t0);
  const planned = state.load ? state.load.startedAt + state.load.steps.length * state.load.stepMs : last;
  return { samples, t0, t1: Math.max(last, planned, t0 + 1000) };
}

/** "100, 200 400" → [100, 200, 400]; null when not one to eight numbers in range. */
export function parseSteps(text: string): number[] | null {
  const parts = text.split(/[\s,，]+/).filter(Boolean);
  const steps = parts.map(Number);
  if (steps.length < 1 || steps.length > RATE_LIMIT_LIMITS.steps) return null;
  if (steps.some((n) => !(n > 0) || n > RATE_LIMIT_LIMITS.offeredPerSec)) return null;
  return steps;
}

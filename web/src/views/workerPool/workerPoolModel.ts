// The worker-pool view's state, folded from the demo's events: the configuration, a bounded history of stats
// windows for the chart, the load run, and the figures a student reads (now, and over the last run). Pure; tested
// in workerPoolModel.test.ts. The chart's scales are computed here too, so drawing stays a thin shell.
import type { LabEvent } from '@core/protocol/events';
import type { WorkerPoolConfig } from '@core/protocol/demos/workerPool';
import type { WorkerPoolStats } from '@core/protocol/events/workerPool';
import type { Fold } from '../../store/eventFold';

/** Stats windows kept for the chart (half a second each: four minutes). */
export const MAX_SAMPLES = 480;

export interface PoolSample extends WorkerPoolStats {
  /** Event time (ms since the epoch). */
  t: number;
}

export interface LoadRunInfo {
  connections: number;
  durationMs: number;
  startedAt: number;
  endedAt?: number;
  roundTrips?: number;
  perSecond?: number;
  errors?: number;
  stoppedEarly?: boolean;
}

export interface WorkerPoolState {
  config: WorkerPoolConfig | null;
  port: number | null;
  samples: PoolSample[];
  latest: PoolSample | null;
  load: LoadRunInfo | null;
  running: boolean;
  /** Goroutine events stopped streaming (too many per second); the stats still summarise. */
  traceSummarised: boolean;
  version: number;
}

export function workerPoolFold(demo: string): Fold<WorkerPoolState> {
  return {
    init: () => ({
      config: null,
      port: null,
      samples: [],
      latest: null,
      load: null,
      running: false,
      traceSummarised: false,
      version: 0,
    }),
    step(s, e: LabEvent) {
      if (e.demo !== demo) return;
      switch (e.kind) {
        case 'workerPool.config':
          s.config = e.config;
          s.port = e.port;
          s.samples = [];
          s.latest = null;
          s.traceSummarised = false;
          break;
        case 'workerPool.stats': {
          const { seq: _seq, demo: _demo, kind: _kind, source: _source, ...stats } = e;
          const sample: PoolSample = stats;
          s.samples.push(sample);
          if (s.samples.length > MAX_SAMPLES) s.samples.splice(0, s.samples.length - MAX_SAMPLES);
          s.latest = sample;
          break;
        }
        case 'workerPool.loadStart':
          s.load = { connections: e.connections, durationMs: e.durationMs, startedAt: e.t };
          s.running = true;
          break;
        case 'workerPool.loadEnd':
          if (s.load)
            Object.assign(s.load, {
              endedAt: e.t,
              roundTrips: e.roundTrips,
              perSecond: e.perSecond,
              errors: e.errors,
              stoppedEarly: e.stoppedEarly,
            });
          s.running = false;
          break;
        case 'workerPool.trace':
          s.traceSummarised = !e.streaming;
          break;
        default:
          return;
      }
      s.version++;
    },
  };
}

/** The most requests per second the pool can complete: K / work (modelled: it ignores the server's own costs). */
export function capacityPerSec(
  config: Pick<WorkerPoolConfig, 'mode' | 'workers' | 'workMs' | 'work'>,
  connections: number | null,
): number | null {
  if (config.workMs <= 0) return null;
  // CPU work holds the one JavaScript thread: one request at a time, whatever K is.
  const parallel =
    config.work === 'cpu'
      ? 1
      : config.mode === 'pool'
        ? Math.min(config.workers, connections ?? config.workers)
        : (connections ?? 1);
  return (parallel * 1000) / config.workMs;
}

export interface RunFigures {
  samples: number;
  /** Mean completions per second over the windows of the run with load, and the range of the windows' p50 / p95. */
  meanPerSec: number;
  p50Median: number | null;
  p95Median: number | null;
  busyMax: number;
  queueMax: number;
  rejected: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.floor((v.length - 1) / 2)];
}

/**
 * Figures over the windows measured while the load run that started at `sinceT` ran (the first window, half
 * warm-up, is left out when there are others). Null before any load.
 */
export function runFigures(samples: readonly PoolSample[], sinceT = -Infinity): RunFigures | null {
  let loaded = samples.filter((s) => s.loadRunning && s.t > sinceT);
  if (loaded.length === 0) return null;
  if (loaded.length > 2) loaded = loaded.slice(1);
  const totalMs = loaded.reduce((n, s) => n + s.windowMs, 0);
  const completed = loaded.reduce((n, s) => n + s.completed, 0);
  return {
    samples: loaded.length,
    meanPerSec: totalMs > 0 ? (completed * 1000) / totalMs : 0,
    p50Median: median(loaded.flatMap((s) => (s.p50Ms === null ? [] : [s.p50Ms]))),
    p95Median: median(loaded.flatMap((s) => (s.p95Ms === null ? [] : [s.p95Ms]))),
    busyMax: Math.max(...loaded.map((s) => s.busyMax)),
    queueMax: Math.max(...loaded.map((s) => s.queueMax)),
    rejected: loaded.reduce((n, s) => n + s.rejected, 0),
  };
}

/** A "nice" upper bound for an axis (1, 2 or 5 times a power of ten), at least `floor`. */
export function niceMax(value: number, floor = 1): number {
  const v = Math.max(value, floor);
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export interface ChartScales {
  /** Time range shown (ms since the epoch). */
  t0: number;
  t1: number;
  throughputMax: number;
  latencyMax: number;
  /** Queue slots and workers share the occupancy panel. */
  occupancyMax: number;
  capacity: number | null;
}

/** Scales for the chart: the last samples (up to `maxSpanMs`), axes that fit the data and the modelled capacity line. */
export function chartScales(
  state: Pick<WorkerPoolState, 'samples' | 'config' | 'load'>,
  maxSpanMs = 60_000,
): ChartScales | null {
  const { samples, config } = state;
  if (samples.length === 0) return null;
  const t1 = samples[samples.length - 1].t;
  // The time axis grows with the data, from 10 s up to maxSpanMs, then scrolls.
  const spanMs = Math.min(
    maxSpanMs,
    Math.max(10_000, Math.ceil(((t1 - samples[0].t + samples[0].windowMs) * 1.1) / 5000) * 5000),
  );
  const shown = samples.filter((s) => s.t >= t1 - spanMs);
  const capacity = config ? capacityPerSec(config, state.load?.connections ?? null) : null;
  const throughput = Math.max(...shown.map((s) => s.completedPerSec + s.rejectedPerSec), capacity ?? 0);
  const latency = Math.max(...shown.map((s) => s.p95Ms ?? 0));
  const occupancy = Math.max(...shown.map((s) => Math.max(s.queueCap, s.queueMax, s.workers, s.busyMax)));
  return {
    t0: t1 - spanMs,
    t1,
    throughputMax: niceMax(throughput * 1.1, 10),
    latencyMax: niceMax(latency * 1.1, 10),
    occupancyMax: Math.max(1, occupancy),
    capacity,
  };
}

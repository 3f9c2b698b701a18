// The worker-pool view's fold and figures: samples per configuration, bounded history, load runs, the modelled
// capacity K/work, run figures that skip the warm-up window, and chart scales that fit data and capacity.
import { describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import type { WorkerPoolConfig } from '@core/protocol/demos/workerPool';
import type { WorkerPoolStats } from '@core/protocol/events/workerPool';
import {
  capacityPerSec,
  chartScales,
  MAX_SAMPLES,
  niceMax,
  runFigures,
  workerPoolFold,
  type PoolSample,
} from './workerPoolModel';

let seq = 0;
let clock = 1_000_000;
const at = (body: LabEventBody, demo = 'worker-pool'): LabEvent =>
  ({ ...body, seq: ++seq, t: (clock += 500), demo }) as LabEvent;

const config: WorkerPoolConfig = { mode: 'pool', workers: 2, queue: 4, workMs: 20, work: 'sleep', whenFull: 'wait' };

function stats(over: Partial<WorkerPoolStats> = {}): WorkerPoolStats {
  return {
    windowMs: 500,
    mode: 'pool',
    workers: 2,
    queueCap: 4,
    workMs: 20,
    queueLen: 0,
    queueMax: 0,
    busy: 0,
    busyMax: 0,
    inFlight: 0,
    completed: 0,
    completedPerSec: 0,
    rejected: 0,
    rejectedPerSec: 0,
    p50Ms: null,
    p95Ms: null,
    maxMs: null,
    goroutines: 2,
    connections: 0,
    totalCompleted: 0,
    totalRejected: 0,
    loadRunning: false,
    ...over,
  };
}

const statsEvent = (over: Partial<WorkerPoolStats> = {}) =>
  at({ kind: 'workerPool.stats', source: 'observed', ...stats(over) });

function fold(events: LabEvent[]) {
  const f = workerPoolFold('worker-pool');
  const s = f.init();
  for (const e of events) f.step(s, e);
  return s;
}

describe('worker-pool fold', () => {
  it('keeps the configuration, resets the chart on a new one, and ignores other demos', () => {
    const s = fold([
      at({ kind: 'workerPool.config', source: 'observed', config, port: 7409 }),
      statsEvent({ completed: 10 }),
      statsEvent({ completed: 12 }),
      at({ kind: 'workerPool.config', source: 'observed', config: { ...config, workers: 8 }, port: 7409 }),
      statsEvent({ completed: 40, workers: 8 }),
      at({ kind: 'workerPool.stats', source: 'observed', ...stats({ completed: 999 }) }, 'echo'),
    ]);
    expect(s.config?.workers).toBe(8);
    expect(s.port).toBe(7409);
    expect(s.samples.map((x) => x.completed)).toEqual([40]);
    expect(s.latest?.completed).toBe(40);
    expect(s.samples[0].t).toBeGreaterThan(0);
  });

  it('bounds the history it keeps for the chart', () => {
    const events = [at({ kind: 'workerPool.config', source: 'observed', config, port: 1 })];
    for (let i = 0; i < MAX_SAMPLES + 25; i++) events.push(statsEvent({ completed: i }));
    const s = fold(events);
    expect(s.samples).toHaveLength(MAX_SAMPLES);
    expect(s.samples[0].completed).toBe(25);
  });

  it('follows a load run from start to end, and notes when goroutine events were summarised', () => {
    const started = fold([at({ kind: 'workerPool.loadStart', source: 'observed', connections: 8, durationMs: 5000 })]);
    expect(started.running).toBe(true);
    expect(started.load).toMatchObject({ connections: 8, durationMs: 5000 });
    const s = fold([
      at({ kind: 'workerPool.loadStart', source: 'observed', connections: 8, durationMs: 5000 }),
      at({ kind: 'workerPool.trace', source: 'observed', streaming: false, suppressed: 1, budgetPerSec: 4000 }),
      at({
        kind: 'workerPool.loadEnd',
        source: 'observed',
        roundTrips: 400,
        perSecond: 80,
        seconds: 5,
        errors: 0,
        stoppedEarly: false,
      }),
    ]);
    expect(s.running).toBe(false);
    expect(s.load).toMatchObject({ roundTrips: 400, perSecond: 80, stoppedEarly: false });
    expect(s.traceSummarised).toBe(true);
  });
});

describe('capacity and run figures', () => {
  it('models capacity as K/work, limited by the clients, one at a time for CPU work', () => {
    expect(capacityPerSec(config, 8)).toBe(100);
    expect(capacityPerSec(config, 1)).toBe(50);
    expect(capacityPerSec({ ...config, mode: 'unbounded' }, 8)).toBe(400);
    expect(capacityPerSec({ ...config, work: 'cpu', workers: 8 }, 8)).toBe(50);
    expect(capacityPerSec({ ...config, workMs: 0 }, 8)).toBeNull();
  });

  it('averages the loaded windows after the first, by time, and takes medians of the percentiles', () => {
    const samples: PoolSample[] = [
      { ...stats({ loadRunning: false, completed: 0 }), t: 0 },
      { ...stats({ loadRunning: true, completed: 5, p50Ms: 10, p95Ms: 12, busyMax: 2 }), t: 500 },
      { ...stats({ loadRunning: true, completed: 50, p50Ms: 80, p95Ms: 90, busyMax: 2, queueMax: 4 }), t: 1000 },
      {
        ...stats({
          loadRunning: true,
          completed: 40,
          windowMs: 400,
          p50Ms: 84,
          p95Ms: 100,
          busyMax: 2,
          queueMax: 3,
          rejected: 1,
        }),
        t: 1400,
      },
      { ...stats({ loadRunning: true, completed: 45, p50Ms: 82, p95Ms: 95, busyMax: 2, queueMax: 4 }), t: 1900 },
    ];
    const f = runFigures(samples)!;
    expect(f.samples).toBe(3);
    expect(f.meanPerSec).toBeCloseTo((135 * 1000) / 1400, 6);
    expect(f.p50Median).toBe(82);
    expect(f.p95Median).toBe(95);
    expect(f.queueMax).toBe(4);
    expect(f.rejected).toBe(1);
    expect(runFigures([{ ...stats(), t: 0 }])).toBeNull();
    // Only the windows of the run that started at sinceT count.
    const later = runFigures(samples, 1000)!;
    expect(later.samples).toBe(2);
    expect(later.p50Median).toBe(82);
  });
});

describe('chart scales', () => {
  it('rounds axes up to 1, 2 or 5 times a power of ten', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(101)).toBe(200);
    expect(niceMax(340)).toBe(500);
    expect(niceMax(3, 10)).toBe(10);
  });

  it('fits throughput, the capacity line, latency and occupancy', () => {
    const samples: PoolSample[] = [
      { ...stats({ completedPerSec: 90, p95Ms: 110, queueMax: 4, busyMax: 2 }), t: 100_000 },
      { ...stats({ completedPerSec: 95, p95Ms: 40, rejectedPerSec: 20 }), t: 100_500 },
    ];
    const sc = chartScales({ samples, config, load: { connections: 8, durationMs: 5000, startedAt: 0 } })!;
    expect(sc.capacity).toBe(100);
    expect(sc.throughputMax).toBe(200); // 115 answered per second (95 done + 20 busy) × 1.1
    expect(sc.latencyMax).toBe(200);
    expect(sc.occupancyMax).toBe(4);
    expect(sc.t1).toBe(100_500);
    // Two samples half a second apart: the axis starts at its 10 s minimum.
    expect(sc.t1 - sc.t0).toBe(10_000);
    const long = Array.from({ length: 300 }, (_, i) => ({ ...stats(), t: 100_000 + i * 500 }));
    const scLong = chartScales({ samples: long, config, load: null })!;
    expect(scLong.t1 - scLong.t0).toBe(60_000);
    expect(chartScales({ samples: [], config, load: null })).toBeNull();
  });
});

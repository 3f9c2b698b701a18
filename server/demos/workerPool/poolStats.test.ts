// The statistics window: nearest-rank percentiles, per-second rates over the window's real length, maxima kept
// between snapshots, totals that survive them, and a bounded latency sample.
import { describe, expect, it } from 'vitest';
import { PoolStatsWindow, quantile, type PoolGauges } from './poolStats.js';

const gauges = (over: Partial<PoolGauges> = {}): PoolGauges => ({
  mode: 'pool',
  workers: 2,
  queueCap: 4,
  workMs: 10,
  queueLen: 0,
  busy: 0,
  inFlight: 0,
  goroutines: 3,
  connections: 1,
  loadRunning: false,
  ...over,
});

describe('quantile', () => {
  it('uses the nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(v, 0.5)).toBe(50);
    expect(quantile(v, 0.95)).toBe(95);
    expect(quantile(v, 1)).toBe(100);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
  });
});

describe('PoolStatsWindow', () => {
  it('turns a window into rates and percentiles, then starts afresh', () => {
    const w = new PoolStatsWindow(1000);
    for (const ms of [30, 10, 20, 40]) w.completedOne(ms);
    w.rejectedOne();
    w.observe(3, 2);
    w.observe(1, 1);
    const s = w.snapshot(1500, gauges({ queueLen: 1, busy: 1 }));
    expect(s.windowMs).toBe(500);
    expect(s.completed).toBe(4);
    expect(s.completedPerSec).toBe(8);
    expect(s.rejectedPerSec).toBe(2);
    expect(s.p50Ms).toBe(20);
    expect(s.p95Ms).toBe(40);
    expect(s.maxMs).toBe(40);
    expect(s.queueMax).toBe(3);
    expect(s.busyMax).toBe(2);
    expect(s.goroutines).toBe(3);

    const next = w.snapshot(2500, gauges({ queueLen: 0, busy: 0 }));
    expect(next.completed).toBe(0);
    expect(next.p50Ms).toBeNull();
    // The new window starts from the gauges at the previous snapshot.
    expect(next.queueMax).toBe(1);
    expect(next.busyMax).toBe(1);
    expect(next.totalCompleted).toBe(4);
    expect(next.totalRejected).toBe(1);
  });

  it('keeps a bounded sample of latencies and still counts every completion', () => {
    let seed = 1;
    const w = new PoolStatsWindow(0, () => (seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 100_000; i++) w.completedOne(i % 100);
    const s = w.snapshot(1000, gauges());
    expect(s.completed).toBe(100_000);
    expect(s.p50Ms!).toBeGreaterThanOrEqual(45);
    expect(s.p50Ms!).toBeLessThanOrEqual(55);
    expect(s.maxMs).toBe(99);
  });
});

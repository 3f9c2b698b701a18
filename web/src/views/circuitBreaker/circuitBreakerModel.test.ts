import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import type { CallerPathStats } from '@core/protocol/events/circuitBreaker';
import { BreakerRunArgs } from '@core/protocol/demos/circuitBreaker';
import { circuitBreakerFold, edgeCounts, pathPeaks, stateBands } from './circuitBreakerModel';

let seq = 0;
const ev = (t: number, body: object, demo = 'circuit-breaker') =>
  ({ seq: ++seq, t, demo, source: 'observed', ...body }) as LabEvent;
const path = (waitingMax: number, p95Ms: number | null): CallerPathStats => ({
  startedPerSec: 20,
  okPerSec: 20,
  failedPerSec: 0,
  fastFailedPerSec: 0,
  waiting: waitingMax,
  waitingMax,
  p50Ms: p95Ms,
  p95Ms,
});

describe('circuit-breaker model', () => {
  it('folds a run: upstream changes, transitions, windows and totals; other demos ignored', () => {
    const fold = circuitBreakerFold('circuit-breaker');
    const s = fold.init();
    fold.step(s, ev(0, { kind: 'breaker.upstream', mode: 'healthy', latencyMs: 5, port: 9100 }));
    fold.step(s, ev(10, { kind: 'breaker.runStart', args: BreakerRunArgs.parse({}) }));
    fold.step(s, ev(2000, { kind: 'breaker.upstream', mode: 'stalled', latencyMs: 5, port: 9100 }));
    fold.step(s, ev(2500, { kind: 'breaker.transition', from: 'closed', to: 'open', reason: 'failures', count: 5 }));
    fold.step(
      s,
      ev(2600, { kind: 'breaker.stats', windowMs: 250, state: 'open', direct: path(30, 2000), breaker: path(5, 1) }),
    );
    fold.step(s, ev(2700, { kind: 'breaker.transition', from: 'closed', to: 'open' }, 'other'));
    expect(s.running).toBe(true);
    expect(s.upstreamChanges.map((u) => u.mode)).toEqual(['healthy', 'stalled']);
    expect(s.transitions).toHaveLength(1);
    expect(s.samples).toHaveLength(1);
    const totals = {
      direct: { ok: 1, failed: 2, fastFailed: 0, maxWaiting: 30 },
      breaker: { ok: 1, failed: 1, fastFailed: 9, maxWaiting: 5 },
    };
    fold.step(s, ev(9000, { kind: 'breaker.runEnd', stoppedEarly: false, totals }));
    expect(s.running).toBe(false);
    expect(s.run?.totals).toEqual(totals);
  });

  it('turns transitions into state bands and edge counts', () => {
    const tr = [
      { t: 100, from: 'closed', to: 'open', reason: 'failures', count: 5 },
      { t: 200, from: 'open', to: 'half-open', reason: 'cool-down-over', count: 0 },
      { t: 210, from: 'half-open', to: 'open', reason: 'probe-failed', count: 0 },
      { t: 310, from: 'open', to: 'half-open', reason: 'cool-down-over', count: 0 },
      { t: 330, from: 'half-open', to: 'closed', reason: 'probes-succeeded', count: 2 },
    ] as const;
    expect(stateBands([...tr], 0, 400).map((b) => `${b.state}:${b.from}-${b.to}`)).toEqual([
      'closed:0-100',
      'open:100-200',
      'half-open:200-210',
      'open:210-310',
      'half-open:310-330',
      'closed:330-400',
    ]);
    expect(edgeCounts([...tr])).toEqual({
      'closed>open': 1,
      'open>half-open': 2,
      'half-open>open': 1,
      'half-open>closed': 1,
    });
  });

  it('finds each path’s peaks', () => {
    const samples = [
      { t: 0, state: 'closed' as const, direct: path(3, 10), breaker: path(3, 10) },
      { t: 1, state: 'open' as const, direct: path(40, 2000), breaker: path(5, null) },
    ];
    expect(pathPeaks(samples)).toEqual({
      direct: { waitingMax: 40, p95Max: 2000 },
      breaker: { waitingMax: 5, p95Max: 10 },
    });
  });
});

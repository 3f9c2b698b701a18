import { describe, expect, it } from 'vitest';
import type { TcpLossRunResult } from '@core/protocol/demos/tcpLoss';
import type { LabEvent } from '@core/protocol/events';
import { backoffRows, formatBytes, slowdown, summary, tcpLossFold, throughputSeries } from './tcpLossModel';

/** A run as the server sends it, with the figures a test sets. */
function runResult(lossPercent: number, elapsedMs: number, retransSegs: number): TcpLossRunResult {
  return {
    run: 'transfer',
    origin: 'live',
    settings: { bytes: 2 << 20, lossPercent, direction: 'data', rateMbit: 20, delayMs: 0, timeLimitSeconds: 40 },
    finished: true,
    elapsedMs,
    bytesReceived: 2 << 20,
    namespace: 'gnloss-1-abcdef',
    rules: [],
    netem: { available: false, detail: 'Error: Specified qdisc kind is unknown.' },
    droppedByRule: retransSegs,
    analysis: {
      dataSegments: 1500,
      ackSegments: 700,
      retransmissions: Array.from({ length: retransSegs }, (_, i) => ({
        t: i / 100,
        seq: i * 1448,
        len: 1448,
        previousSends: 1,
        gap: 0.01,
        cause: 'dupacks' as const,
      })),
      duplicateAcks: 3 * retransSegs,
      sackAcks: [],
      sackAckCount: 2 * retransSegs,
      backoff: [],
      throughput: [],
      rtt: [],
      seqPoints: [],
      ackPoints: [],
      duration: elapsedMs / 1000,
    },
    socket: [],
    counters: [{ name: 'Tcp:RetransSegs', before: 10, after: 10 + retransSegs }],
  };
}

const clean = runResult(0, 900, 0);
const lossy = runResult(20, 4080, 33);

function withChains(
  chains: Array<{ seq: number; gaps: number[]; causes: Array<'dupacks' | 'timer'> }>,
): TcpLossRunResult {
  return {
    ...lossy,
    analysis: { ...lossy.analysis!, backoff: chains.map((c) => ({ ...c, sends: [0, ...c.gaps] })) },
  };
}

describe('tcpLossModel', () => {
  it('turns acknowledged bytes per 100 ms into MB/s', () => {
    const r = {
      ...clean,
      analysis: {
        ...clean.analysis!,
        throughput: [
          { t: 0, bytes: 250_000 },
          { t: 0.1, bytes: 0 },
        ],
      },
    };
    expect(throughputSeries(r)).toEqual([
      [0, 2.5],
      [0.1, 0],
    ]);
  });

  it('sums a run up from its capture and the kernel counters', () => {
    const s = summary(lossy);
    expect(s.retransmissionsCaptured).toBe(lossy.analysis!.retransmissions.length);
    const kernel = lossy.counters.find((c) => c.name === 'Tcp:RetransSegs')!;
    expect(s.retransSegsKernel).toBe(kernel.after - kernel.before);
    expect(s.mbPerSecond).toBeCloseTo(lossy.bytesReceived / (lossy.elapsedMs / 1000) / 1e6, 6);
    expect(slowdown(clean, lossy)).toBeCloseTo(lossy.elapsedMs / clean.elapsedMs, 6);
    expect(slowdown(null, lossy)).toBeNull();
  });

  it('puts chains where the timer doubled first, and only calls timer gaps a doubling', () => {
    const rows = backoffRows(
      withChains([
        { seq: 1, gaps: [0.01, 0.02], causes: ['dupacks', 'dupacks'] },
        { seq: 2, gaps: [0.2, 0.4, 0.8], causes: ['timer', 'timer', 'timer'] },
        { seq: 3, gaps: [0.2, 0.9], causes: ['timer', 'timer'] },
      ]),
    );
    expect(rows.map((r) => [r.seq, r.doubled])).toEqual([
      [2, true],
      [3, false],
      [1, false],
    ]);
    expect(rows[0]!.gaps.map((g) => Math.round(g.ms))).toEqual([200, 400, 800]);
  });

  it("follows the newest run's progress until its end", () => {
    const state = tcpLossFold.init();
    const ev = (body: object) => body as LabEvent;
    tcpLossFold.step(
      state,
      ev({ kind: 'tcpLoss.progress', run: 'loss-1', settings: lossy.settings, elapsedMs: 100, received: 10 }),
    );
    expect(state.progress).toMatchObject({ run: 'loss-1', received: 10, done: false });
    tcpLossFold.step(state, ev({ kind: 'tcpLoss.runEnd', run: 'loss-0', result: lossy }));
    expect(state.progress?.done).toBe(false);
    tcpLossFold.step(state, ev({ kind: 'tcpLoss.runEnd', run: 'loss-1', result: lossy }));
    expect(state.progress?.done).toBe(true);
  });

  it('writes sizes the way the knob offers them', () => {
    expect([256 * 1024, 1024 * 1024, 2 * 1024 * 1024].map(formatBytes)).toEqual(['256 KB', '1 MB', '2 MB']);
  });
});

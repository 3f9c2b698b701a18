// The connection-pool view's fold: one record per mode, windows only while its run goes, totals at the end.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import { PoolRunArgs } from '@core/protocol/demos/connectionPool';
import type { PoolRunTotals } from '@core/protocol/events/connectionPool';
import {
  connectionPoolFold,
  handshakesAgree,
  MAX_SAMPLES,
  peakWaiting,
  requestsPerHandshake,
} from './connectionPoolModel';

const DEMO = 'connection-pool';
let seq = 0;
const ev = (body: object, demo = DEMO) => ({ seq: ++seq, t: seq, demo, ...body }) as unknown as LabEvent;
const stats = (mode: 'dial' | 'pool', okPerSec: number) =>
  ev({
    kind: 'pool.stats',
    source: 'observed',
    mode,
    atMs: 250,
    windowMs: 250,
    okPerSec,
    failedPerSec: 0,
    dialsPerSec: 0,
    handshakesPerSec: 0,
    p50Ms: 1,
    open: 1,
    idle: 0,
    inUse: 1,
    dialing: 0,
    waiting: 0,
  });
const totals = (ok: number, dials: number, toProxy: number | null): PoolRunTotals => ({
  ok,
  failed: 0,
  failedOnDeadConn: 0,
  counters: {
    dials,
    dialFailures: 0,
    reuses: ok - dials,
    discardedUnhealthy: 0,
    closedIdleTimeout: 0,
    closedOverMaxIdle: 0,
    closedBroken: 0,
    waited: 0,
    waitTimeouts: 0,
    queueFull: 0,
  },
  capturedHandshakes: toProxy === null ? null : { toProxy, toServer: toProxy },
  requestsPerSec: ok,
});

function play(events: LabEvent[]) {
  const fold = connectionPoolFold(DEMO);
  const s = fold.init();
  for (const e of events) fold.step(s, e);
  return s;
}

describe('connectionPoolFold', () => {
  it('keeps the last run of each mode, so both modes are drawn together', () => {
    const s = play([
      ev({
        kind: 'pool.runStart',
        source: 'observed',
        args: PoolRunArgs.parse({ mode: 'dial' }),
        capture: { capturing: true },
        proxyPort: 1,
        serverPort: 2,
      }),
      stats('dial', 900),
      ev({
        kind: 'pool.runEnd',
        source: 'observed',
        mode: 'dial',
        stoppedEarly: false,
        durationMs: 3000,
        totals: totals(2700, 2700, 2700),
      }),
      ev({
        kind: 'pool.runStart',
        source: 'observed',
        args: PoolRunArgs.parse({ mode: 'pool' }),
        capture: { capturing: true },
        proxyPort: 1,
        serverPort: 2,
      }),
      stats('pool', 9000),
      ev({ kind: 'pool.reset', source: 'observed', atMs: 1000, connections: 8 }),
    ]);
    expect(s.running).toBe('pool');
    expect(s.runs.dial?.totals?.ok).toBe(2700);
    expect(s.runs.dial?.samples.map((x) => x.okPerSec)).toEqual([900]);
    expect(s.runs.pool?.samples.map((x) => x.okPerSec)).toEqual([9000]);
    expect(s.runs.pool?.resets).toEqual([{ atMs: 1000, connections: 8 }]);
  });

  it('ignores other demos and windows after a run ended, and bounds the windows kept', () => {
    const events = [
      ev({
        kind: 'pool.runStart',
        source: 'observed',
        args: PoolRunArgs.parse({}),
        capture: { capturing: false },
        proxyPort: 1,
        serverPort: 2,
      }),
      ...Array.from({ length: MAX_SAMPLES + 5 }, () => stats('pool', 5)),
      ev({
        kind: 'pool.runEnd',
        source: 'observed',
        mode: 'pool',
        stoppedEarly: true,
        durationMs: 10,
        totals: totals(5, 1, null),
      }),
      stats('pool', 7),
      ev(
        {
          kind: 'pool.runStart',
          source: 'observed',
          args: PoolRunArgs.parse({ mode: 'dial' }),
          capture: { capturing: false },
          proxyPort: 1,
          serverPort: 2,
        },
        'other',
      ),
    ];
    const s = play(events);
    expect(s.running).toBeNull();
    expect(s.runs.pool?.samples).toHaveLength(MAX_SAMPLES);
    expect(s.runs.pool?.stoppedEarly).toBe(true);
    expect(s.runs.dial).toBeUndefined();
  });

  it('says whether the captured handshakes agree with the dials, and requests per handshake', () => {
    expect(handshakesAgree(totals(100, 4, 4))).toBe(true);
    expect(handshakesAgree(totals(100, 4, 5))).toBe(false);
    expect(handshakesAgree(totals(100, 4, null))).toBeNull();
    expect(requestsPerHandshake(totals(100, 4, 4))).toBe(25);
    expect(requestsPerHandshake(totals(100, 4, null))).toBe(25);
    expect(requestsPerHandshake(totals(0, 0, 0))).toBeNull();
  });

  it('finds the most callers waiting at one tick of a run', () => {
    const s = play([
      ev({
        kind: 'pool.runStart',
        source: 'observed',
        args: PoolRunArgs.parse({}),
        capture: { capturing: true },
        proxyPort: 1,
        serverPort: 2,
      }),
      { ...stats('pool', 5), waiting: 3 } as LabEvent,
      { ...stats('pool', 5), waiting: 6 } as LabEvent,
      { ...stats('pool', 5), waiting: 0 } as LabEvent,
    ]);
    expect(peakWaiting(s.runs.pool)).toBe(6);
    expect(peakWaiting(undefined)).toBe(0);
  });
});

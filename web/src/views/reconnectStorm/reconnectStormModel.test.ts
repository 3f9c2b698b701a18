import { describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import { chartScale, reconnectStormFold, type StormState } from './reconnectStormModel';

let seq = 0;
const ev = (body: LabEventBody, demo = 'reconnect-storm'): LabEvent => ({ ...body, seq: ++seq, t: seq, demo });

function fold(events: LabEventBody[], demo?: string): StormState {
  const f = reconnectStormFold('reconnect-storm');
  const s = f.init();
  for (const e of events) f.step(s, ev(e, demo));
  return s;
}

const start: LabEventBody = {
  kind: 'storm.runStart',
  source: 'observed',
  bucketMs: 100,
  port: 9000,
  clients: 10,
  policies: ['none', 'jitter'],
  downMs: 500,
  baseMs: 50,
  capMs: 400,
};
const bucket = (policy: 'none' | 'jitter', index: number, attempts: number, connected = 0): LabEventBody => ({
  kind: 'storm.bucket',
  source: 'observed',
  policy,
  index,
  attempts,
  failed: attempts,
  connected,
});

describe('reconnectStormFold', () => {
  it('collects each policy’s buckets in order, with its comeback time and outcome', () => {
    const s = fold([
      start,
      { kind: 'storm.phase', source: 'observed', policy: 'none', phase: 'down', atMs: 0 },
      bucket('none', 0, 900),
      bucket('none', 1, 1200),
      { kind: 'storm.phase', source: 'observed', policy: 'none', phase: 'up', atMs: 503 },
      {
        kind: 'storm.policyEnd',
        source: 'observed',
        policy: 'none',
        clients: 10,
        attempts: 2100,
        failed: 2090,
        peakPerBucket: 1200,
        peakBucket: 1,
        recoverMs: 4,
        connected: 10,
        capped: false,
      },
      bucket('jitter', 0, 14),
    ]);
    expect(s.running).toBe(true);
    expect(s.policies.map((p) => p.policy)).toEqual(['none', 'jitter']);
    expect(s.policies[0]).toMatchObject({ attempts: [900, 1200], upAtMs: 503, result: { recoverMs: 4 } });
    expect(s.policies[1].attempts).toEqual([14]);
  });

  it('fills a gap in the buckets with zeros so an index stays a time', () => {
    const s = fold([start, bucket('jitter', 0, 3, 2), bucket('jitter', 3, 5, 9)]);
    expect(s.policies[0].attempts).toEqual([3, 0, 0, 5]);
    expect(s.policies[0].connected).toEqual([2, 2, 2, 9]);
  });

  it('a new run clears the last one; the end says whether it was stopped', () => {
    const s = fold([start, bucket('none', 0, 5), { kind: 'storm.runEnd', source: 'observed', stoppedEarly: true }]);
    expect(s).toMatchObject({ running: false, stoppedEarly: true });
    const again = reconnectStormFold('reconnect-storm');
    again.step(s, ev(start));
    expect(s.policies).toEqual([]);
    expect(s.running).toBe(true);
  });

  it('bumps only the changed policy’s version, so a finished policy’s row is not drawn again', () => {
    const s = fold([start, bucket('none', 0, 7), bucket('none', 1, 3)]);
    const none = s.policies[0];
    expect(none.peak).toBe(7);
    const before = none.version;
    const f = reconnectStormFold('reconnect-storm');
    f.step(s, ev(bucket('jitter', 0, 2)));
    f.step(s, ev(bucket('jitter', 1, 4)));
    expect(none.version).toBe(before);
    expect(s.policies[1]).toMatchObject({ peak: 4, attempts: [2, 4] });
    expect(s.policies[1].version).toBeGreaterThan(0);
    f.step(s, ev({ kind: 'storm.phase', source: 'observed', policy: 'none', phase: 'up', atMs: 300 }));
    expect(none.version).toBeGreaterThan(before);
  });

  it('ignores other demos’ events', () => {
    const s = fold([start], 'echo');
    expect(s.args).toBeNull();
    expect(s.version).toBe(0);
  });
});

describe('chartScale', () => {
  it('gives each policy its own top, never below the number of clients', () => {
    const s = fold([start, bucket('none', 0, 900), bucket('jitter', 0, 4), bucket('jitter', 1, 6)]);
    const sc = chartScale(s);
    expect(sc.yMax.get('none')).toBe(900);
    expect(sc.yMax.get('jitter')).toBe(10);
    expect(sc.buckets).toBe(10);
  });
});

import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import type { RateLimitStats } from '@core/protocol/events/rateLimit';
import { chartWindow, parseSteps, rateLimitFold, stepSummaries } from './rateLimitModel';

let seq = 0;
const ev = (t: number, body: object, demo = 'rate-limit') =>
  ({ seq: ++seq, t, demo, source: 'observed', ...body }) as LabEvent;

function stats(t: number, target: number, accepted: number, refused: number, level = 10): LabEvent {
  const s: RateLimitStats = {
    windowMs: 250,
    offeredPerSec: accepted + refused,
    acceptedPerSec: accepted,
    refusedClientPerSec: 0,
    refusedGlobalPerSec: refused,
    globalLevel: level,
    globalLevelMin: level,
    targetPerSec: target,
    connections: 4,
    totalAccepted: 0,
    totalRefused: 0,
  };
  return ev(t, { kind: 'rateLimit.stats', ...s });
}

describe('rate-limit model', () => {
  it('folds settings, windows and the run, and ignores other demos', () => {
    const fold = rateLimitFold('rate-limit');
    const s = fold.init();
    const config = { globalRate: 200, globalBurst: 50, clientRate: 100, clientBurst: 20 };
    fold.step(s, ev(0, { kind: 'rateLimit.config', config, port: 9000 }));
    fold.step(s, ev(1, { kind: 'rateLimit.loadStart', connections: 4, steps: [100, 400], stepMs: 1000 }));
    fold.step(s, stats(250, 100, 100, 0));
    fold.step(s, stats(250, 100, 100, 0, 3));
    fold.step(s, ev(300, { kind: 'rateLimit.stats' }, 'other'));
    expect(s.config).toEqual(config);
    expect(s.running).toBe(true);
    expect(s.samples).toHaveLength(2);
    fold.step(
      s,
      ev(2100, {
        kind: 'rateLimit.loadEnd',
        sent: 500,
        accepted: 300,
        refused: 200,
        errors: 0,
        seconds: 2,
        stoppedEarly: false,
      }),
    );
    expect(s.running).toBe(false);
    expect(s.load?.result).toEqual({
      sent: 500,
      accepted: 300,
      refused: 200,
      errors: 0,
      seconds: 2,
      stoppedEarly: false,
    });
  });

  it('summarises each step over the windows wholly inside it', () => {
    const load = { steps: [100, 400], stepMs: 1000, connections: 4, startedAt: 0 };
    const samples = [
      { ...stats(250, 100, 100, 0), t: 250 },
      { ...stats(500, 100, 100, 0), t: 500 },
      { ...stats(1100, 400, 300, 50), t: 1100 }, // straddles the step change: left out
      { ...stats(1500, 400, 200, 200, 0.2), t: 1500 },
      { ...stats(1750, 400, 200, 200, 0.4), t: 1750 },
    ].map(
      ({ seq: _s, demo: _d, kind: _k, source: _src, ...rest }) =>
        rest as unknown as ReturnType<typeof chartWindow>['samples'][number],
    );
    const steps = stepSummaries(samples, load);
    expect(steps).toEqual([
      { target: 100, offered: 100, accepted: 100, refused: 0, levelMin: 10, windows: 2 },
      { target: 400, offered: 400, accepted: 200, refused: 200, levelMin: 0.2, windows: 2 },
    ]);
    expect(stepSummaries(samples, null)).toEqual([]);
  });
});

describe('parseSteps', () => {
  it('reads one to eight rates separated by commas or spaces, in range', () => {
    expect(parseSteps('100, 200 400')).toEqual([100, 200, 400]);
    expect(parseSteps('50，100')).toEqual([50, 100]);
    expect(parseSteps('')).toBeNull();
    expect(parseSteps('0')).toBeNull();
    expect(parseSteps('100, x')).toBeNull();
    expect(parseSteps('5000')).toBeNull();
    expect(parseSteps('1 2 3 4 5 6 7 8 9')).toBeNull();
  });
});

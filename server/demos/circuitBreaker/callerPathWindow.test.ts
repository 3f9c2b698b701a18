import { describe, expect, it } from 'vitest';
import { CallerPathWindow } from './callerPathWindow.js';

describe('CallerPathWindow', () => {
  it('counts calls, waiting callers and latency percentiles per window', () => {
    const w = new CallerPathWindow(0);
    for (let i = 0; i < 10; i++) w.callStarted();
    for (let i = 0; i < 6; i++) w.callEnded(true, 10 + i);
    w.callEnded(false, 2000);
    for (let i = 0; i < 3; i++) w.failedFast(0.1);
    const s = w.close(500);
    expect(s).toEqual({
      startedPerSec: 26,
      okPerSec: 12,
      failedPerSec: 2,
      fastFailedPerSec: 6,
      waiting: 3,
      waitingMax: 10,
      p50Ms: 12, // of 0.1 ×3, 10…15, 2000
      p95Ms: 2000,
    });
    // The next window starts with the three callers still waiting.
    const next = w.close(1000);
    expect(next).toMatchObject({ startedPerSec: 0, waiting: 3, waitingMax: 3, p50Ms: null, p95Ms: null });
    expect(w.totals).toEqual({ ok: 6, failed: 1, fastFailed: 3, maxWaiting: 10 });
  });
});

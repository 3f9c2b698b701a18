import { describe, expect, it } from 'vitest';
import { RateLimitWindow } from './rateLimitWindow.js';

describe('RateLimitWindow', () => {
  it('turns a window of decisions into per-second figures and starts afresh', () => {
    const w = new RateLimitWindow(1000);
    for (let i = 0; i < 30; i++) w.record({ accepted: true }, 10 - i / 10);
    for (let i = 0; i < 10; i++) w.record({ accepted: false, by: 'client', retryAfterMs: 5 }, 7);
    for (let i = 0; i < 5; i++) w.record({ accepted: false, by: 'global', retryAfterMs: 5 }, 0.5);
    const s = w.close(1250, { globalLevel: 2, targetPerSec: 200, connections: 4 });
    expect(s).toMatchObject({
      windowMs: 250,
      offeredPerSec: 180,
      acceptedPerSec: 120,
      refusedClientPerSec: 40,
      refusedGlobalPerSec: 20,
      globalLevel: 2,
      globalLevelMin: 0.5,
      totalAccepted: 30,
      totalRefused: 15,
    });
    const next = w.close(1500, { globalLevel: 3, targetPerSec: 0, connections: 0 });
    expect(next).toMatchObject({ offeredPerSec: 0, globalLevelMin: 3, totalAccepted: 30, totalRefused: 15 });
  });
});

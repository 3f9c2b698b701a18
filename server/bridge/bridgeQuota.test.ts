// Session quotas: socket and listener counts (per session and lab-wide), control message rate, byte-rate debt.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BRIDGE_LIMITS } from './bridgeGateway.js';
import { ByteRateLimiter, LabBridgeCounters, SessionQuota } from './bridgeQuota.js';

const limits = { ...DEFAULT_BRIDGE_LIMITS, maxSockets: 2, maxListeners: 1, controlPerSecond: 3 };

describe('SessionQuota', () => {
  it('counts sockets per session and refuses past the limit until one closes', () => {
    const lab = new LabBridgeCounters(100);
    const q = new SessionQuota(limits, lab, 0);
    expect(q.openSocket()).toBeNull();
    expect(q.openSocket()).toBeNull();
    expect(q.openSocket()?.code).toBe('E_BRIDGE_TOO_MANY_SOCKETS');
    expect(lab.sockets).toBe(2);
    q.closeSocket();
    expect(q.openSocket()).toBeNull();
  });

  it('shares the lab-wide socket limit between sessions', () => {
    const lab = new LabBridgeCounters(3);
    const a = new SessionQuota(limits, lab, 0);
    const b = new SessionQuota(limits, lab, 0);
    expect(a.openSocket()).toBeNull();
    expect(a.openSocket()).toBeNull();
    expect(b.openSocket()).toBeNull();
    const refusal = b.openSocket();
    expect(refusal?.code).toBe('E_BRIDGE_TOO_MANY_SOCKETS');
    expect(refusal?.detail).toContain('the lab');
    a.releaseAll();
    expect(lab.sockets).toBe(1);
    expect(b.openSocket()).toBeNull();
  });

  it('limits listeners', () => {
    const q = new SessionQuota(limits, new LabBridgeCounters(10), 0);
    expect(q.openListener()).toBeNull();
    expect(q.openListener()?.code).toBe('E_BRIDGE_TOO_MANY_LISTENERS');
    q.closeListener();
    expect(q.openListener()).toBeNull();
  });

  it('refuses control messages beyond the rate and lets them through again later', () => {
    const q = new SessionQuota(limits, new LabBridgeCounters(10), 0);
    expect([q.takeControl(0), q.takeControl(0), q.takeControl(0), q.takeControl(0)]).toEqual([true, true, true, false]);
    expect(q.takeControl(400)).toBe(true);
  });
});

describe('ByteRateLimiter', () => {
  it('lets a burst through, then asks the caller to wait in proportion to the debt', () => {
    const r = new ByteRateLimiter(1000, 500, 0);
    expect(r.take(500, 0)).toBe(0);
    expect(r.take(1000, 0)).toBeCloseTo(1000);
    expect(r.delay(500)).toBeCloseTo(500);
    expect(r.delay(1000)).toBe(0);
    // Refill never exceeds the burst.
    expect(r.take(600, 100_000)).toBeCloseTo(100);
  });
});

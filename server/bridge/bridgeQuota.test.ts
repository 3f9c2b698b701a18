// Session quotas: socket and listener counts (per session and lab-wide), control message rate, byte-rate debt.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BRIDGE_LIMITS } from './bridgeGateway.js';
import { LabBridgeCounters, SessionQuota } from './bridgeQuota.js';

const limits = { ...DEFAULT_BRIDGE_LIMITS, maxSockets: 2, maxListeners: 1, controlPerSecond: 3 };

describe('SessionQuota', () => {
  it('counts sockets per session and refuses past the limit until one closes', () => {
    const lab = new LabBridgeCounters(100);
    const q = new SessionQuota(limits, lab, () => 0);
    expect(q.openSocket()).toBeNull();
    expect(q.openSocket()).toBeNull();
    expect(q.openSocket()?.code).toBe('E_BRIDGE_TOO_MANY_SOCKETS');
    expect(lab.sockets).toBe(2);
    q.closeSocket();
    expect(q.openSocket()).toBeNull();
  });

  it('shares the lab-wide socket limit between sessions', () => {
    const lab = new LabBridgeCounters(3);
    const a = new SessionQuota(limits, lab, () => 0);
    const b = new SessionQuota(limits, lab, () => 0);
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
    const q = new SessionQuota(limits, new LabBridgeCounters(10), () => 0);
    expect(q.openListener()).toBeNull();
    expect(q.openListener()?.code).toBe('E_BRIDGE_TOO_MANY_LISTENERS');
    q.closeListener();
    expect(q.openListener()).toBeNull();
  });

  it('refuses control messages beyond the rate and lets them through again later', () => {
    let t = 0;
    const q = new SessionQuota(limits, new LabBridgeCounters(10), () => t);
    expect([q.takeControl(), q.takeControl(), q.takeControl(), q.takeControl()]).toEqual([true, true, true, false]);
    t = 400;
    expect(q.takeControl()).toBe(true);
  });

  it('lets a quarter second of bytes through, then asks the sender to wait in proportion to the debt', () => {
    let t = 0;
    const q = new SessionQuota({ ...limits, bytesPerSecond: 4000 }, new LabBridgeCounters(10), () => t);
    expect(q.bytesOut.owe(1000)).toBe(0);
    expect(q.bytesOut.owe(1000)).toBeCloseTo(250);
    t = 125;
    expect(q.bytesOut.delay()).toBeCloseTo(125);
    // The two directions have budgets of their own.
    expect(q.bytesIn.delay()).toBe(0);
  });
});

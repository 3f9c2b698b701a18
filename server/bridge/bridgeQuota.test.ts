// Session quotas: socket and listener counts (per session and lab-wide), control message rate, byte-rate debt.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BRIDGE_LIMITS } from './bridgeGateway.js';
import { LabBridgeCounters, permitsFor, SessionQuota } from './bridgeQuota.js';

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

describe('LabBridgeCounters: lab-wide and per-client claims (issue 12, finding 4)', () => {
  it('one client cannot take every session: its own limit comes first, others still get in', () => {
    const lab = new LabBridgeCounters(100, { maxSessions: 4, maxSessionsPerClient: 2 });
    expect(lab.claim('session', '10.0.0.7')).toBeNull();
    expect(lab.claim('session', '10.0.0.7')).toBeNull();
    expect(lab.claim('session', '10.0.0.7')?.code).toBe('E_BRIDGE_CLIENT_BUSY');
    expect(lab.claim('session', '10.0.0.8')).toBeNull();
    expect(lab.claim('session', '10.0.0.9')).toBeNull();
    expect(lab.claim('session', '10.0.0.10')?.code).toBe('E_BRIDGE_BUSY');
    lab.release('session', '10.0.0.7');
    expect(lab.count('session', '10.0.0.7')).toBe(1);
    expect(lab.claim('session', '10.0.0.10')).toBeNull();
  });

  it('captures and pollers have their own lab-wide and per-client limits, refused with E_BRIDGE_CAPTURE_BUSY', () => {
    const lab = new LabBridgeCounters(100, {
      maxCaptures: 3,
      maxCapturesPerClient: 2,
      maxPollers: 1,
      maxPollersPerClient: 1,
    });
    const a = permitsFor(lab, 'a');
    const b = permitsFor(lab, 'b');
    expect([a.claim('capture'), a.claim('capture')]).toEqual([null, null]);
    expect(a.claim('capture')?.code).toBe('E_BRIDGE_CAPTURE_BUSY');
    expect(b.claim('capture')).toBeNull();
    expect(b.claim('capture')?.detail).toContain('the lab');
    expect(a.claim('poller')).toBeNull();
    expect(b.claim('poller')?.code).toBe('E_BRIDGE_CAPTURE_BUSY');
    a.release('poller');
    expect(b.claim('poller')).toBeNull();
    expect(lab.count('capture')).toBe(3);
  });

  it('releasing more than was claimed never goes below zero', () => {
    const lab = new LabBridgeCounters(100);
    lab.release('capture', 'x');
    expect(lab.count('capture')).toBe(0);
    expect(lab.claim('capture', 'x')).toBeNull();
    expect(lab.count('capture', 'x')).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { lossRuleset, namespacePrivilege, qdiscArgs, RECEIVER_PORT, staleNamespaces } from './lossNamespace.js';

describe('namespacePrivilege', () => {
  it('allows root, and a user with both capabilities, and names what is missing', () => {
    expect(namespacePrivilege(0, '')).toEqual({ allowed: true, missing: [] });
    // CapEff with bits 12 (NET_ADMIN) and 21 (SYS_ADMIN)
    expect(namespacePrivilege(1000, 'Name:\tx\nCapEff:\t0000000000201000\n')).toEqual({ allowed: true, missing: [] });
    expect(namespacePrivilege(1000, 'CapEff:\t0000000000001000\n')).toEqual({
      allowed: false,
      missing: ['CAP_SYS_ADMIN'],
    });
    expect(namespacePrivilege(65534, 'CapEff:\t0000000000000000\n').missing).toEqual([
      'CAP_NET_ADMIN',
      'CAP_SYS_ADMIN',
    ]);
    expect(namespacePrivilege(65534, '').allowed).toBe(false);
  });
});

describe('lossRuleset', () => {
  it('drops the chosen direction on input, never SYNs', () => {
    const data = lossRuleset({ lossPercent: 20, direction: 'data' });
    expect(data).toContain('hook input');
    expect(data).toContain(`tcp dport ${RECEIVER_PORT} tcp flags & syn == 0 numgen random mod 100 < 20 counter drop`);
    expect(lossRuleset({ lossPercent: 5, direction: 'acks' })).toContain(`tcp sport ${RECEIVER_PORT} `);
  });
});

describe('qdiscArgs', () => {
  it('uses tbf for the rate, netem only where the kernel has it and a delay is asked for', () => {
    expect(qdiscArgs({ rateMbit: 20, delayMs: 0 }, false)).toEqual([
      'tbf',
      'rate',
      '20mbit',
      'burst',
      '16384',
      'latency',
      '200ms',
    ]);
    expect(qdiscArgs({ rateMbit: 20, delayMs: 30 }, false)?.[0]).toBe('tbf');
    expect(qdiscArgs({ rateMbit: 20, delayMs: 30 }, true)).toEqual(['netem', 'delay', '30ms', 'rate', '20mbit']);
    expect(qdiscArgs({ rateMbit: 0, delayMs: 0 }, true)).toBeNull();
    // a fast rate gets a burst of at least 4 ms of traffic
    expect(qdiscArgs({ rateMbit: 1000, delayMs: 0 }, false)?.[4]).toBe('500000');
  });
});

describe('staleNamespaces', () => {
  it('names only the lab namespaces whose lab process is gone', () => {
    const list = 'gnloss-111-abcdef (id: 3)\ngnloss-222-123456\ngnlab-9f9f9f (id: 1)\nother\n';
    expect(staleNamespaces(list, (pid) => pid === 222)).toEqual(['gnloss-111-abcdef']);
  });
});

import { describe, expect, it } from 'vitest';
import { FAULT_TYPES, parseFaultRule } from './faultProxy.js';

const code = (input: unknown) => {
  const r = parseFaultRule(input);
  return r.ok ? 'ok' : r.error.code;
};

describe('fault settings', () => {
  it('knows toxiproxy’s toxics and the lab’s own', () => {
    expect([...FAULT_TYPES].sort()).toEqual(
      [
        'bandwidth',
        'half_close',
        'latency',
        'limit_data',
        'reset_peer',
        'slicer',
        'slow_close',
        'stall',
        'timeout',
      ].sort(),
    );
  });

  it('fills in defaults: both directions, every connection, no jitter', () => {
    expect(parseFaultRule({ fault: { type: 'latency', ms: 5 } })).toEqual({
      ok: true,
      rule: { fault: { type: 'latency', ms: 5, jitterMs: 0 }, direction: 'both', conn: 'all' },
    });
  });

  it('gives out-of-range values their own code, naming the field and the range', () => {
    const latency = parseFaultRule({ fault: { type: 'latency', ms: -1 } });
    expect(latency.ok || latency.error).toMatchObject({
      code: 'E_FAULT_OUT_OF_RANGE',
      detail: expect.stringContaining('latency.ms'),
    });
    expect(code({ fault: { type: 'bandwidth', bytesPerSecond: 0 } })).toBe('E_FAULT_OUT_OF_RANGE');
    expect(code({ fault: { type: 'slicer', averageBytes: 0 } })).toBe('E_FAULT_OUT_OF_RANGE');
    expect(code({ fault: { type: 'slicer', averageBytes: 4, variationBytes: 4 } })).toBe('E_FAULT_OUT_OF_RANGE');
    expect(code({ fault: { type: 'latency', ms: 1.5 } })).toBe('E_FAULT_OUT_OF_RANGE');
    expect(code({ fault: { type: 'latency', ms: 60_001 } })).toBe('E_FAULT_OUT_OF_RANGE');
    expect(code({ fault: { type: 'limit_data', bytes: -1 } })).toBe('E_FAULT_OUT_OF_RANGE');
    expect(code({ fault: { type: 'stall' }, trigger: { onMessage: 0 } })).toBe('E_FAULT_OUT_OF_RANGE');
    expect(code({ fault: { type: 'stall' }, trigger: { pattern: '' } })).toBe('E_FAULT_OUT_OF_RANGE');
    expect(code({ fault: { type: 'stall' }, trigger: { pattern: 'x'.repeat(65) } })).toBe('E_FAULT_OUT_OF_RANGE');
  });

  it('refuses malformed rules with E_FAULT_BAD', () => {
    expect(code({ fault: { type: 'teleport' } })).toBe('E_FAULT_BAD');
    expect(code({ fault: { type: 'stall' }, direction: 'sideways' })).toBe('E_FAULT_BAD');
    expect(code({ fault: { type: 'stall', ms: 3 } })).toBe('E_FAULT_BAD');
    expect(code('stall')).toBe('E_FAULT_BAD');
  });

  it('accepts the edges of every range', () => {
    expect(code({ fault: { type: 'latency', ms: 0 } })).toBe('ok');
    expect(code({ fault: { type: 'latency', ms: 60_000, jitterMs: 60_000 } })).toBe('ok');
    expect(code({ fault: { type: 'bandwidth', bytesPerSecond: 1 } })).toBe('ok');
    expect(code({ fault: { type: 'slicer', averageBytes: 1 } })).toBe('ok');
    expect(code({ fault: { type: 'stall' }, trigger: { afterBytes: 0 } })).toBe('ok');
  });
});

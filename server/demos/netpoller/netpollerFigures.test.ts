import { describe, expect, it } from 'vitest';
import { cpuModel, machineLine, syscallRates } from './netpollerFigures.js';

describe('syscallRates', () => {
  it('divides each call count by the window, most frequent first, and leaves out calls never made', () => {
    const rates = syscallRates(
      {
        rows: [
          { syscall: 'read', calls: 400, errors: 100, seconds: 0 },
          { syscall: 'epoll_pwait', calls: 100, errors: 0, seconds: 0 },
          { syscall: 'write', calls: 400, errors: 0, seconds: 0 },
          { syscall: 'close', calls: 0, errors: 0, seconds: 0 },
        ],
        totalCalls: 900,
        totalErrors: 100,
      },
      2000,
    );
    expect(rates).toEqual([
      { syscall: 'read', perSecond: 200, errorsPerSecond: 50 },
      { syscall: 'write', perSecond: 200, errorsPerSecond: 0 },
      { syscall: 'epoll_pwait', perSecond: 50, errorsPerSecond: 0 },
    ]);
  });

  it('gives nothing for an empty window', () => {
    expect(
      syscallRates({ rows: [{ syscall: 'read', calls: 1, errors: 0, seconds: 0 }], totalCalls: 1, totalErrors: 0 }, 0),
    ).toEqual([]);
  });
});

describe('cpuModel and machineLine', () => {
  it('reads the model name from /proc/cpuinfo, and names the machine in one line', () => {
    expect(cpuModel('processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t: fpu\n')).toBe(
      'AMD EPYC',
    );
    expect(cpuModel('processor\t: 0\n')).toBe('');
    expect(machineLine({ cpu: 'AMD EPYC', cores: 2, kernel: '6.1', go: 'go1.19.8 linux/amd64', node: 'v20.1.0' })).toBe(
      'AMD EPYC · 2 cores · Linux 6.1 · go1.19.8 linux/amd64 · Node v20.1.0',
    );
    expect(machineLine({ cpu: '', cores: 1, kernel: '6.1', go: null, node: 'v22.0.0' })).toContain('no Go');
  });
});

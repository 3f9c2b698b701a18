// Which texts name which limit, and the prlimit options.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GO_RUN_LIMITS, fatalErrorLimit, limitNotices, prlimitArgs } from './goRunLimits.js';

describe('goRunLimits', () => {
  it('passes every limit to prlimit, the process count only for a run as its own user', () => {
    expect(prlimitArgs({ ...DEFAULT_GO_RUN_LIMITS, cpuSeconds: 3, processes: 40 }, true)).toEqual(
      expect.arrayContaining(['--cpu=3', '--nproc=40', '--core=0']),
    );
    expect(prlimitArgs({ ...DEFAULT_GO_RUN_LIMITS, processes: 40 }, false).some((a) => a.startsWith('--nproc'))).toBe(
      false,
    );
  });

  it('names the limits a program survives from its own error messages', () => {
    expect(limitNotices('accept tcp 127.0.0.1:9000: accept4: too many open files')).toEqual(['E_GO_FILE_LIMIT']);
    expect(limitNotices('write big.bin: file too large')).toEqual(['E_GO_FILE_SIZE_LIMIT']);
    expect(limitNotices('fork/exec /bin/true: resource temporarily unavailable')).toEqual(['E_GO_PROCESS_LIMIT']);
    expect(limitNotices('all good')).toEqual([]);
  });

  it('names the limits behind Go fatal errors, and no limit for others', () => {
    expect(fatalErrorLimit('runtime: out of memory', '')).toBe('E_GO_MEMORY_LIMIT');
    expect(fatalErrorLimit('newosproc', 'runtime: failed to create new OS thread (have 12 already; errno=11)')).toBe(
      'E_GO_PROCESS_LIMIT',
    );
    expect(fatalErrorLimit('concurrent map writes', '')).toBeNull();
  });
});

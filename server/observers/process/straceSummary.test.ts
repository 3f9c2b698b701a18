import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStraceSummary } from './straceSummary.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseStraceSummary', () => {
  it('reads a real table strace 6.1 wrote for the Go echo server (three nc clients)', () => {
    const s = parseStraceSummary(fixture('strace-go-echo.txt'))!;
    expect(s.rows.map((r) => r.syscall)).toEqual([
      'read',
      'write',
      'close',
      'mmap',
      'sched_yield',
      'nanosleep',
      'getsockname',
      'setsockopt',
      'futex',
      'restart_syscall',
      'epoll_ctl',
      'epoll_pwait',
      'accept4',
    ]);
    expect(s.rows[0]).toEqual({ syscall: 'read', calls: 9, errors: 3, seconds: 0 });
    expect(s.rows.find((r) => r.syscall === 'epoll_pwait')).toEqual({
      syscall: 'epoll_pwait',
      calls: 15,
      errors: 0,
      seconds: 0,
    });
    expect(s.totalCalls).toBe(86);
    expect(s.totalErrors).toBe(6);
  });

  it('puts each number under its column when cells are blank (no errors; a total without usecs/call)', () => {
    const text = [
      'strace: Process 17401 attached with 204 threads',
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      ' 86.64    5.636462        5739       982        47 futex',
      ' 10.42    0.677860        3389       200           read',
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    6.314322                  1182        47 total',
    ].join('\n');
    const s = parseStraceSummary(text)!;
    expect(s.rows).toEqual([
      { syscall: 'futex', calls: 982, errors: 47, seconds: 5.636462 },
      { syscall: 'read', calls: 200, errors: 0, seconds: 0.67786 },
    ]);
    expect(s.totalCalls).toBe(1182);
    expect(s.totalErrors).toBe(47);
  });

  it('reads a table with extra min/max columns by their names', () => {
    const text = [
      '% time     seconds  usecs/call     calls    errors  usecs/min  usecs/max syscall',
      '------ ----------- ----------- --------- --------- ---------- ---------- ----------------',
      ' 60.00    0.000600          20        30        10          1         90 read',
      ' 40.00    0.000400          10        40                    1         50 write',
      '------ ----------- ----------- --------- --------- ---------- ---------- ----------------',
      '100.00    0.001000          14        70        10                       total',
    ].join('\n');
    const s = parseStraceSummary(text)!;
    expect(s.rows).toEqual([
      { syscall: 'read', calls: 30, errors: 10, seconds: 0.0006 },
      { syscall: 'write', calls: 40, errors: 0, seconds: 0.0004 },
    ]);
    expect(s.totalCalls).toBe(70);
  });

  it('sums the rows when the total line is missing, and says null when there is no table at all', () => {
    const cut = fixture('strace-go-echo.txt').split('\n').slice(0, 5).join('\n');
    const s = parseStraceSummary(cut)!;
    expect(s.rows).toHaveLength(3);
    expect(s.totalCalls).toBe(9 + 3 + 3);
    expect(parseStraceSummary('strace: attach: ptrace(PTRACE_SEIZE, 27096): Operation not permitted\n')).toBeNull();
    expect(parseStraceSummary('')).toBeNull();
  });

  it('refuses a table whose cells are not numbers', () => {
    const text = ['% time     seconds  usecs/call     calls    errors syscall', '  abc    0.1   1   x   read'].join(
      '\n',
    );
    expect(parseStraceSummary(text)).toBeNull();
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcessStatus, parseTaskListing, parseTaskStat, taskActivity, type TaskStat } from './processStatus.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseProcessStatus', () => {
  it('reads threads, resident memory and context switches from a real /proc/PID/status (the Go echo server)', () => {
    expect(parseProcessStatus(fixture('proc-status-go-echo.txt'))).toEqual({
      name: 'goecho',
      threads: 5,
      rssKiB: 3348,
      voluntaryCtxtSwitches: 1,
      nonvoluntaryCtxtSwitches: 12,
    });
  });

  it('is null without Threads or VmRSS (a kernel thread has no VmRSS; an empty read of an ended process)', () => {
    expect(parseProcessStatus('Name:\tkthreadd\nThreads:\t1\n')).toBeNull();
    expect(parseProcessStatus('')).toBeNull();
  });
});

describe('parseTaskListing', () => {
  it('keeps the numeric entries, sorted', () => {
    expect(parseTaskListing(['26701', '26698', '.', 'x', '26699'])).toEqual([26698, 26699, 26701]);
    expect(parseTaskListing([])).toEqual([]);
  });
});

describe('parseTaskStat', () => {
  it('reads real stat and schedstat lines', () => {
    const [stat, sched] = fixture('task-stat-go-echo.txt').split('\n');
    expect(parseTaskStat(stat!, sched)).toEqual({
      tid: 26698,
      state: 'S',
      utimeTicks: 0,
      stimeTicks: 0,
      runNs: 2531601,
      timeslices: 12,
    });
  });

  it('counts fields from the last parenthesis, so a name with spaces and parentheses does not shift them', () => {
    const stat = '42 (a (weird) name) R 1 42 42 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 100 0 0';
    expect(parseTaskStat(stat)).toEqual({ tid: 42, state: 'R', utimeTicks: 7, stimeTicks: 3, runNs: 0, timeslices: 0 });
  });

  it('is null for a line that is not a stat line', () => {
    expect(parseTaskStat('')).toBeNull();
    expect(parseTaskStat('42 (short) S 1')).toBeNull();
  });
});

describe('taskActivity', () => {
  const t = (tid: number, state: string, ticks: number, slices: number): TaskStat => ({
    tid,
    state,
    utimeTicks: ticks,
    stimeTicks: ticks,
    runNs: 0,
    timeslices: slices,
  });

  it('turns the change between two readings into CPU ms and wake-ups per second, over threads present in both', () => {
    const before = [t(1, 'S', 10, 100), t(2, 'S', 0, 5), t(3, 'S', 50, 50)];
    const after = [t(1, 'R', 15, 300), t(2, 'S', 1, 25), t(4, 'S', 99, 99)];
    const a = taskActivity(before, after, 2000);
    expect(a.threads).toBe(2);
    expect(a.running).toBe(1);
    // (5+5 + 1+1) ticks of 10 ms over 2 s
    expect(a.cpuMsPerSecond).toBe(60);
    expect(a.wakeupsPerSecond).toBe((200 + 20) / 2);
  });

  it('says 0 for an empty window rather than dividing by zero', () => {
    expect(taskActivity([t(1, 'S', 0, 0)], [t(1, 'S', 5, 5)], 0)).toEqual({
      threads: 1,
      running: 0,
      cpuMsPerSecond: 0,
      wakeupsPerSecond: 0,
    });
  });
});

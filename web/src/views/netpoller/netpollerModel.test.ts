import { describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import type { ServerMeasurement } from '@core/protocol/events/netpoller';
import {
  formatRate,
  netpollerFold,
  reactorNumbers,
  sharedBarMax,
  straceSlowdown,
  syscallBars,
  type NetpollerState,
} from './netpollerModel';

let seq = 0;
const ev = (body: LabEventBody, demo = 'netpoller'): LabEvent => ({ ...body, seq: ++seq, t: seq, demo });
const machine = { cpu: 'AMD EPYC', cores: 2, kernel: '6.1', go: 'go1.19.8 linux/amd64', node: 'v20.20.2' };

function measurement(over: Partial<ServerMeasurement> = {}): ServerMeasurement {
  return {
    server: 'go',
    pid: 10,
    threads: 5,
    tasks: 5,
    rssKiB: 7000,
    idle: 1000,
    busy: 10,
    roundTripsPerSecond: 30_000,
    cpuMsPerSecond: 350,
    wakeupsPerSecond: 14_000,
    syscalls: {
      by: 'strace',
      windowMs: 2000,
      totalPerSecond: 15_000,
      rates: [
        { syscall: 'read', perSecond: 6800, errorsPerSecond: 380 },
        { syscall: 'write', perSecond: 6400, errorsPerSecond: 0 },
        { syscall: 'nanosleep', perSecond: 1800, errorsPerSecond: 0 },
        { syscall: 'futex', perSecond: 195, errorsPerSecond: 6 },
        { syscall: 'epoll_pwait', perSecond: 137, errorsPerSecond: 0 },
        { syscall: 'epoll_wait', perSecond: 3, errorsPerSecond: 0 },
        { syscall: 'gettid', perSecond: 2, errorsPerSecond: 0 },
        { syscall: 'rt_sigprocmask', perSecond: 3, errorsPerSecond: 0 },
      ],
      tracedRoundTripsPerSecond: 3000,
    },
    windowMs: 2000,
    runtime: 'go1.19.8 linux/amd64',
    ...over,
  };
}

function fold(events: LabEvent[]): NetpollerState {
  const f = netpollerFold('netpoller');
  const s = f.init();
  for (const e of events) f.step(s, e);
  return s;
}

describe('netpollerFold', () => {
  it('follows a run: settings and machine, progress, each result, the end', () => {
    const m = measurement();
    const s = fold([
      ev({
        kind: 'netpoller.runStart',
        source: 'observed',
        machine,
        idle: 1000,
        busy: 10,
        windowMs: 2000,
        servers: ['go', 'node'],
      }),
      ev({
        kind: 'netpoller.progress',
        source: 'observed',
        server: 'go',
        phase: 'connecting',
        connected: 300,
        of: 1010,
        atMs: 5,
      }),
      ev({ kind: 'netpoller.result', source: 'observed', ...m }),
      ev({
        kind: 'netpoller.serverFailed',
        source: 'observed',
        server: 'node',
        error: { code: 'E_ACTION_FAILED', message: { en: 'x', zh: 'x' } },
      }),
      ev(
        { kind: 'netpoller.progress', source: 'observed', server: 'echo' as never, phase: 'done', atMs: 9 },
        'other-demo',
      ),
    ]);
    expect(s.args).toEqual({ idle: 1000, busy: 10, windowMs: 2000, servers: ['go', 'node'] });
    expect(s.machine).toEqual(machine);
    expect(s.running).toBe(true);
    expect(s.progress).toEqual({ server: 'go', phase: 'connecting', connected: 300, of: 1010 });
    expect(s.results.go).toEqual(m);
    expect(s.failures.node?.code).toBe('E_ACTION_FAILED');
    const after = fold([
      ev({ kind: 'netpoller.runStart', source: 'observed', machine, idle: 1, busy: 1, windowMs: 500, servers: ['go'] }),
      ev({ kind: 'netpoller.result', source: 'observed', ...m }),
      ev({ kind: 'netpoller.runEnd', source: 'observed', stoppedEarly: true }),
    ]);
    expect(after.running).toBe(false);
    expect(after.stoppedEarly).toBe(true);
    expect(after.progress).toBeNull();
  });

  it('starts clean on a new run', () => {
    const s = fold([
      ev({ kind: 'netpoller.runStart', source: 'observed', machine, idle: 1, busy: 1, windowMs: 500, servers: ['go'] }),
      ev({ kind: 'netpoller.result', source: 'observed', ...measurement() }),
      ev({ kind: 'netpoller.runStart', source: 'observed', machine, idle: 2, busy: 1, windowMs: 500, servers: ['go'] }),
    ]);
    expect(s.results).toEqual({});
    expect(s.args?.idle).toBe(2);
  });
});

describe('syscallBars', () => {
  it('names the lesson’s calls in order, epoll_wait and epoll_pwait as one, the rest summed as other', () => {
    expect(syscallBars(measurement())).toEqual([
      { label: 'epoll_pwait', perSecond: 140 },
      { label: 'read', perSecond: 6800 },
      { label: 'write', perSecond: 6400 },
      { label: 'futex', perSecond: 195 },
      { label: 'nanosleep', perSecond: 1800 },
      { label: 'other', perSecond: 5 },
    ]);
  });

  it('is null without strace figures, and the reactor numbers say null for the counts', () => {
    const m = measurement({ syscalls: { by: 'none', reason: 'ptrace: Operation not permitted' } });
    expect(syscallBars(m)).toBeNull();
    expect(reactorNumbers(m)).toEqual({ connections: 1010, threads: 5, epollPerSecond: null, readsPerSecond: null });
    expect(straceSlowdown(m)).toBeNull();
  });
});

describe('figures', () => {
  it('the reactor drawing takes its numbers from the measurement', () => {
    expect(reactorNumbers(measurement())).toEqual({
      connections: 1010,
      threads: 5,
      epollPerSecond: 140,
      readsPerSecond: 6800,
    });
  });

  it('one bar scale for all servers: the largest bar of any', () => {
    const node = measurement({
      server: 'node',
      syscalls: {
        by: 'strace',
        windowMs: 2000,
        totalPerSecond: 9000,
        rates: [{ syscall: 'write', perSecond: 9000, errorsPerSecond: 0 }],
        tracedRoundTripsPerSecond: 1,
      },
    });
    expect(sharedBarMax({ go: measurement(), node })).toBe(9000);
    expect(sharedBarMax({})).toBe(1);
  });

  it('strace’s slowdown is the share of round trips lost while traced', () => {
    expect(straceSlowdown(measurement())).toBeCloseTo(0.9);
  });

  it('formats rates: separators for large ones, one decimal for small ones', () => {
    expect(formatRate(15520.23, 'en')).toBe('15,520');
    expect(formatRate(2.49, 'en')).toBe('2.5');
    expect(formatRate(0, 'en')).toBe('0');
  });
});

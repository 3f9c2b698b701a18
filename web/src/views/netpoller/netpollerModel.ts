// The netpoller view's state, folded from the demo's events: the run's settings and machine, where it is, and each
// server's measured figures; and the few numbers the bars and the reactor drawing take from them. Pure; tested beside.
import { NetpollerServers, type NetpollerRunArgs, type NetpollerServer } from '@core/protocol/demos/netpoller';
import type { WireError } from '@core/protocol/errors';
import type { LabEvent } from '@core/protocol/events';
import type { NetpollerMachine, NetpollerPhase, ServerMeasurement } from '@core/protocol/events/netpoller';
import type { Fold } from '../../store/eventFold';

export interface NetpollerState {
  args: NetpollerRunArgs | null;
  machine: NetpollerMachine | null;
  running: boolean;
  stoppedEarly: boolean;
  progress: { server: NetpollerServer; phase: NetpollerPhase; connected?: number; of?: number } | null;
  results: Partial<Record<NetpollerServer, ServerMeasurement>>;
  failures: Partial<Record<NetpollerServer, WireError>>;
  version: number;
}

export function netpollerFold(demo: string): Fold<NetpollerState> {
  return {
    init: () => ({
      args: null,
      machine: null,
      running: false,
      stoppedEarly: false,
      progress: null,
      results: {},
      failures: {},
      version: 0,
    }),
    step(s, e: LabEvent) {
      if (e.demo !== demo) return;
      switch (e.kind) {
        case 'netpoller.runStart': {
          const { idle, busy, windowMs, servers, machine } = e;
          s.args = { idle, busy, windowMs, servers };
          s.machine = machine;
          s.running = true;
          s.stoppedEarly = false;
          s.progress = null;
          s.results = {};
          s.failures = {};
          break;
        }
        case 'netpoller.progress':
          s.progress = { server: e.server, phase: e.phase, connected: e.connected, of: e.of };
          break;
        case 'netpoller.result': {
          const { seq: _seq, t: _t, demo: _demo, kind: _kind, source: _source, ...m } = e;
          s.results = { ...s.results, [e.server]: m };
          break;
        }
        case 'netpoller.serverFailed':
          s.failures = { ...s.failures, [e.server]: e.error };
          break;
        case 'netpoller.runEnd':
          s.running = false;
          s.stoppedEarly = e.stoppedEarly;
          s.progress = null;
          break;
        default:
          return;
      }
      s.version++;
    },
  };
}

/** The system calls a bar chart names: the ones the lesson is about, always, in this order, then the rest as one. */
export const NAMED_SYSCALLS = ['epoll_pwait', 'read', 'write', 'futex', 'nanosleep'] as const;

export interface SyscallBar {
  /** A system call's name, or 'other'. */
  label: string;
  perSecond: number;
}

/**
 * The bars of one server's chart: epoll_wait and epoll_pwait together (Go 1.19 and libuv call either, by kernel
 * and libc), then read, write, futex, nanosleep, and everything else summed as 'other'. Null without strace figures.
 */
export function syscallBars(m: ServerMeasurement): SyscallBar[] | null {
  if (m.syscalls.by !== 'strace') return null;
  const sums = new Map<string, number>(NAMED_SYSCALLS.map((n) => [n, 0]));
  let other = 0;
  for (const r of m.syscalls.rates) {
    const name = r.syscall === 'epoll_wait' ? 'epoll_pwait' : r.syscall;
    if (sums.has(name)) sums.set(name, sums.get(name)! + r.perSecond);
    else other += r.perSecond;
  }
  return [...[...sums].map(([label, perSecond]) => ({ label, perSecond })), { label: 'other', perSecond: other }];
}

/** One scale for every chart, so the three columns compare by eye: the largest bar of any server. */
export function sharedBarMax(results: NetpollerState['results']): number {
  let max = 1;
  for (const server of NetpollerServers) {
    const m = results[server];
    for (const b of (m && syscallBars(m)) ?? []) max = Math.max(max, b.perSecond);
  }
  return max;
}

/** The numbers the reactor drawing takes from the Go server's figures. */
export interface ReactorNumbers {
  connections: number;
  threads: number;
  /** epoll_wait/epoll_pwait calls per second; null without strace. */
  epollPerSecond: number | null;
  /** Reads per second (each ready socket's goroutine reads); null without strace. */
  readsPerSecond: number | null;
}

export function reactorNumbers(m: ServerMeasurement): ReactorNumbers {
  const bars = syscallBars(m);
  const of = (name: string) => bars?.find((b) => b.label === name)?.perSecond ?? null;
  return {
    connections: m.idle + m.busy,
    threads: m.threads,
    epollPerSecond: bars ? of('epoll_pwait') : null,
    readsPerSecond: bars ? of('read') : null,
  };
}

/** strace's cost as a share: how much slower the busy clients' round trips were while traced (0.9 = 90% fewer). */
export function straceSlowdown(m: ServerMeasurement): number | null {
  if (m.syscalls.by !== 'strace' || !(m.roundTripsPerSecond > 0)) return null;
  return Math.max(0, 1 - m.syscalls.tracedRoundTripsPerSecond / m.roundTripsPerSecond);
}

/** A figure as the view prints it: whole numbers with thousands separators, small ones with one decimal. */
export function formatRate(n: number, locale: string): string {
  return n >= 100 || n === 0
    ? Math.round(n).toLocaleString(locale)
    : n.toLocaleString(locale, { maximumFractionDigits: 1 });
}

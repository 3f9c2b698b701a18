// Diffs successive samples of the kernel socket table into state changes, and measures how long sockets stayed in each state (TIME_WAIT above all); pure.
import type { MsRange, SocketName, TcpStateName } from '../../../core/protocol/events/tcpState.js';
import type { KernelSocket } from './kernelSocket.js';

export interface PolledStateChange {
  socket: SocketName;
  from: TcpStateName;
  to: TcpStateName;
  sampledAt: number;
  sinceMs: number;
  stayedMs?: MsRange;
  timerMs?: number;
  /** True for sockets that already existed when polling began: their earlier history is unknown. */
  firstSample?: true;
}

export interface TimeWaitMeasurement {
  socket: SocketName;
  stayedMs: MsRange;
  timerAtEntryMs?: number;
}

export interface SampleDiff {
  changes: PolledStateChange[];
  timeWaitsEnded: TimeWaitMeasurement[];
}

export interface TrackedSocketState {
  socket: SocketName;
  state: TcpStateName;
  /** Lower bound on the time spent in `state` so far (first to latest sample that saw it). */
  inStateMs: number;
  timerMs?: number;
}

interface Tracked {
  socket: SocketName;
  state: TcpStateName;
  /** Sample time before the one that first saw this state; null when it was already there at the first sample. */
  enteredAfter: number | null;
  firstSeen: number;
  lastSeen: number;
  timerAtEntry?: number;
  latestTimer?: number;
}

export class TcpStateTracker {
  private readonly sockets = new Map<string, Tracked>();
  private previousSample: number | null = null;

  /** Feeds one sample (taken at wall-clock `at` ms) and returns what changed since the previous one. */
  update(sample: readonly KernelSocket[], at: number): SampleDiff {
    const changes: PolledStateChange[] = [];
    const timeWaitsEnded: TimeWaitMeasurement[] = [];
    const previous = this.previousSample;
    const sinceMs = previous === null ? 0 : at - previous;
    const seen = new Set<string>();

    for (const s of sample) {
      let key = `${s.local}>${s.remote}`;
      // Two listeners may share a local address (SO_REUSEPORT); keep them apart.
      for (let n = 2; seen.has(key); n++) key = `${s.local}>${s.remote}#${n}`;
      seen.add(key);
      const timer = s.timerMs !== undefined && s.timerMs > 0 ? s.timerMs : undefined;
      const tracked = this.sockets.get(key);
      if (!tracked) {
        const socket = { local: s.local, remote: s.remote };
        this.sockets.set(key, {
          socket,
          state: s.state,
          enteredAfter: previous,
          firstSeen: at,
          lastSeen: at,
          timerAtEntry: timer,
          latestTimer: timer,
        });
        const change: PolledStateChange = { socket, from: 'CLOSED', to: s.state, sampledAt: at, sinceMs };
        if (timer !== undefined) change.timerMs = timer;
        if (previous === null) change.firstSample = true;
        changes.push(change);
        continue;
      }
      if (tracked.state === s.state) {
        tracked.lastSeen = at;
        tracked.latestTimer = timer;
        continue;
      }
      const change: PolledStateChange = {
        socket: tracked.socket,
        from: tracked.state,
        to: s.state,
        sampledAt: at,
        sinceMs,
      };
      const stayed = stayedRange(tracked, at);
      if (stayed) change.stayedMs = stayed;
      if (timer !== undefined) change.timerMs = timer;
      changes.push(change);
      if (tracked.state === 'TIME_WAIT' && stayed) timeWaitsEnded.push(timeWaitMeasurement(tracked, stayed));
      Object.assign(tracked, {
        state: s.state,
        enteredAfter: previous,
        firstSeen: at,
        lastSeen: at,
        timerAtEntry: timer,
        latestTimer: timer,
      });
    }

    for (const [key, tracked] of this.sockets) {
      if (seen.has(key)) continue;
      this.sockets.delete(key);
      const change: PolledStateChange = {
        socket: tracked.socket,
        from: tracked.state,
        to: 'CLOSED',
        sampledAt: at,
        sinceMs,
      };
      const stayed = stayedRange(tracked, at);
      if (stayed) change.stayedMs = stayed;
      changes.push(change);
      if (tracked.state === 'TIME_WAIT' && stayed) timeWaitsEnded.push(timeWaitMeasurement(tracked, stayed));
    }
    this.previousSample = at;
    return { changes, timeWaitsEnded };
  }

  /** Sockets as of the latest sample, e.g. to show a TIME_WAIT still running when a scenario ends. */
  current(): TrackedSocketState[] {
    return [...this.sockets.values()].map((t) => {
      const state: TrackedSocketState = { socket: t.socket, state: t.state, inStateMs: t.lastSeen - t.firstSeen };
      if (t.latestTimer !== undefined) state.timerMs = t.latestTimer;
      return state;
    });
  }
}

/** The state began after `enteredAfter` and ended before `at`; it surely spanned firstSeen..lastSeen. */
function stayedRange(t: Tracked, at: number): MsRange | undefined {
  if (t.enteredAfter === null) return undefined;
  return { min: t.lastSeen - t.firstSeen, max: at - t.enteredAfter };
}

function timeWaitMeasurement(t: Tracked, stayedMs: MsRange): TimeWaitMeasurement {
  const m: TimeWaitMeasurement = { socket: t.socket, stayedMs };
  if (t.timerAtEntry !== undefined) m.timerAtEntryMs = t.timerAtEntry;
  return m;
}

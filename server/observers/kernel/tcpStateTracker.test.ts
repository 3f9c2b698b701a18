import { describe, expect, it } from 'vitest';
import type { TcpStateName } from '../../../core/protocol/events/tcpState.js';
import type { KernelSocket } from './kernelSocket.js';
import { TcpStateTracker } from './tcpStateTracker.js';

function sock(local: string, remote: string, state: TcpStateName, timerMs = 0): KernelSocket {
  return {
    local,
    remote,
    localPort: Number(local.split(':')[1]),
    remotePort: Number(remote.split(':')[1]),
    state,
    timerMs,
    sendQueue: 0,
    receiveQueue: 0,
  };
}

const C = '127.0.0.1:50000';
const S = '127.0.0.1:8080';

describe('TcpStateTracker', () => {
  it('marks sockets present at the first sample as having an unknown past', () => {
    const t = new TcpStateTracker();
    const d = t.update([sock(S, '0.0.0.0:0', 'LISTEN')], 1000);
    expect(d.changes).toEqual([
      {
        socket: { local: S, remote: '0.0.0.0:0' },
        from: 'CLOSED',
        to: 'LISTEN',
        sampledAt: 1000,
        sinceMs: 0,
        firstSample: true,
      },
    ]);
  });

  it('reports each transition once, with the window it happened in and how long the old state lasted', () => {
    const t = new TcpStateTracker();
    t.update([], 0);
    expect(
      t
        .update([sock(C, S, 'ESTABLISHED'), sock(S, C, 'ESTABLISHED')], 5)
        .changes.map((c) => [c.socket.local, c.from, c.to, c.sinceMs]),
    ).toEqual([
      [C, 'CLOSED', 'ESTABLISHED', 5],
      [S, 'CLOSED', 'ESTABLISHED', 5],
    ]);
    expect(t.update([sock(C, S, 'ESTABLISHED'), sock(S, C, 'ESTABLISHED')], 10).changes).toEqual([]);
    const d = t.update([sock(C, S, 'FIN_WAIT2', 60000), sock(S, C, 'CLOSE_WAIT')], 15);
    expect(d.changes).toEqual([
      {
        socket: { local: C, remote: S },
        from: 'ESTABLISHED',
        to: 'FIN_WAIT2',
        sampledAt: 15,
        sinceMs: 5,
        stayedMs: { min: 5, max: 15 },
        timerMs: 60000,
      },
      {
        socket: { local: S, remote: C },
        from: 'ESTABLISHED',
        to: 'CLOSE_WAIT',
        sampledAt: 15,
        sinceMs: 5,
        stayedMs: { min: 5, max: 15 },
      },
    ]);
  });

  it('measures a TIME_WAIT from entry to disappearance, with bounds from the sample times', () => {
    const t = new TcpStateTracker();
    t.update([sock(C, S, 'FIN_WAIT2')], 0);
    t.update([sock(C, S, 'TIME_WAIT', 59990)], 10);
    t.update([sock(C, S, 'TIME_WAIT', 30000)], 30_000);
    t.update([sock(C, S, 'TIME_WAIT', 5)], 59_995);
    expect(t.current()).toEqual([
      { socket: { local: C, remote: S }, state: 'TIME_WAIT', inStateMs: 59_985, timerMs: 5 },
    ]);
    const d = t.update([], 60_005);
    expect(d.changes).toEqual([
      {
        socket: { local: C, remote: S },
        from: 'TIME_WAIT',
        to: 'CLOSED',
        sampledAt: 60_005,
        sinceMs: 10,
        stayedMs: { min: 59_985, max: 60_005 },
      },
    ]);
    expect(d.timeWaitsEnded).toEqual([
      { socket: { local: C, remote: S }, stayedMs: { min: 59_985, max: 60_005 }, timerAtEntryMs: 59990 },
    ]);
    expect(t.current()).toEqual([]);
  });

  it('does not claim a duration for a TIME_WAIT that was already running when polling began', () => {
    const t = new TcpStateTracker();
    t.update([sock(C, S, 'TIME_WAIT', 1000)], 0);
    const d = t.update([], 1000);
    expect(d.changes[0]).not.toHaveProperty('stayedMs');
    expect(d.timeWaitsEnded).toEqual([]);
  });

  it('follows a 4-tuple reused straight out of TIME_WAIT', () => {
    const t = new TcpStateTracker();
    t.update([sock(C, S, 'TIME_WAIT')], 0);
    expect(t.update([sock(C, S, 'SYN_SENT')], 3).changes.map((c) => [c.from, c.to])).toEqual([
      ['TIME_WAIT', 'SYN_SENT'],
    ]);
  });

  it('keeps two listeners on one address apart', () => {
    const t = new TcpStateTracker();
    t.update([], 0);
    expect(t.update([sock(S, '0.0.0.0:0', 'LISTEN'), sock(S, '0.0.0.0:0', 'LISTEN')], 1).changes).toHaveLength(2);
    expect(t.update([sock(S, '0.0.0.0:0', 'LISTEN')], 2).changes.map((c) => c.to)).toEqual(['CLOSED']);
  });
});

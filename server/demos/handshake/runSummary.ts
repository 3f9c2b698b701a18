// Works out what a handshake-demo run showed: handshake numbers, teardown segment counts, resets, TIME_WAIT and CLOSE_WAIT sockets; pure.
import type { HandshakeRunSummary } from '../../../core/protocol/events/handshake.js';
import type { PacketSegmentEvent } from '../../../core/protocol/events/packet.js';
import type { TcpStateName } from '../../../core/protocol/events/tcpState.js';

export type SummarySegment = Pick<
  PacketSegmentEvent,
  'connection' | 'role' | 'flags' | 'seqNum' | 'ackNum' | 'relSeq' | 'relAck' | 'len'
>;

export interface PolledSocket {
  socket: { local: string; remote: string };
  state: TcpStateName;
  timerMs?: number;
}

/** Segments of one connection from its first FIN on that carry a FIN or do nothing but acknowledge one. */
export function countTeardownSegments(segments: readonly SummarySegment[]): number {
  const finEnd: Partial<Record<'client' | 'server', number>> = {};
  const acked = new Set<'client' | 'server'>();
  let count = 0;
  let closing = false;
  for (const s of segments) {
    const fin = s.flags.includes('FIN');
    if (fin) {
      closing = true;
      finEnd[s.role] ??= (s.relSeq + s.len + 1) >>> 0;
    }
    if (!closing) continue;
    const peer = s.role === 'client' ? 'server' : 'client';
    const acksPeerFin = finEnd[peer] !== undefined && s.relAck === finEnd[peer] && !acked.has(peer);
    if (acksPeerFin) acked.add(peer);
    if (fin || (acksPeerFin && s.len === 0)) count++;
  }
  return count;
}

/** SYN-ACK acknowledges SYN seq + 1, and the client's next ACK acknowledges SYN-ACK seq + 1. Null without a full handshake. */
export function handshakeNumbersMatch(segments: readonly SummarySegment[]): boolean | null {
  const syn = segments.find((s) => s.flags.includes('SYN') && !s.flags.includes('ACK'));
  const synAck = segments.find((s) => s.flags.includes('SYN') && s.flags.includes('ACK'));
  if (!syn || !synAck) return null;
  const third = segments.find((s) => s.role === 'client' && !s.flags.includes('SYN') && s.flags.includes('ACK'));
  if (!third) return null;
  return synAck.ackNum === (syn.seqNum + 1) >>> 0 && third.ackNum === (synAck.seqNum + 1) >>> 0;
}

export function summariseRun(
  segments: readonly SummarySegment[],
  polled: readonly PolledSocket[],
  clients: readonly string[],
  server: string,
): HandshakeRunSummary {
  const byConnection = new Map<number, SummarySegment[]>();
  for (const s of segments) {
    let list = byConnection.get(s.connection);
    if (!list) byConnection.set(s.connection, (list = []));
    list.push(s);
  }
  const matches: boolean[] = [];
  const teardownSegments: number[] = [];
  let resets = 0;
  for (const list of byConnection.values()) {
    const m = handshakeNumbersMatch(list);
    if (m !== null) matches.push(m);
    if (list.some((s) => s.flags.includes('RST'))) resets++;
    else if (list.some((s) => s.flags.includes('FIN'))) teardownSegments.push(countTeardownSegments(list));
  }
  const ours = new Set(clients);
  const timeWait = polled
    .filter((p) => p.state === 'TIME_WAIT' && (ours.has(p.socket.local) || ours.has(p.socket.remote)))
    .map((p) =>
      p.timerMs !== undefined ? { socket: p.socket.local, timerMs: p.timerMs } : { socket: p.socket.local },
    );
  const closeWait = polled.filter(
    (p) => p.state === 'CLOSE_WAIT' && p.socket.local === server && ours.has(p.socket.remote),
  ).length;
  return {
    segments: segments.length,
    handshakeNumbersMatch: matches.length === 0 ? null : matches.every(Boolean),
    teardownSegments,
    resets,
    timeWait,
    closeWait,
  };
}
